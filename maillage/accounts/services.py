"""Writes on accounts that touch several models or have side effects."""

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from maillage.core.audit import log_action

from . import personal_data
from .models import CharterAcceptance, CharterVersion, Role, User, UserSession

CURRENT_CHARTER_CACHE_KEY = "accounts:current-charter-version"


def current_charter_version() -> int | None:
    """The number of the charter in force (cached; reset when a version is published)."""
    version = cache.get(CURRENT_CHARTER_CACHE_KEY)
    if version is None:
        current = CharterVersion.objects.current()
        version = current.version if current else 0
        cache.set(CURRENT_CHARTER_CACHE_KEY, version, 300)
    return version or None


def charter_publish(*, author: User | None, text: str, summary: str = "") -> CharterVersion:
    """Publish a new version of the charter; members will be asked to accept it."""
    with transaction.atomic():
        last = CharterVersion.objects.select_for_update().order_by("-version").first()
        charter = CharterVersion(
            version=(last.version + 1) if last else 1,
            text=text,
            summary=summary,
            published_by=author,
        )
        charter.full_clean()
        charter.save()
        log_action(actor=author, action="charter.publish", obj=charter)
        cache.delete(CURRENT_CHARTER_CACHE_KEY)
        # Again after commit: a request may have cached the old number in between.
        transaction.on_commit(lambda: cache.delete(CURRENT_CHARTER_CACHE_KEY))
    return charter


def charter_accept(*, user: User, charter: CharterVersion) -> CharterAcceptance:
    """Record that `user` accepts `charter`; the first acceptance makes them a member."""
    with transaction.atomic():
        acceptance, _ = CharterAcceptance.objects.get_or_create(user=user, charter=charter)
        if user.joined_at is None:
            user.joined_at = timezone.now()
            user.save(update_fields=["joined_at"])
            log_action(actor=user, action="member.join", obj=user)
    return acceptance


def personal_data_export(*, user: User) -> dict[str, Any]:
    """Everything Maillage stores about `user`, app by app, as JSON-able data."""
    return {
        "format": "maillage.personal-data.v1",
        "exported_at": timezone.now().isoformat(),
        "data": {p.name: p.export(user) for p in personal_data.providers()},
    }


def account_delete(*, user: User) -> None:
    """Erase `user`'s personal fields in every app and end their sessions.

    The account row stays (anonymised) so that the network's records they contributed
    to keep their history, attributed to a deleted member.
    """
    with transaction.atomic():
        for provider in personal_data.providers():
            if provider.erase is not None:
                provider.erase(user)
        user.is_active = False
        user.role = Role.MEMBER
        user.deleted_at = timezone.now()
        user.save()
        UserSession.objects.filter(user=user).delete()
        log_action(actor=None, action="account.delete", obj=user)
