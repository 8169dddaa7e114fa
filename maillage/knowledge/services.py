"""Writes on the library: sheets with their obstacles and tips, assessments, resources,
collections. Each is one transaction, validated with `full_clean()`, and logged.

`sheet_create` is the entry point for every origin: the sheet form, a working group's
report, and the import of documents (which passes obstacles and tips per actor).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.audit import log_action

from .models import (
    Assessment,
    Collection,
    CollectionSheet,
    Criterion,
    EvaluationGrid,
    ExperienceSheet,
    Origin,
    Rating,
    Resource,
    SheetItem,
    SheetStatus,
)
from .uploads import CheckedFile


@dataclass
class ItemInput:
    """An obstacle or a tip, and optionally who said it (a record, or a name)."""

    text: str
    person: Any = None
    organisation: Any = None
    actor_name: str = ""


SHEET_TEXT_FIELDS = (
    "title",
    "summary",
    "context",
    "actions",
    "results",
    "differently",
    "outcome",
    "visibility",
    "source",
    "contact_person",
    "initiative",
    "event",
    "group",
)
SHEET_M2M = ("themes", "territories", "people", "organisations")


def _as_item(value: ItemInput | str) -> ItemInput:
    return ItemInput(text=value) if isinstance(value, str) else value


def _write_items(sheet: ExperienceSheet, obstacles, tips) -> None:
    sheet.items.all().delete()
    rows = []
    position = 0
    for kind, values in ((SheetItem.Kind.OBSTACLE, obstacles), (SheetItem.Kind.TIP, tips)):
        for value in values:
            item = _as_item(value)
            if not item.text.strip():
                continue
            row = SheetItem(
                sheet=sheet,
                kind=kind,
                text=item.text.strip(),
                person=item.person,
                organisation=item.organisation,
                actor_name=(item.actor_name or "").strip()[:200],
                position=position,
            )
            row.full_clean(exclude=["sheet"])
            rows.append(row)
            position += 1
    SheetItem.objects.bulk_create(rows)


def _reindex(sheet: ExperienceSheet) -> None:
    # Bulk-created items send no signal: index the sheet again, with them.
    from maillage.search import registry
    from maillage.search.index import index_pks

    index_pks(registry.get("sheet"), [sheet.pk])


def _set_m2m(sheet: ExperienceSheet, values: dict[str, Iterable]) -> None:
    for name in SHEET_M2M:
        if values.get(name) is not None:
            getattr(sheet, name).set(list(values[name]))


@transaction.atomic
def sheet_create(
    *,
    actor,
    title: str,
    outcome: str,
    origin: str = Origin.MEMBER,
    obstacles: Sequence[ItemInput | str] = (),
    tips: Sequence[ItemInput | str] = (),
    publish: bool = False,
    themes: Iterable = (),
    territories: Iterable = (),
    people: Iterable = (),
    organisations: Iterable = (),
    **fields: Any,
) -> ExperienceSheet:
    """Create an experience sheet with its obstacles and tips (a draft unless `publish`).

    `fields` are the sheet's other fields (summary, context, actions, results,
    differently, visibility, source, contact_person, initiative, event, group — a
    forums.Group for a sheet drawn from a group's report).
    """
    unknown = set(fields) - set(SHEET_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown sheet fields: {sorted(unknown)}")
    sheet = ExperienceSheet(
        title=title, outcome=outcome, origin=origin, created_by=actor if _real(actor) else None
    )
    for name, value in fields.items():
        setattr(sheet, name, value)
    if publish:
        sheet.status = SheetStatus.PUBLISHED
        sheet.published_at = timezone.now()
    sheet.full_clean()
    sheet.save()
    _set_m2m(
        sheet,
        {
            "themes": themes,
            "territories": territories,
            "people": people,
            "organisations": organisations,
        },
    )
    _write_items(sheet, obstacles, tips)
    _reindex(sheet)
    log_action(actor=actor, action="sheet.create", obj=sheet, data={"origin": origin})
    return sheet


@transaction.atomic
def sheet_update(
    *,
    sheet: ExperienceSheet,
    actor,
    obstacles: Sequence[ItemInput | str] | None = None,
    tips: Sequence[ItemInput | str] | None = None,
    m2m: dict[str, Iterable] | None = None,
    **fields: Any,
) -> ExperienceSheet:
    """Change a sheet; obstacles and tips, when given, replace the existing ones."""
    unknown = set(fields) - set(SHEET_TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown sheet fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(sheet, name, value)
    sheet.full_clean()
    sheet.save()
    _set_m2m(sheet, m2m or {})
    if obstacles is not None or tips is not None:
        if obstacles is None:
            obstacles = [_keep(i) for i in sheet.items.filter(kind=SheetItem.Kind.OBSTACLE)]
        if tips is None:
            tips = [_keep(i) for i in sheet.items.filter(kind=SheetItem.Kind.TIP)]
        _write_items(sheet, obstacles, tips)
        _reindex(sheet)
    log_action(actor=actor, action="sheet.update", obj=sheet, data={"fields": sorted(fields)})
    return sheet


def _keep(item: SheetItem) -> ItemInput:
    return ItemInput(item.text, item.person, item.organisation, item.actor_name)


def _real(actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


@transaction.atomic
def sheet_publish(*, sheet: ExperienceSheet, actor) -> ExperienceSheet:
    """Publish a draft: it appears in the library, the search and collections."""
    if not sheet.is_published:
        sheet.status = SheetStatus.PUBLISHED
        sheet.published_at = timezone.now()
        sheet.save(update_fields=["status", "published_at", "updated_at"])
        log_action(actor=actor, action="sheet.publish", obj=sheet)
    return sheet


@transaction.atomic
def sheet_unpublish(*, sheet: ExperienceSheet, actor) -> ExperienceSheet:
    if sheet.is_published:
        sheet.status = SheetStatus.DRAFT
        sheet.save(update_fields=["status", "updated_at"])
        log_action(actor=actor, action="sheet.unpublish", obj=sheet)
    return sheet


@transaction.atomic
def grid_save(
    *,
    actor,
    name: str,
    defined_by_name: str,
    criteria: Sequence[tuple[str, str]],
    description: str = "",
    is_active: bool = True,
    grid: EvaluationGrid | None = None,
) -> EvaluationGrid:
    """Create or change a grid and its criteria, (name, description) in order.

    A criterion keeps its ratings when its name stays; a criterion removed takes its
    ratings with it.
    """
    if not [c for c in criteria if c[0].strip()]:
        raise ValidationError(_("Une grille a au moins un critère."))
    created = grid is None
    grid = grid or EvaluationGrid(defined_by=actor if _real(actor) else None)
    grid.name, grid.description = name, description
    grid.defined_by_name, grid.is_active = defined_by_name, is_active
    grid.full_clean()
    grid.save()
    existing = {c.name: c for c in grid.criteria.all()}
    kept = []
    for position, (criterion_name, criterion_description) in enumerate(criteria):
        criterion_name = criterion_name.strip()
        if not criterion_name:
            continue
        criterion = existing.get(criterion_name) or Criterion(grid=grid, name=criterion_name)
        criterion.description, criterion.position = criterion_description.strip(), position
        criterion.full_clean()
        criterion.save()
        kept.append(criterion.pk)
    grid.criteria.exclude(pk__in=kept).delete()
    log_action(actor=actor, action="grid.create" if created else "grid.update", obj=grid)
    return grid


@transaction.atomic
def assessment_save(
    *,
    sheet: ExperienceSheet,
    grid: EvaluationGrid,
    assessor,
    ratings: dict[int, tuple[int, str]],
    comment: str = "",
) -> Assessment:
    """Record (or replace) `assessor`'s assessment: criterion id -> (level, comment)."""
    criteria = {c.pk: c for c in grid.criteria.all()}
    if not ratings or set(ratings) - set(criteria):
        raise ValidationError(_("Évaluez les critères de cette grille."))
    assessment, _created = Assessment.objects.get_or_create(
        sheet=sheet, grid=grid, assessor=assessor, defaults={"comment": comment}
    )
    assessment.comment = comment
    assessment.full_clean()
    assessment.save()
    assessment.ratings.all().delete()
    rows = []
    for criterion_id, (level, text) in ratings.items():
        row = Rating(
            assessment=assessment, criterion=criteria[criterion_id], level=level, comment=text
        )
        row.full_clean()
        rows.append(row)
    Rating.objects.bulk_create(rows)
    log_action(actor=assessor, action="sheet.assess", obj=sheet, data={"grid": grid.pk})
    return assessment


@transaction.atomic
def resource_save(
    *,
    resource: Resource,
    actor,
    checked: CheckedFile | None = None,
    themes: Iterable | None = None,
    territories: Iterable | None = None,
) -> Resource:
    """Save a resource (new or changed), storing an uploaded document under a random name."""
    created = resource.pk is None
    if created and _real(actor):
        resource.created_by = actor
    if checked is not None:
        if resource.file:
            resource.file.delete(save=False)
        resource.file.save(checked.name, checked.upload, save=False)
        resource.file_name = checked.name
        resource.file_type = checked.file_type
        resource.content_type = checked.content_type
        resource.file_size = resource.file.size
    if resource.kind != Resource.Kind.DOCUMENT and resource.file:
        resource.file.delete(save=False)
        resource.file_name = resource.file_type = resource.content_type = ""
        resource.file_size = 0
    resource.full_clean()
    resource.save()
    if themes is not None:
        resource.themes.set(list(themes))
    if territories is not None:
        resource.territories.set(list(territories))
    log_action(
        actor=actor, action="resource.create" if created else "resource.update", obj=resource
    )
    return resource


@transaction.atomic
def resource_delete(*, resource: Resource, actor) -> None:
    log_action(actor=actor, action="resource.delete", obj=resource)
    if resource.file:
        # The file goes once the row is gone for good.
        name, storage = resource.file.name, resource.file.storage
        transaction.on_commit(lambda: storage.delete(name))
    resource.delete()


@transaction.atomic
def collection_add_sheet(*, collection: Collection, sheet: ExperienceSheet, actor) -> bool:
    """Add a published sheet at the end of a collection; False if it was already in."""
    if not sheet.is_published:
        raise ValidationError(_("Seule une fiche publiée peut entrer dans une collection."))
    if CollectionSheet.objects.filter(collection=collection, sheet=sheet).exists():
        return False
    last = collection.collectionsheet_set.aggregate(m=Max("position"))["m"]
    CollectionSheet.objects.create(
        collection=collection, sheet=sheet, position=0 if last is None else last + 1
    )
    collection.save(update_fields=["updated_at"])
    log_action(actor=actor, action="collection.add_sheet", obj=collection, data={"sheet": sheet.pk})
    return True


@transaction.atomic
def collection_remove_sheet(*, collection: Collection, sheet: ExperienceSheet, actor) -> None:
    CollectionSheet.objects.filter(collection=collection, sheet=sheet).delete()
    collection.save(update_fields=["updated_at"])
    log_action(
        actor=actor, action="collection.remove_sheet", obj=collection, data={"sheet": sheet.pk}
    )
