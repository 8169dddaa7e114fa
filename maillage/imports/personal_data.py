"""The imports' part of a member's personal data: the reports their profile came from.

Erasing removes the links between the person and the imports (the directory erases the
profile itself) and scrubs their name, e-mail and phone from the stored source texts.
"""

from maillage.accounts import personal_data

from .models import ImportedContact, ImportedFollowUp


def export(user) -> list[dict]:
    links = ImportedContact.objects.filter(person__user=user).select_related("document")
    return [
        {
            "document": link.document.title or link.document.file_name,
            "imported_at": link.document.created_at.isoformat(),
            "status": link.status,
        }
        for link in links
    ]


def erase(user) -> None:
    from .services import scrub_person

    links = ImportedContact.objects.filter(person__user=user).select_related("person")
    for link in links:
        scrub_person(link.person)
    ImportedFollowUp.objects.filter(person__user=user).delete()
    links.delete()


personal_data.register("imports", export, erase)
