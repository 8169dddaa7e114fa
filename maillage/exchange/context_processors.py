"""The notification badge of the site header, on every page.

A member's unread count is kept in the cache under a per-user key, so a page costs at
most one indexed COUNT when the entry is missing and no query at all when it is there;
an anonymous visitor (or a page that never shows the header) costs nothing, the count
being read only when the template asks for it. `forget_unread(user_id)` drops the entry:
`services.notify` calls it when a notification is created, the notifications page when
it marks them read. The timeout only bounds a missed invalidation (e.g. the admin).
"""

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import cached_property

# Notifications are often created by the task worker: with a per-process cache (the
# default locmem, `make run`) its `forget_unread` cannot reach the web process, so the
# entry must not live long. With a shared cache (production) it is dropped at once.
UNREAD_TIMEOUT = 60  # seconds


def _key(user_id: int) -> str:
    return f"exchange:unread-notifications:{user_id}"


def unread_count(user) -> int:
    """How many unread notifications `user` has, from the cache when it knows."""
    count = cache.get(_key(user.pk))
    if count is None:
        count = user.notifications.unread().count()
        cache.set(_key(user.pk), count, UNREAD_TIMEOUT)
    return count


def forget_unread(user_id: int) -> None:
    """Drop the cached count now and once the transaction commits (a page rendered in
    between could otherwise cache the count from before the write)."""
    cache.delete(_key(user_id))
    transaction.on_commit(lambda: cache.delete(_key(user_id)))


class NotificationBadge:
    """What the header shows: a link to the notifications page and the unread count,
    counted on first use."""

    def __init__(self, user) -> None:
        self.user = user

    @property
    def url(self) -> str:
        return reverse("exchange:notifications")

    @cached_property
    def count(self) -> int:
        return unread_count(self.user)


def notifications(request: HttpRequest) -> dict:
    """`notification_badge` for members (who may open the notifications page), nothing
    for anyone else."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_member", False):
        return {}
    return {"notification_badge": NotificationBadge(user)}
