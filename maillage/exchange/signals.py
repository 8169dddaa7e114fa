"""A record changed: its matching is refreshed through the task queue.

Connected from `ExchangeConfig.ready()`. Bulk writes (the demo, imports) bypass signals:
`manage.py recompute_suggestions` catches up.

An experience sheet's obstacles are features of its initiative and of the people it
names (see `matching`): a change of a published sheet (or its publication, withdrawal,
deletion, its obstacles, its people) refreshes them. Those refreshes wait for the commit:
a sheet is saved before its obstacles are written (`knowledge.services`), and the
dozen signals of one edit (each obstacle is rewritten) become one refresh per record.
"""

import threading

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils.translation import ngettext

from .models import ItemType


def _enqueue(item_type: str, pk: int) -> None:
    from .tasks import refresh_match

    refresh_match.enqueue(item_type, pk)


def notify_new(item_type: str, item_id: int, new: list) -> None:
    """« 3 nouvelles suggestions » for the member whose profile got them."""
    if item_type != ItemType.PERSON or not new:
        return
    from django.urls import reverse

    from maillage.directory.models import Person

    from .services import notify

    person = Person.objects.filter(pk=item_id).select_related("user").first()
    if person is None or person.user is None:
        return
    url = reverse("exchange:dashboard")
    if person.user.notifications.unread().filter(url=url).exists():
        return  # one unread notice is enough: the dashboard lists them all
    text = ngettext(
        "%(n)s nouvelle suggestion de mise en relation",
        "%(n)s nouvelles suggestions de mise en relation",
        len(new),
    ) % {"n": len(new)}
    notify(user=person.user, text=text, url=url)


def _person_saved(sender, instance, raw=False, **kwargs):
    # A person without an account is neither suggested nor shown suggestions.
    if not raw and instance.user_id:
        _enqueue(ItemType.PERSON, instance.pk)


def _initiative_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _enqueue(ItemType.INITIATIVE, instance.pk)


def _ad_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _enqueue(ItemType.AD, instance.pk)


def _deleted(item_type):
    def handler(sender, instance, **kwargs):
        from .models import MatchKey, MatchProfile, Suggestion

        MatchKey.objects.filter(item_type=item_type, item_id=instance.pk).delete()
        MatchProfile.objects.filter(item_type=item_type, item_id=instance.pk).delete()
        Suggestion.objects.filter(source_type=item_type, source_id=instance.pk).delete()
        Suggestion.objects.filter(target_type=item_type, target_id=instance.pk).delete()

    return handler


def _m2m(item_type, person=False):
    def handler(sender, instance, action, reverse, model, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear") or reverse:
            return
        if person and not instance.user_id:
            return
        _enqueue(item_type, instance.pk)

    return handler


def _user_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    # Only a change of state (deactivation, joining) moves a profile in or out.
    if raw or (update_fields is not None and not {"is_active", "joined_at"} & set(update_fields)):
        return
    person = getattr(instance, "person", None) if instance.pk else None
    if person is not None:
        _enqueue(ItemType.PERSON, person.pk)


# --- Experience sheets: refreshed after the commit, once per record -----------------

_current = threading.local()


class _Batch:
    """The records to refresh when one transaction commits."""

    def __init__(self) -> None:
        self.items: set[tuple[str, int]] = set()
        self.sheets: set[int] = set()  # resolved to their initiative and people
        self.published: set[int] = set()  # the same, if still published then
        self.done = False

    def flush(self) -> None:
        self.done = True
        from maillage.directory.models import Person
        from maillage.knowledge.models import ExperienceSheet

        found = ExperienceSheet.objects.filter(pk__in=self.sheets) | ExperienceSheet.objects.filter(
            pk__in=self.published, status="published"
        )
        sheet_ids = (
            list(found.values_list("pk", flat=True)) if self.sheets or self.published else []
        )
        initiatives = {i for t, i in self.items if t == ItemType.INITIATIVE}
        people = {i for t, i in self.items if t == ItemType.PERSON}
        if sheet_ids:
            initiatives.update(
                ExperienceSheet.objects.filter(
                    pk__in=sheet_ids, initiative__isnull=False
                ).values_list("initiative_id", flat=True)
            )
            people.update(
                ExperienceSheet.people.through.objects.filter(
                    experiencesheet_id__in=sheet_ids
                ).values_list("person_id", flat=True)
            )
        if people:
            # A person without an account is neither suggested nor shown suggestions.
            people = set(
                Person.objects.filter(pk__in=people, user__isnull=False).values_list(
                    "pk", flat=True
                )
            )
        for pk in sorted(initiatives):
            _enqueue(ItemType.INITIATIVE, pk)
        for pk in sorted(people):
            _enqueue(ItemType.PERSON, pk)


def _later(*, items=(), sheets=(), published_sheets=()) -> None:
    """Refresh these when the current transaction commits (at once outside of one).
    One batch per transaction, registered once with `on_commit`."""
    connection = transaction.get_connection()
    batch = getattr(_current, "batch", None)
    if not connection.in_atomic_block:
        batch = _Batch()
    elif (
        batch is None
        or batch.done
        # Its transaction was rolled back (or this is another one).
        or not any(func == batch.flush for _sids, func, _robust in connection.run_on_commit)
    ):
        batch = _current.batch = _Batch()
        transaction.on_commit(batch.flush)
    batch.items.update(items)
    batch.sheets.update(sheets)
    batch.published.update(published_sheets)
    if not connection.in_atomic_block:
        batch.flush()


def _sheet_before(sender, instance, raw=False, **kwargs):
    # What the sheet was: a draft that stays a draft changes nothing; the initiative it
    # leaves loses its obstacles.
    instance._exchange_before = (
        sender.objects.filter(pk=instance.pk).values_list("status", "initiative_id").first()
        if instance.pk and not raw
        else None
    )


def _sheet_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    status, initiative_id = getattr(instance, "_exchange_before", None) or ("draft", None)
    if status != "published" and instance.status != "published":
        return
    items = []
    if initiative_id and initiative_id != instance.initiative_id:
        items.append((ItemType.INITIATIVE, initiative_id))
    _later(items=items, sheets=[instance.pk])


def _sheet_deleted(sender, instance, **kwargs):
    # Before the delete: afterwards the sheet no longer names its people.
    if instance.status != "published":
        return
    items = [(ItemType.PERSON, pk) for pk in instance.people.values_list("pk", flat=True)]
    if instance.initiative_id:
        items.append((ItemType.INITIATIVE, instance.initiative_id))
    _later(items=items)


def _sheet_item_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _later(published_sheets=[instance.sheet_id])


def _sheet_people(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if reverse:
        # person.sheets.add(…): that person, if one of those sheets is published.
        _later(items=[(ItemType.PERSON, instance.pk)])
        return
    if instance.status != "published":
        return
    if action == "pre_clear":
        pk_set = set(instance.people.values_list("pk", flat=True))
    _later(items=[(ItemType.PERSON, pk) for pk in pk_set or ()])


def _connect_sheets() -> None:
    from django.apps import apps

    if not apps.is_installed("maillage.knowledge"):
        return
    from maillage.knowledge.models import ExperienceSheet, SheetItem

    uid = "exchange-sheet"
    pre_save.connect(_sheet_before, sender=ExperienceSheet, dispatch_uid=f"{uid}-before")
    post_save.connect(_sheet_saved, sender=ExperienceSheet, dispatch_uid=f"{uid}-save")
    pre_delete.connect(_sheet_deleted, sender=ExperienceSheet, dispatch_uid=f"{uid}-delete")
    post_save.connect(_sheet_item_changed, sender=SheetItem, dispatch_uid=f"{uid}-item-save")
    post_delete.connect(_sheet_item_changed, sender=SheetItem, dispatch_uid=f"{uid}-item-delete")
    m2m_changed.connect(
        _sheet_people, sender=ExperienceSheet.people.through, dispatch_uid=f"{uid}-people"
    )


_HANDLERS: list = []


def connect() -> None:
    from maillage.accounts.models import User
    from maillage.directory.models import Initiative, Person

    from .models import Ad

    for model, saved, item_type, person in (
        (Person, _person_saved, ItemType.PERSON, True),
        (Initiative, _initiative_saved, ItemType.INITIATIVE, False),
        (Ad, _ad_saved, ItemType.AD, False),
    ):
        uid = f"exchange-{item_type}"
        post_save.connect(saved, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(
            _deleted(item_type), sender=model, dispatch_uid=f"{uid}-delete", weak=False
        )
        for name in ("themes", "territories", "carrier_people"):
            if not any(f.name == name for f in model._meta.many_to_many):
                continue
            through = model._meta.get_field(name).remote_field.through
            m2m_changed.connect(
                _m2m(item_type, person), sender=through, dispatch_uid=f"{uid}-{name}", weak=False
            )
    post_save.connect(_user_saved, sender=User, dispatch_uid="exchange-user", weak=False)
    _connect_sheets()
