"""Background work of imports: building the draft of a document that was read."""

from django.tasks import task


@task()
def extract_import(document_id: int) -> int | None:
    """Extract the draft of an import (the page polls its progress meanwhile)."""
    from .services import import_extract

    document = import_extract(document_id=document_id)
    return document.pk if document else None
