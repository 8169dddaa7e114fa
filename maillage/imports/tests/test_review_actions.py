"""The review page's actions, through HTTP and without JavaScript: move an item between
the parts of the network's role and the sections, merge two contacts, confirm or separate
the same name with two addresses. A refused action changes nothing."""

import pytest
from django.urls import reverse

from maillage.imports import review
from maillage.imports.models import DocumentImport

from .factories import review_import

FORUM = """Synthèse du forum ouvert
Forum des Causses — Millau, 12 avril 2025

Compte-rendu Groupe 1 : « Habiter les bourgs »
Constats
\uf0b7 Des maisons vides dans les bourgs
\uf0b7 Peu de locations à l'année

Rôle du réseau
Peut ou doit continuer à
avancer, réfléchir, mobiliser
Ne peut pas ou ne doit pas aller
plus loin
Peut faire avec … citer les
personnes, structures, réseaux

\uf0b7 Recenser les logements vacants
\uf0b7 Porter des projets immobiliers

\uf0b7 Association Toits Partagés

Suites à donner
4 personnes inscrites pour poursuivre
\uf0b7 Nina Rey nina.rey@example.org
\uf0b7 Yves Caron yves.caron@example.net
\uf0b7 N. Rey
\uf0b7 Sophie Arnal sophie.arnal@example.org
\uf0b7 Sophie Arnal sophie.arnal.47@example.com
"""


@pytest.fixture
def fclient(client, facilitator):
    client.force_login(facilitator)
    return client


def _group(document):
    document.refresh_from_db()
    return document.draft["groups"][0]


def _texts(items):
    return [review.text(i) for i in items]


def _contact(group, name):
    return next(c for c in group["follow_up"] if review.text(c.get("name")) == name)


@pytest.mark.django_db
def test_the_draft_says_where_it_is_unsure(fclient):
    document = review_import(text=FORUM)
    group = _group(document)
    # Two blocks for three parts: given in order, and the reviewer is told.
    assert group["role"]["uncertain"] is True
    assert _texts(group["role"]["continue"]) == [
        "Recenser les logements vacants",
        "Porter des projets immobiliers",
    ]
    assert _texts(group["role"]["stop"]) == ["Association Toits Partagés"]
    page = fclient.get(document.get_absolute_url()).content.decode()
    assert "les colonnes du rôle du réseau n&#x27;étaient pas séparées" in page
    assert "Même nom, deux adresses" in page
    assert "\uf0b7" not in page.split('class="review-draft"')[1]


@pytest.mark.django_db
def test_move_items_between_the_role_parts_and_to_a_section(fclient):
    document = review_import(text=FORUM)
    group = _group(document)
    porter = group["role"]["continue"][1]["id"]
    toits = group["role"]["stop"][0]["id"]
    url = document.get_absolute_url()
    response = fclient.post(url, {"action": f"move:{porter}>stop"})
    assert response.status_code == 302
    response = fclient.post(url, {"action": f"move:{toits}>with"})
    assert response.status_code == 302
    group = _group(document)
    assert _texts(group["role"]["continue"]) == ["Recenser les logements vacants"]
    assert _texts(group["role"]["stop"]) == ["Porter des projets immobiliers"]
    assert _texts(group["role"]["with"]) == ["Association Toits Partagés"]
    # To a section of the group, and back.
    section = group["sections"][0]["id"]
    fclient.post(url, {"action": f"move:{porter}>{section}"})
    group = _group(document)
    assert "Porter des projets immobiliers" in _texts(group["sections"][0]["items"])
    assert group["role"]["stop"] == []


@pytest.mark.django_db
def test_a_move_to_nowhere_is_refused_and_changes_nothing(fclient):
    document = review_import(text=FORUM)
    before = DocumentImport.objects.get(pk=document.pk).draft
    item = before["groups"][0]["role"]["continue"][0]["id"]
    for action in (f"move:{item}>nulle-part", "move:v99999>stop", "move:", "move:>"):
        response = fclient.post(document.get_absolute_url(), {"action": action})
        assert response.status_code == 400
        assert "n&#x27;a pas pu être déplacé" in response.content.decode()
    assert DocumentImport.objects.get(pk=document.pk).draft == before


@pytest.mark.django_db
def test_merge_a_person_listed_twice(fclient):
    document = review_import(text=FORUM)
    group = _group(document)
    nina, short = _contact(group, "Nina Rey"), _contact(group, "N. Rey")
    response = fclient.post(document.get_absolute_url(), {f"merge-{short['id']}": nina["id"]})
    assert response.status_code == 302
    group = _group(document)
    kept = [c for c in group["follow_up"] if not c.get("dropped")]
    assert [review.text(c["name"]) for c in kept] == ["Nina Rey", "Yves Caron", "Sophie Arnal"]
    nina = _contact(group, "Nina Rey")
    assert nina["listed_twice"] is True
    assert len(nina["lines"]) == 2
    assert _contact(group, "N. Rey")["merged_into"] == nina["id"]


@pytest.mark.django_db
def test_merge_across_groups_or_with_itself_is_refused(fclient):
    document = review_import(text=FORUM)
    nina = _contact(_group(document), "Nina Rey")
    before = DocumentImport.objects.get(pk=document.pk).draft
    for into in (nina["id"], "c404"):
        response = fclient.post(document.get_absolute_url(), {f"merge-{nina['id']}": into})
        assert response.status_code == 400
    assert DocumentImport.objects.get(pk=document.pk).draft == before


@pytest.mark.django_db
def test_same_name_two_addresses_confirmed_or_separated(fclient):
    document = review_import(text=FORUM)
    sophie = _contact(_group(document), "Sophie Arnal")
    assert sophie["confirm"] == "same_name_other_email"
    assert _texts(sophie["other_emails"]) == ["sophie.arnal.47@example.com"]
    fclient.post(document.get_absolute_url(), {"action": f"split:{sophie['id']}"})
    group = _group(document)
    sophies = [c for c in group["follow_up"] if review.text(c.get("name")) == "Sophie Arnal"]
    assert [review.text(c["email"]) for c in sophies] == [
        "sophie.arnal@example.org",
        "sophie.arnal.47@example.com",
    ]
    assert all(not c.get("confirm") for c in sophies)
    assert len({c["id"] for c in sophies}) == 2

    other = review_import(text=FORUM + "\n(autre copie)\n")
    sophie = _contact(_group(other), "Sophie Arnal")
    fclient.post(other.get_absolute_url(), {"action": f"confirm:{sophie['id']}"})
    sophie = _contact(_group(other), "Sophie Arnal")
    assert "confirm" not in sophie
    assert _texts(sophie["other_emails"]) == ["sophie.arnal.47@example.com"]


@pytest.mark.django_db
def test_the_page_offers_the_moves_and_merges_as_buttons(fclient):
    document = review_import(text=FORUM)
    group = _group(document)
    item = group["role"]["continue"][0]["id"]
    page = fclient.get(document.get_absolute_url()).content.decode()
    assert f'value="move:{item}>stop"' in page
    assert f'value="move:{item}>with"' in page
    assert f'value="move:{item}>continue"' not in page
    nina = _contact(group, "Nina Rey")
    assert f'name="merge-{nina["id"]}"' in page


@pytest.mark.django_db
def test_the_questions_read_in_the_readers_language(fclient):
    """The draft stores codes: the same draft reads in English for an English reader."""
    document = review_import(text=FORUM)
    fclient.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = fclient.get(document.get_absolute_url()).content.decode()
    assert "the columns of the network&#x27;s role were not separated" in page
    assert "Open forum synthesis" in page
    assert "Move to:" in page
    assert "les colonnes du rôle" not in page
