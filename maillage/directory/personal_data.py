"""The directory's part of a member's personal data: their profile, exported and erased."""

from django.utils.translation import gettext

from maillage.accounts import personal_data

from .models import Person, Visibility

PROFILE_FIELDS = (
    "name",
    "presentation",
    "drives",
    "seeks",
    "offers",
    "skills_sought",
    "availability",
    "visibility",
    "is_resource_person",
    "on_map",
    "announce_in_letter",
    "email",
    "email_visibility",
    "phone",
    "phone_visibility",
    "address",
    "address_visibility",
    "website",
    "website_visibility",
    "social_links",
    "social_links_visibility",
)
ERASED_TEXT_FIELDS = (
    "presentation",
    "drives",
    "seeks",
    "offers",
    "skills_sought",
    "availability",
    "email",
    "phone",
    "address",
    "website",
    "social_links",
)


def export(user) -> dict | None:
    person = Person.objects.filter(user=user).prefetch_related("themes", "territories").first()
    if person is None:
        return None
    data = {field: getattr(person, field) for field in PROFILE_FIELDS}
    data["photo"] = person.photo.name or None
    data["themes"] = [t.name for t in person.themes.all()]
    data["territories"] = [t.code for t in person.territories.all()]
    data["organisations"] = [
        {"organisation": m.organisation.name, "role": m.role}
        for m in person.memberships.select_related("organisation")
    ]
    return data


def erase(user) -> None:
    person = Person.objects.filter(user=user).first()
    if person is None:
        return
    for field in ERASED_TEXT_FIELDS:
        setattr(person, field, "")
    if person.photo:
        person.photo.delete(save=False)
    person.name = gettext("Membre supprimé·e")
    person.visibility = Visibility.PRIVATE
    person.is_resource_person = False
    person.on_map = False
    person.announce_in_letter = False
    person.save()
    person.themes.clear()
    person.territories.clear()
    person.resource_themes.clear()


personal_data.register("annuaire", export, erase)
