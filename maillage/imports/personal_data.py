"""The imports' part of a member's personal data: the reports their profile came from.

Erasing removes the links between the person and the imports (the directory erases the
profile itself) and scrubs their name, e-mail and phone from the stored source texts;
follow-ups that a report listed by this person's address alone go too.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from maillage.accounts import personal_data

from .models import ImportedContact, ImportedFollowUp


def _addresses(user) -> list[str]:
    # The stored address too: the account's own eraser may have blanked `user.email`
    # already (the providers run in turn, and the row is saved after the last).
    stored = get_user_model().objects.filter(pk=user.pk).values_list("email", flat=True).first()
    return sorted({a.lower() for a in (user.email, stored) if a})


def _by_address(user):
    query = Q(pk__in=[])
    for address in _addresses(user):
        query |= Q(email__iexact=address)
    return ImportedFollowUp.objects.filter(query)


def export(user) -> list[dict]:
    links = ImportedContact.objects.filter(person__user=user).select_related("document")
    found = [
        {
            "document": link.document.title or link.document.file_name,
            "imported_at": link.document.created_at.isoformat(),
            "status": link.status,
        }
        for link in links
    ]
    found += [
        {
            "document": row.document.title or row.document.file_name,
            "imported_at": row.document.created_at.isoformat(),
            "follow_up_of_group": str(row.group),
            "email": row.email,
        }
        for row in _by_address(user).select_related("document", "group")
    ]
    return found


def erase(user) -> None:
    from .services import scrub_documents, scrub_person

    links = ImportedContact.objects.filter(person__user=user).select_related("person")
    for link in links:
        scrub_person(link.person)
    ImportedFollowUp.objects.filter(person__user=user).delete()
    links.delete()
    by_address = _by_address(user)
    scrub_documents(by_address.values("document_id"), _addresses(user))
    by_address.delete()


personal_data.register("imports", export, erase)
