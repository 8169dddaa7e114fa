"""The signals of the directory, the agenda and the library (experience sheets) that move
points on the map; connected by `MapsConfig.ready()`.

Every handler ends in `sync.point_sync`, which rereads the record, so a handler only has
to say which records may have changed. Bulk writes (`bulk_create`, `QuerySet.update`)
send no signal: run `manage.py rebuild_map` after them (the demo generator does).
"""

from django.conf import settings
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import sync
from .models import MapPoint, MapPointTheme


def _saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loaddata: the fixture's other rows may not be there yet
        return
    sync.point_sync(sync.kind_of(sender), instance.pk)


def _deleted(sender, instance, **kwargs) -> None:
    sync.point_remove(sync.kind_of(sender), instance.pk)


def _theme_holders(kind: int, theme) -> set[int]:
    return set(
        MapPointTheme.objects.filter(point__kind=kind, theme_id=theme.pk).values_list(
            "point__object_id", flat=True
        )
    )


def _commune_people(kind: int, territory) -> set[int]:
    return set(
        MapPoint.objects.filter(kind=kind, commune_id=territory.pk).values_list(
            "object_id", flat=True
        )
    )


def _sheets_placed_in(kind: int, territory) -> set[int]:
    # Superset: every sheet whose point lies in the territory (point_sync rereads each).
    pk = territory.pk
    return set(
        MapPoint.objects.filter(
            Q(commune_id=pk) | Q(epci_id=pk) | Q(departement_id=pk) | Q(region_id=pk),
            kind=kind,
        ).values_list("object_id", flat=True)
    )


def _links_changed(kind: int, holders):
    """A handler for the themes (or a person's territories) of records of `kind`;
    `holders(kind, other)` names the records on the map linked to `other`."""

    def handler(sender, instance, action, reverse, pk_set, **kwargs) -> None:
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if not reverse:
            sync.point_sync(kind, instance.pk)
            return
        # From the other side (theme.initiatives.add(…)): the records named, or on a
        # clear, every record of `kind` the map still links to it.
        if pk_set is None:
            pk_set = holders(kind, instance)
        for pk in sorted(pk_set):
            sync.point_sync(kind, pk)

    return handler


def _theme_deleted(sender, instance, **kwargs) -> None:
    sync.theme_removed(instance.pk)


def _user_saved(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    # A deactivated account takes its person off the map. Logging in saves `last_login`
    # only: nothing to do then.
    if raw or (update_fields is not None and "is_active" not in update_fields):
        return
    from maillage.directory.models import Person

    for pk in Person.objects.filter(user_id=instance.pk).values_list("pk", flat=True):
        sync.point_sync(sync.Kind.PERSON, pk)


_handlers: list = []  # strong references: the signals keep weak ones


def connect() -> None:
    from maillage.directory.models import Initiative, Organisation, Person, Theme
    from maillage.events.models import Event
    from maillage.knowledge.models import ExperienceSheet

    for model in (Organisation, Initiative, Person, Event, ExperienceSheet):
        kind = sync.kind_of(model)
        uid = f"maps-{model._meta.model_name}"
        post_save.connect(_saved, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-delete")
        themes = _links_changed(kind, _theme_holders)
        _handlers.append(themes)
        m2m_changed.connect(themes, sender=model.themes.through, dispatch_uid=f"{uid}-themes")
    places = _links_changed(sync.Kind.PERSON, _commune_people)
    _handlers.append(places)
    m2m_changed.connect(
        places, sender=Person.territories.through, dispatch_uid="maps-person-territories"
    )
    sheet_places = _links_changed(sync.Kind.SHEET, _sheets_placed_in)
    _handlers.append(sheet_places)
    m2m_changed.connect(
        sheet_places,
        sender=ExperienceSheet.territories.through,
        dispatch_uid="maps-sheet-territories",
    )
    post_delete.connect(_theme_deleted, sender=Theme, dispatch_uid="maps-theme-delete")
    post_save.connect(_user_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="maps-user")
