"""French analysis: folding, stop words, stems and trigrams, and on PostgreSQL the proof
that Python computes exactly what the database does (same words indexed on both)."""

import pytest
from django.db import connection

from maillage.search import text

from .corpus import INITIATIVES, ORGANISATIONS, PEOPLE

CORPUS_TEXTS = [" ".join(map(str, row[:3])) for row in INITIATIVES + ORGANISATIONS + PEOPLE]
WORDS = (
    "coopératives coopératif coopération énergie Énergies énergétique jardins vélos "
    "tiers-lieux l'eau œuvres cœur habitant·es 2024 covid19 mauvais palais Dijoux été à "
    "les des aux photos bijoux participatif participatives citoyennes territoriaux"
)

# Compares with PostgreSQL's own analysis: deselected on SQLite (conftest.py).
on_postgresql = pytest.mark.postgresql


def test_tokens_fold_case_accents_ligatures_and_plurals():
    assert text.tokens("L'Énergie  des CŒURS, tiers-lieux & vélos !") == [
        "l",
        "energie",
        "des",
        "coeurs",
        "tiers",
        "lieu",
        "velo",
    ]


def test_stop_words_go_and_words_are_stemmed():
    assert text.stems("Les coopératives de l'Aude") == ["le", "cooper", "aud"]
    assert text.query_terms("  de la  ") == []
    assert text.query_terms("x" * 1000) == ["x" * text.MAX_TERM_LENGTH]
    assert len(text.query_terms(" ".join(["mot"] * 50))) == text.MAX_TERMS
    assert text.query_terms(None) == []


def test_trigram_similarity_is_pg_trgm_s():
    assert text.trigrams("roux") == {"  r", " ro", "rou", "oux", "ux "}
    assert text.similarity("camile", "camille") == pytest.approx(6 / 9)
    assert text.similarity("", "abc") == 0.0


def test_edit_distance_counts_a_swap_as_one_typo():
    assert text.edit_distance("roux", "rous") == 1
    assert text.edit_distance("carcassonne", "carcasonne") == 1
    assert text.edit_distance("camille", "camlile") == 1
    assert text.edit_distance("abc", "xyz", limit=1) == 2
    assert text.allowed_typos("bip") == 0 and text.allowed_typos("carcasonne") == 2


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("sample", [WORDS, *CORPUS_TEXTS])
def test_python_stems_equal_postgresql_stems(sample):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array(SELECT lexeme FROM unnest(to_tsvector('french_unaccent', %s)))",
            [text.token_text(sample)],
        )
        assert set(cursor.fetchone()[0]) == set(text.stems(sample))


@on_postgresql
@pytest.mark.django_db
def test_python_similarity_equals_pg_trgm():
    pairs = [("camile", "camille"), ("rous", "roux"), ("carcasonne", "carcassonne")]
    with connection.cursor() as cursor:
        for a, b in pairs:
            cursor.execute("SELECT similarity(%s, %s)", [a, b])
            assert cursor.fetchone()[0] == pytest.approx(text.similarity(a, b), abs=1e-6)


@pytest.mark.parametrize(
    "sample", ["L'Énergie des CŒURS", "Ærø ß ﬁ Ça", "naïve Noël ǅ x_y", *CORPUS_TEXTS]
)
def test_fast_folding_equals_core_normalise(sample):
    import re

    from maillage.core.text import normalise

    expected = [text._fold_plural(t) for t in re.findall(r"[^\W_]+", normalise(sample))]
    assert text.tokens(sample) == expected
