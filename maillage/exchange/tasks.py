"""Background work of exchange: keeping suggestions current and the e-mail digest."""

from django.tasks import task


@task()
def refresh_match(item_type: str, item_id: int) -> int:
    """Re-index one record and recompute the suggestions it takes part in; tell the
    owner of a person's profile about new suggestions (in the app)."""
    from .matching import refresh_item
    from .signals import notify_new

    new, mirrored = refresh_item(item_type, item_id)
    notify_new(item_type, item_id, new)
    for source_type, source_id in mirrored:
        notify_new(source_type, source_id, [(item_type, item_id)])
    return len(new)


@task()
def send_digests(base_url: str = "") -> int:
    """Send the digest of new suggestions to every member who asked for it."""
    from .models import MatchPreferences
    from .services import digest_send

    sent = 0
    for prefs in MatchPreferences.objects.filter(digest=True).select_related("user"):
        sent += 1 if digest_send(user=prefs.user, base_url=base_url) else 0
    return sent
