"""GoGoCarto exchange: Maillage's initiatives in GoGoCarto's element format, and an import
from a GoGoCarto JSON export (or CSV) into the directory.

The format follows GoGoCarto's public API (`/api/elements.json`, "gogofull" ontology)
and GoGoCartoJs's dataset documentation: `{"licence", "ontology", "data": [element…]}`,
each element with `id`, `name`, `geo: {latitude, longitude}`, `address: {streetAddress,
addressLocality, postalCode, addressCountry, customFormatedAddress}`, `categories` (names),
`categoriesFull` (`{id, name}`), `description`, `descriptionMore`, `website`,
`sourceKey`, `createdAt`, `updatedAt`. The import also reads the variants the JS library
accepts (`title`, `lat`/`lng`, `taxonomy`) and a CSV with these column names.

Import rules: categories map to themes by their name (accents and case aside) or slug;
addresses are geocoded offline to a commune (postal code + locality name, from the
territories tables); an element already imported (same source and id) is updated, one that
matches an existing initiative (same normalised title, and same commune when both are
known) is linked to it instead of duplicated: running the import twice creates nothing
new.
"""

import csv
import io
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from maillage.core.audit import log_action
from maillage.core.text import normalise
from maillage.directory.models import Initiative, Moderation, Theme
from maillage.territories.models import PostalCode, Territory

from .models import ImportedElement, OpenDataSettings

MAX_ELEMENTS = 20_000


# Export ---------------------------------------------------------------------------------


def element(initiative: Initiative, *, base_url: str, source: str) -> dict:
    commune = initiative.commune
    postal_codes = sorted(p.code for p in commune.postal_codes.all()) if commune else []
    address = {
        "streetAddress": "",
        "addressLocality": commune.name if commune else "",
        "postalCode": postal_codes[0] if postal_codes else "",
        "addressCountry": "FR",
        "customFormatedAddress": (
            f"{postal_codes[0] + ' ' if postal_codes else ''}{commune.name}" if commune else ""
        ),
    }
    themes = list(initiative.themes.all())
    data = {
        "id": f"maillage-{initiative.pk}",
        "name": initiative.title,
        "geo": {"latitude": initiative.latitude, "longitude": initiative.longitude},
        "address": address,
        "categories": [t.name for t in themes],
        "categoriesFull": [{"id": t.pk, "name": t.name} for t in themes],
        "description": initiative.summary,
        "descriptionMore": initiative.description,
        "website": initiative.website,
        "url": f"{base_url.rstrip('/')}{initiative.get_absolute_url()}",
        "sourceKey": source,
        "createdAt": initiative.created_at.isoformat(),
        "updatedAt": initiative.updated_at.isoformat(),
        "status": 1,
    }
    return data


def export_queryset():
    return (
        Initiative.objects.published()
        .select_related("commune")
        .prefetch_related("themes", "commune__postal_codes")
        .order_by("pk")
    )


def export(*, base_url: str) -> dict:
    licence = OpenDataSettings.current().as_dict()
    source = settings.SITE_NAME
    return {
        "licence": licence["url"],
        "ontology": "gogofull",
        "data": [element(i, base_url=base_url, source=source) for i in export_queryset()],
    }


# Import ---------------------------------------------------------------------------------


class ImportError_(ValueError):
    """The file is not a GoGoCarto export we can read."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    linked: int = 0
    skipped: int = 0
    unlocated: int = 0
    unmapped: set[str] = field(default_factory=set)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.linked


def parse(content: str | bytes) -> list[dict]:
    """Elements from a JSON export (`{"data": [...]}` or a bare list) or a CSV."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportError_("Le fichier n'est pas en UTF-8.") from error
    text = content.strip()
    if text.startswith(("{", "[")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ImportError_(f"JSON illisible : {error.msg} (ligne {error.lineno}).") from error
        if isinstance(data, dict):
            data = data.get("data", data.get("elements"))
        if not isinstance(data, list):
            raise ImportError_("Aucune liste d'éléments (« data ») dans ce JSON.")
        elements = [e for e in data if isinstance(e, dict)]
    else:
        try:
            elements = list(csv.DictReader(io.StringIO(text)))
        except csv.Error as error:
            raise ImportError_(f"CSV illisible : {error}.") from error
        if elements and not ({"name", "title"} & set(elements[0])):
            raise ImportError_("Le CSV n'a pas de colonne « name » ni « title ».")
    if len(elements) > MAX_ELEMENTS:
        raise ImportError_(f"Plus de {MAX_ELEMENTS} éléments : découpez le fichier.")
    return elements


def _text(value, limit: int) -> str:
    return str(value or "").strip()[:limit]


def _categories(raw: dict) -> list[str]:
    names: list[str] = []
    full = raw.get("categoriesFull")
    if isinstance(full, list):
        names += [str(c.get("name", "")) for c in full if isinstance(c, dict)]
    for key in ("categories", "taxonomy", "optionValues"):
        value = raw.get(key)
        if isinstance(value, str):
            value = value.replace(";", ",").split(",")
        if isinstance(value, list):
            names += [str(v) for v in value if isinstance(v, str)]
    seen, result = set(), []
    for name in (n.strip() for n in names):
        if name and normalise(name) not in seen:
            seen.add(normalise(name))
            result.append(name)
    return result


def _address(raw: dict) -> tuple[str, str]:
    address = raw.get("address")
    if isinstance(address, dict):
        return _text(address.get("postalCode"), 10), _text(address.get("addressLocality"), 200)
    return _text(raw.get("postalCode"), 10), _text(
        raw.get("addressLocality") or raw.get("city"), 200
    )


def locate(postal_code: str, locality: str) -> Territory | None:
    """The commune of an address, offline: postal code and name, or either alone if that
    leaves a single commune."""
    wanted = normalise(locality) if locality else ""
    candidates = []
    if postal_code:
        candidates = [
            p.commune for p in PostalCode.objects.filter(code=postal_code).select_related("commune")
        ]
        if len({c.pk for c in candidates}) == 1 and not wanted:
            return candidates[0]
        named = [c for c in candidates if wanted and c.search_name == wanted]
        if named:
            return named[0]
        if len({c.pk for c in candidates}) == 1:
            return candidates[0]
    if wanted:
        named = list(Territory.objects.communes().filter(search_name=wanted)[:2])
        if len(named) == 1:
            return named[0]
    return None


def _themes(names: list[str], *, create: bool, report: ImportReport) -> list[Theme]:
    known = {normalise(t.name): t for t in Theme.objects.all()}
    known.update({t.slug: t for t in Theme.objects.all()})
    themes = []
    for name in names:
        theme = known.get(normalise(name)) or known.get(slugify(name))
        if theme is None and create:
            theme = Theme.objects.create(name=name[:80], slug=slugify(name)[:80] or "theme")
            known[normalise(name)] = theme
        if theme is None:
            report.unmapped.add(name)
        else:
            themes.append(theme)
    return themes


def _existing(title: str, commune: Territory | None) -> Initiative | None:
    same = Initiative.objects.exclude(status=Moderation.REJECTED).filter(
        search_name=normalise(title)[:200]
    )
    if commune is not None:
        return same.filter(commune=commune).first() or same.filter(commune__isnull=True).first()
    return same.first()


def gogocarto_import(
    *, elements: list[dict], source: str, actor=None, create_themes: bool = False
) -> ImportReport:
    """Bring GoGoCarto elements into the directory as published initiatives (re-runnable)."""
    report = ImportReport()
    source = source[:200] or "gogocarto"
    with transaction.atomic():
        for raw in elements:
            title = _text(raw.get("name") or raw.get("title"), 200)
            if not title:
                report.skipped += 1
                continue
            external_id = _text(raw.get("id"), 100) or normalise(title)[:100]
            postal_code, locality = _address(raw)
            commune = locate(postal_code, locality)
            if commune is None:
                report.unlocated += 1
            themes = _themes(_categories(raw), create=create_themes, report=report)
            summary = _text(raw.get("description"), 300) or title
            description = _text(raw.get("descriptionMore"), 10000)
            website = _text(raw.get("website"), 200)
            if website and not website.startswith(("http://", "https://")):
                website = ""
            link = ImportedElement.objects.filter(source=source, external_id=external_id).first()
            initiative = link.initiative if link else _existing(title, commune)
            if initiative is None:
                initiative = Initiative(status=Moderation.PUBLISHED, created_by=actor)
                report.created += 1
            elif link:
                report.updated += 1
            else:
                report.linked += 1
            initiative.title = title
            initiative.summary = summary
            initiative.description = description or initiative.description
            initiative.website = website or initiative.website
            initiative.commune = commune or initiative.commune
            if initiative.commune is not None:
                initiative.latitude = initiative.commune.latitude
                initiative.longitude = initiative.commune.longitude
            initiative.full_clean(exclude=["created_by", "commune"])
            initiative.save()
            if themes:
                initiative.themes.add(*themes)
            if link is None:
                ImportedElement.objects.create(
                    source=source, external_id=external_id, initiative=initiative
                )
        log_action(
            actor=actor,
            action="opendata.gogocarto_import",
            data={
                "source": source,
                "created": report.created,
                "updated": report.updated,
                "linked": report.linked,
                "skipped": report.skipped,
            },
        )
    return report
