"""Access-matrix rows of the library (gathered by core/tests/test_access_matrix.py).

The owner wrote a draft sheet and shared a members-only resource; a published sheet,
a grid and a collection exist. Drafts and members-only records answer 404 to those who
may not know they exist.
"""

from maillage.core.tests.matrix import (
    ALL_OK,
    FACILITATORS_OK,
    LOGIN,
    MEMBERS_OK,
    OWNER_OK,
    roles,
)


def world(owner, base) -> dict:
    from .factories import CollectionFactory, GridFactory, ResourceFactory, SheetFactory

    published = SheetFactory(title="Une régie publique qui n'a pas tenu", outcome="failure")
    draft = SheetFactory(created_by=owner, status="draft")
    document = ResourceFactory(created_by=owner, visibility="members", kind="document")
    from django.core.files.base import ContentFile

    from .factories import PDF_BYTES

    document.file.save("guide.pdf", ContentFile(PDF_BYTES))
    document.file_name, document.content_type = "guide.pdf", "application/pdf"
    document.save()
    collection = CollectionFactory()
    from .factories import add_to_collection

    add_to_collection(collection, published)
    from maillage.forums.tests.factories import accepted_group

    return {
        "group": accepted_group(),
        "published": published,
        "draft": draft,
        "resource": document,
        "grid": GridFactory(),
        "collection": collection,
    }


def _k(w):
    return w["knowledge"]


# Visible only to the owner and facilitators: others get a 404.
OWNER_SEES = roles(404, 404, 200, 200, 200)
MEMBERS_POST = roles(LOGIN, 405, 405, 405, 405)

MATRIX = {
    "knowledge:home": ({}, ALL_OK),
    "knowledge:sheets": ({}, ALL_OK),
    "knowledge:sheet_create": ({}, MEMBERS_OK),
    "knowledge:sheet_from_group": (lambda w: {"group_pk": _k(w)["group"].pk}, MEMBERS_OK),
    "knowledge:sheet": (lambda w: {"pk": _k(w)["published"].pk}, ALL_OK),
    "knowledge:sheet_edit": (lambda w: {"pk": _k(w)["draft"].pk}, OWNER_OK),
    "knowledge:sheet_publish": (
        lambda w: {"pk": _k(w)["draft"].pk},
        roles(405, 405, 405, 405, 405),
    ),
    "knowledge:sheet_print": (lambda w: {"pk": _k(w)["draft"].pk}, OWNER_SEES),
    "knowledge:sheet_pdf": (lambda w: {"pk": _k(w)["published"].pk}, ALL_OK),
    # The owner is a member who did not write the published sheet: they may assess it.
    "knowledge:sheet_assess": (
        lambda w: {"pk": _k(w)["published"].pk, "grid_pk": _k(w)["grid"].pk},
        MEMBERS_OK,
    ),
    "knowledge:sheet_collect": (
        lambda w: {"pk": _k(w)["published"].pk},
        roles(405, 405, 405, 405, 405),
    ),
    "knowledge:grids": ({}, ALL_OK),
    "knowledge:grid_create": ({}, FACILITATORS_OK),
    "knowledge:grid": (lambda w: {"pk": _k(w)["grid"].pk}, ALL_OK),
    "knowledge:grid_edit": (lambda w: {"pk": _k(w)["grid"].pk}, FACILITATORS_OK),
    "knowledge:resources": ({}, ALL_OK),
    "knowledge:resource_create": ({}, MEMBERS_OK),
    "knowledge:resource": (lambda w: {"pk": _k(w)["resource"].pk}, roles(404, 200, 200, 200, 200)),
    "knowledge:resource_edit": (lambda w: {"pk": _k(w)["resource"].pk}, OWNER_OK),
    "knowledge:resource_delete": (
        lambda w: {"pk": _k(w)["resource"].pk},
        roles(405, 405, 405, 405, 405),
    ),
    "knowledge:resource_download": (
        lambda w: {"pk": _k(w)["resource"].pk},
        roles(404, 200, 200, 200, 200),
    ),
    "knowledge:resource_collect": (
        lambda w: {"pk": _k(w)["resource"].pk},
        roles(405, 405, 405, 405, 405),
    ),
    "knowledge:collections": ({}, ALL_OK),
    "knowledge:collection_create": ({}, FACILITATORS_OK),
    "knowledge:collection": (lambda w: {"pk": _k(w)["collection"].pk}, ALL_OK),
    "knowledge:collection_edit": (lambda w: {"pk": _k(w)["collection"].pk}, FACILITATORS_OK),
    "knowledge:collection_remove": (
        lambda w: {"pk": _k(w)["collection"].pk},
        roles(405, 405, 405, 405, 405),
    ),
    "knowledge:collection_booklet": (lambda w: {"pk": _k(w)["collection"].pk}, ALL_OK),
}
