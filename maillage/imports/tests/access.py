"""Access-matrix rows of imports: facilitators import and review; the claim page is
reached with a signed link (a wrong token is a 404 for everyone)."""

from maillage.core.tests.matrix import (
    ALL_OK,
    FACILITATORS_OK,
    FACILITATORS_POST_ONLY,
)


def world(owner, base) -> dict:
    from maillage.imports.services import claim_token

    from .factories import imported_contact, review_import

    document = review_import(created_by=None)
    contact = imported_contact()
    return {"document": document, "contact": contact, "token": claim_token(contact)}


def _document(w):
    return {"pk": w["imports"]["document"].pk}


MATRIX = {
    "imports:list": ({}, FACILITATORS_OK),
    "imports:review": (_document, FACILITATORS_OK),
    "imports:status": (_document, FACILITATORS_OK),
    "imports:accept": (_document, FACILITATORS_POST_ONLY),
    "imports:delete": (_document, FACILITATORS_POST_ONLY),
    "imports:invite": (lambda w: {"pk": w["imports"]["contact"].pk}, FACILITATORS_POST_ONLY),
    "imports:claim": (lambda w: {"token": w["imports"]["token"]}, ALL_OK),
}
