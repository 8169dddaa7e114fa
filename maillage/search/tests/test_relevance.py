"""French relevance on the test corpus: accents, plurals, stems, prefixes, typos, facets,
ranking. The suite runs on SQLite and on PostgreSQL (DATABASE_URL): the expected sets
below are written once, so both backends must return exactly them."""

import pytest

from maillage.search.query import Filters, Search, Viewer, suggestions

from .corpus import build

pytestmark = pytest.mark.django_db

FACILITATOR = Viewer(facilitator=True, member=True, user_id=None)
ANONYMOUS = Viewer()


@pytest.fixture
def corpus(db):
    return build()


def titles(corpus, q, viewer=ANONYMOUS, **filters) -> set[str]:
    search = Search(q, viewer=viewer, filters=Filters(**filters))
    found = search.document_ids()
    if not found and search.widen():
        found = search.document_ids()
    by_key = {(_kind(r), r.pk): t for t, r in corpus["records"].items()}
    return {by_key[key] for key in found}


def _kind(record) -> str:
    return {"Initiative": "initiative", "Organisation": "organisation", "Person": "person"}[
        type(record).__name__
    ]


def test_accents_and_case_are_folded(corpus):
    # Not "Rénovation énergétique": Snowball gives énergétique a stem of its own.
    expected = {
        "Centrale villageoise photovoltaïque",  # ÉNERGIE in capitals in its description
        "Coopérative d'énergie citoyenne de l'Aude",
    }
    assert titles(corpus, "energie") == expected
    assert titles(corpus, "ÉNERGIE") == expected
    assert titles(corpus, "Energie") == expected


def test_prefix_of_the_last_word_finds_titles(corpus):
    # "énerg" is unfinished: it starts "énergie" and "énergétique" in titles (and is
    # also the stem of "énergie", found in a description).
    assert titles(corpus, "énerg") == {
        "Coopérative d'énergie citoyenne de l'Aude",
        "Rénovation énergétique des écoles",
        "Centrale villageoise photovoltaïque",
    }
    # A prefix is only tried on the last word, from three letters on.
    assert titles(corpus, "centrale photovolt") == {"Centrale villageoise photovoltaïque"}
    assert titles(corpus, "photovolt centrale") == set()
    assert titles(corpus, "écol") == {"Rénovation énergétique des écoles"}
    assert titles(corpus, "éc") == set()


def test_plurals_find_the_singular_and_back(corpus):
    assert "Les jardins partagés de Béziers" in titles(corpus, "jardin")
    assert titles(corpus, "jardins") == titles(corpus, "jardin")
    # Plurals Snowball leaves apart are folded first: vélos, tiers-lieux, photos.
    assert "Atelier vélo solidaire de Béziers" in titles(corpus, "vélos")
    assert "Tiers-lieux numériques de l'Aude" in titles(corpus, "tiers-lieu")
    assert "Photos du patrimoine" in titles(corpus, "photo")


def test_stemming_joins_a_word_family(corpus):
    """ "coopératives" finds coopérative, coopératif and coopération (one Snowball stem),
    never the private profile, the proposal or the rejected record."""
    assert titles(corpus, "coopératives") == {
        "Épicerie coopérative de Limoux",
        "Coopération intercommunale pour l'eau",
        "Coopérative d'énergie citoyenne de l'Aude",
        "Réseau des épiceries solidaires",
    }


def test_every_word_must_match(corpus):
    assert titles(corpus, "épicerie Limoux") == {"Épicerie coopérative de Limoux"}
    assert titles(corpus, "vélo Carcassonne") == set()


def test_stop_words_are_ignored(corpus):
    assert titles(corpus, "le repair café de la ville") == set()
    assert titles(corpus, "le repair café") == {"Repair café de Carcassonne"}


def test_small_typos_on_names_are_tolerated(corpus):
    assert titles(corpus, "Camile Rous") == {"Camille Roux"}
    assert "Repair café de Carcassonne" in titles(corpus, "repair Carcasone")
    search = Search("Carcasone", viewer=ANONYMOUS)
    assert search.document_ids() == set()
    assert search.widen() and search.approximate


def test_short_words_are_not_corrected(corpus):
    assert titles(corpus, "bip") == set()


def test_titles_come_first(corpus):
    hits = Search("coopérative", viewer=ANONYMOUS).hits()
    title_hits = [h.title for h in hits if h.title_hit]
    assert title_hits and hits[: len(title_hits)] == [h for h in hits if h.title_hit]
    assert "Réseau des épiceries solidaires" not in title_hits  # only in its body


def test_facet_theme_and_kind(corpus):
    assert titles(corpus, "", theme=corpus["themes"]["mobilites"].pk) == {
        "Atelier vélo solidaire de Béziers",
        "Covoiturage rural",
        "Association Vélocité Béziers",
    }
    assert titles(corpus, "vélo", kind="organisation") == {"Association Vélocité Béziers"}


def test_territory_facet_includes_what_is_inside(corpus):
    aude = corpus["places"]["aude"]
    inside = titles(corpus, "", territory=aude)
    assert "Repair café de Carcassonne" in inside  # a commune of the Aude
    assert "Épicerie coopérative de Limoux" in inside
    assert "Atelier vélo solidaire de Béziers" not in inside  # Hérault
    occitanie = titles(corpus, "", territory=corpus["places"]["occitanie"])
    assert inside < occitanie


def test_status_and_date_facets(corpus):
    assert titles(corpus, "", status="paused") == {"Conseil citoyen de Carcassonne"}
    recent = titles(corpus, "", date="30j")
    assert "Épicerie coopérative de Limoux" not in recent  # 400 days old
    assert "Coopération intercommunale pour l'eau" in recent


def test_facet_counts_add_up(corpus):
    facets = Search("", viewer=ANONYMOUS).facets()
    assert facets.total == sum(facets.kind.values())
    assert facets.kind == {"initiative": 15, "organisation": 5, "person": 2}
    assert facets.recent + sum(c for y, c in facets.year.items()) >= facets.total
    aude_level = Search("", viewer=ANONYMOUS, filters=Filters(territory=corpus["places"]["aude"]))
    counts = aude_level.facets().territory
    carcassonne, limoux = corpus["places"]["carcassonne"], corpus["places"]["limoux"]
    assert set(counts) <= {carcassonne.pk, limoux.pk, corpus["places"]["narbonne"].pk}
    # 6 initiatives, 2 organisations and Camille Roux (public) act in Carcassonne.
    assert counts[carcassonne.pk] == 9


def _suggested(q, viewer=ANONYMOUS) -> list[str]:
    return [h.title for h in suggestions(q, viewer=viewer)]


def test_suggestions_complete_titles(corpus):
    # Titles starting with the letters first, then titles with a word starting so.
    assert _suggested("coo") == [
        "Coopération intercommunale pour l'eau",
        "Coopérative d'énergie citoyenne de l'Aude",
        "Épicerie coopérative de Limoux",
    ]
    assert _suggested("repair car") == ["Repair café de Carcassonne"]
    assert _suggested("VÉL") == [
        "Association Vélocité Béziers",
        "Atelier vélo solidaire de Béziers",
    ]
    assert _suggested("co") == []
    assert _suggested("xyzzy") == []


def test_suggestions_respect_visibility(corpus):
    assert _suggested("jean") == []
    assert _suggested("elodie") == []
    assert _suggested("elodie", Viewer(member=True, user_id=10**9)) == ["Élodie Brûlé"]
    assert _suggested("jean", FACILITATOR) == ["Jean Secret"]
    assert _suggested("coop") == _suggested("coo")
