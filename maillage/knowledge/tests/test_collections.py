"""Collections: curated by facilitators, exported as a PDF booklet that holds every sheet
the reader may see (pdf_text checks it), with grids showing who defined them."""

import pytest
from django.urls import reverse

from maillage.core.documents import pdf_page_count, pdf_text
from maillage.knowledge.models import Collection, EvaluationGrid

from .factories import CollectionFactory, SheetFactory, add_to_collection

pytestmark = pytest.mark.django_db


def _flat(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def test_facilitator_curates_and_the_booklet_contains_every_sheet(client, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("knowledge:collection_create"),
        {"title": "Se nourrir localement", "description": "Réussites et échecs."},
    )
    collection = Collection.objects.get()
    assert response.status_code == 302 and collection.curated_by == facilitator
    titles = [
        "Une épicerie solidaire",
        "Une régie qui n'a pas tenu",
        "Un marché de producteurs",
        "Une cantine 100 % bio",
    ]
    sheets = [
        SheetFactory(title=t, outcome=o)
        for t, o in zip(titles, ["success", "failure", "mixed", "ongoing"], strict=True)
    ]
    for sheet in sheets:
        url = reverse("knowledge:sheet_collect", args=[sheet.pk])
        assert client.post(url, {"collection": collection.pk}).status_code == 302
    # Twice is once.
    client.post(
        reverse("knowledge:sheet_collect", args=[sheets[0].pk]), {"collection": collection.pk}
    )
    assert collection.sheets.count() == 4
    client.logout()
    response = client.get(reverse("knowledge:collection_booklet", args=[collection.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _flat(response.content)
    assert "Se nourrir localement" in text
    for title in titles:
        assert text.count(title) >= 2, title  # in the table of contents and as a sheet
    assert "Ça n'a pas marché — et voici ce que nous en avons appris." in text
    # A cover, then one sheet per page at least.
    assert pdf_page_count(response.content) >= 5


def test_booklet_leaves_out_what_the_reader_may_not_see(client, member):
    collection = CollectionFactory(title="Mobilités")
    public = SheetFactory(title="Covoiturage rural")
    members_only = SheetFactory(title="Navette solidaire", visibility="members")
    add_to_collection(collection, public, members_only)
    url = reverse("knowledge:collection_booklet", args=[collection.pk])
    text = _flat(client.get(url).content)
    assert "Covoiturage rural" in text and "Navette solidaire" not in text
    client.force_login(member)
    assert "Navette solidaire" in _flat(client.get(url).content)


def test_only_published_sheets_enter_a_collection(client, facilitator):
    collection = CollectionFactory()
    draft = SheetFactory(status="draft")
    client.force_login(facilitator)
    client.post(reverse("knowledge:sheet_collect", args=[draft.pk]), {"collection": collection.pk})
    assert collection.sheets.count() == 0
    response = client.post(
        reverse("knowledge:sheet_collect", args=[SheetFactory().pk]), {"collection": "9" * 30}
    )
    assert response.status_code == 302 and collection.sheets.count() == 0


def test_members_cannot_curate(client, member):
    collection = CollectionFactory()
    sheet = SheetFactory()
    client.force_login(member)
    url = reverse("knowledge:sheet_collect", args=[sheet.pk])
    assert client.post(url, {"collection": collection.pk}).status_code == 403
    remove = reverse("knowledge:collection_remove", args=[collection.pk])
    assert client.post(remove, {"fiche": sheet.pk}).status_code == 403


def test_remove_from_a_collection(client, facilitator):
    collection = CollectionFactory()
    sheet = SheetFactory()
    add_to_collection(collection, sheet)
    client.force_login(facilitator)
    remove = reverse("knowledge:collection_remove", args=[collection.pk])
    assert client.post(remove, {"fiche": "abc"}).status_code == 302
    assert collection.sheets.count() == 1
    client.post(remove, {"fiche": sheet.pk})
    assert collection.sheets.count() == 0


def test_collection_list_counts_only_visible_sheets(client, django_assert_max_num_queries):
    for _ in range(8):
        collection = CollectionFactory()
        add_to_collection(collection, SheetFactory(), SheetFactory(status="draft"))
    with django_assert_max_num_queries(6):
        response = client.get(reverse("knowledge:collections"))
    assert [c.sheet_count for c in response.context["page"]] == [1] * 8


def test_grids_show_who_defined_them(client, facilitator, member):
    client.force_login(member)
    assert client.get(reverse("knowledge:grid_create")).status_code == 403
    client.force_login(facilitator)
    data = {
        "name": "Bonnes pratiques",
        "description": "",
        "defined_by_name": "Le groupe Capitaliser",
        "is_active": "on",
        "criteria-TOTAL_FORMS": "3",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-name": "Reproductible",
        "criteria-0-description": "Ailleurs aussi ?",
        "criteria-1-name": "Implication des habitant·es",
        "criteria-2-name": "",
    }
    assert client.post(reverse("knowledge:grid_create"), data).status_code == 302
    grid = EvaluationGrid.objects.get()
    assert grid.defined_by == facilitator
    assert [c.name for c in grid.criteria.all()] == ["Reproductible", "Implication des habitant·es"]
    page = client.get(grid.get_absolute_url()).content.decode()
    assert "Définie par Le groupe Capitaliser" in page
    # A grid needs at least one criterion.
    data["criteria-0-name"] = data["criteria-1-name"] = ""
    response = client.post(reverse("knowledge:grid_edit", args=[grid.pk]), data)
    assert response.status_code == 200 and grid.criteria.count() == 2
