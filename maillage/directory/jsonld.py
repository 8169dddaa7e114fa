"""schema.org JSON-LD for detail pages. Contact fields appear only when the viewer may see
them, through `visible_contacts(viewer)`."""

import json

from django.utils.safestring import mark_safe


def _dump(data: dict) -> str:
    # `</script>` inside a value must not close the tag: escape <, > and &.
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - JSON with <, >, & escaped just above


def _places(record) -> list[dict]:
    return [
        {"@type": "AdministrativeArea", "name": t.name, "identifier": t.code}
        for t in record.territories.all()
    ]


def _contacts(record, viewer) -> dict:
    contacts = record.visible_contacts(viewer)
    data = {}
    if "email" in contacts:
        data["email"] = contacts["email"]
    if "phone" in contacts:
        data["telephone"] = contacts["phone"]
    if "address" in contacts:
        data["address"] = contacts["address"]
    if "website" in contacts:
        data["url"] = contacts["website"]
    return data


def person_jsonld(person, request) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "@id": request.build_absolute_uri(person.get_absolute_url()),
        "name": person.name,
        "description": person.presentation,
        "knowsAbout": [t.name for t in person.themes.all()],
        "areaServed": _places(person),
        **_contacts(person, request.user),
    }
    return _dump(data)


def organisation_jsonld(organisation, request) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": request.build_absolute_uri(organisation.get_absolute_url()),
        "name": organisation.name,
        "description": organisation.presentation,
        "areaServed": _places(organisation),
        "knowsAbout": [t.name for t in organisation.themes.all()],
        **_contacts(organisation, request.user),
    }
    if organisation.siren:
        data["taxID"] = organisation.siren
    return _dump(data)


def initiative_jsonld(initiative, request) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Project",
        "@id": request.build_absolute_uri(initiative.get_absolute_url()),
        "name": initiative.title,
        "description": initiative.summary,
        "areaServed": _places(initiative),
        "keywords": ", ".join(t.name for t in initiative.themes.all()),
    }
    if initiative.website:
        data["url"] = initiative.website
    return _dump(data)
