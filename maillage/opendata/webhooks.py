"""Outgoing webhooks: a message to Mattermost, Slack, Rocket.Chat or any JSON receiver
when something is published.

`fire()` is called by the apps (from a signal, see `directory/publish.py`); it records one
`WebhookDelivery` per interested webhook and record (a unique triple: saving a published
record again notifies nobody twice) and, after the transaction, enqueues
`deliver_webhook`. The task posts with `post_json` — the one seam tests replace — and on
failure tries again later (`run_after`, growing delays) up to `MAX_ATTEMPTS`.
"""

import json
import logging
import urllib.request
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger("maillage.opendata")

MAX_ATTEMPTS = 5
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
]
TIMEOUT = 10


def post_json(url: str, payload: dict) -> int:
    """POST `payload` as JSON; returns the HTTP status (raises on network errors)."""
    request = urllib.request.Request(  # noqa: S310 - the URL is an admin-configured https? URL
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "User-Agent": "Maillage-webhook"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
        return response.status


def payload_for(fmt: str, *, event: str, title: str, text: str, url: str, label: str) -> dict:
    """The body each receiver understands: `text` for the chats, a plain object for JSON."""
    if fmt == "json":
        return {"event": event, "title": title, "text": text, "url": url}
    line = f"**{label}** : [{title}]({url})" if fmt != "slack" else f"*{label}* : <{url}|{title}>"
    return {"text": f"{line}\n{text}".strip()}


def _absolute(path: str) -> str:
    from .models import OpenDataSettings

    base = OpenDataSettings.current().site_url
    return f"{base.rstrip('/')}{path}" if base else path


def fire(event: str, *, object_key: str, title: str, text: str, url: str, label) -> int:
    """Notify every active webhook that wants `event` about a record (once per record)."""
    from .models import Webhook, WebhookDelivery

    hooks = [h for h in Webhook.objects.filter(active=True) if h.wants(event)]
    if not hooks:
        return 0
    absolute = _absolute(url)
    created = []
    for hook in hooks:
        payload = payload_for(
            hook.format, event=event, title=title, text=text, url=absolute, label=str(label)
        )
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    webhook=hook, event=event, object_key=object_key, payload=payload
                )
        except IntegrityError:
            continue  # already notified
        created.append(delivery.pk)
    for pk in created:
        transaction.on_commit(lambda pk=pk: deliver_webhook.enqueue(pk))
    return len(created)


@task()
def deliver_webhook(delivery_id: int) -> str:
    """Post one delivery; on failure, schedule another attempt (or give up)."""
    from .models import WebhookDelivery

    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != WebhookDelivery.State.PENDING:
        return "skipped"
    delivery.attempts += 1
    try:
        status = post_json(delivery.webhook.url, delivery.payload)
        if status >= 400:
            raise OSError(f"HTTP {status}")
    except Exception as error:  # noqa: BLE001 - any failure of the receiver is retried
        delivery.last_error = str(error)[:300]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.state = WebhookDelivery.State.FAILED
            delivery.save(update_fields=["attempts", "last_error", "state"])
            logger.warning("webhook %s abandoned: %s", delivery.webhook, error)
            return "failed"
        delivery.save(update_fields=["attempts", "last_error"])
        _retry(delivery)
        return "retry"
    delivery.state = WebhookDelivery.State.SENT
    delivery.sent_at = timezone.now()
    delivery.last_error = ""
    delivery.save(update_fields=["attempts", "state", "sent_at", "last_error"])
    return "sent"


def _retry(delivery) -> None:
    delay = RETRY_DELAYS[min(delivery.attempts - 1, len(RETRY_DELAYS) - 1)]
    if deliver_webhook.get_backend().supports_defer:
        deliver_webhook.using(run_after=timezone.now() + delay).enqueue(delivery.pk)
    else:
        deliver_webhook.enqueue(delivery.pk)
