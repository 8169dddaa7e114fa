"""A record changed: its matching is refreshed through the task queue.

Connected from `ExchangeConfig.ready()`. Bulk writes (the demo, imports) bypass signals:
`manage.py recompute_suggestions` catches up.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
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
