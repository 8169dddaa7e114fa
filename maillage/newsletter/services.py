"""Writes of the newsletter: subscribing (double opt-in), unsubscribing, sending letters.

Subscribing stores nothing until the person clicks the signed link of the confirmation
e-mail (the choices of themes and territories travel inside it). Sending a letter freezes
its sections, then hands it to confirmed subscribers by batches (`BATCH_SIZE`, one batch
every `BATCH_INTERVAL`, each batch a task scheduled with `run_after`); `Delivery` makes a
batch that runs twice send nothing twice. Every message carries a one-click unsubscribe
(RFC 8058 headers and a link).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.audit import log_action
from maillage.core.mail import unsubscribe_headers
from maillage.directory.models import Theme
from maillage.territories.models import Territory

from . import registry
from .models import Delivery, Letter, LetterStatus, Subscriber

logger = logging.getLogger("maillage.newsletter")

CONFIRM_SALT = "maillage.newsletter.confirm"
CONFIRM_MAX_AGE = timedelta(days=7)
BATCH_SIZE = getattr(settings, "NEWSLETTER_BATCH_SIZE", 200)
BATCH_INTERVAL = timedelta(seconds=getattr(settings, "NEWSLETTER_BATCH_INTERVAL", 120))
# The first letter announces what is new over this period.
FIRST_LETTER_WINDOW = timedelta(days=30)


def _absolute(base_url: str, path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return f"{base_url.rstrip('/')}{path}"


# Subscriptions ---------------------------------------------------------------------------


def confirmation_token(*, email: str, themes: list[int], territories: list[int], user_id=None):
    return signing.dumps(
        {"e": email.strip().lower(), "th": themes, "te": territories, "u": user_id},
        salt=CONFIRM_SALT,
        compress=True,
    )


def subscription_request(*, email: str, themes, territories, user=None, base_url: str) -> None:
    """Send the confirmation e-mail; nothing is stored before the person confirms."""
    email = email.strip().lower()
    token = confirmation_token(
        email=email,
        themes=[t.pk for t in themes],
        territories=[t.pk for t in territories],
        user_id=user.pk if user is not None and user.is_authenticated else None,
    )
    context = {
        "confirm_url": _absolute(base_url, reverse("newsletter:confirm", args=[token])),
        "site_name": settings.SITE_NAME,
        # Names, not objects: the text template joins them.
        "themes": [str(theme) for theme in themes],
        "territories": [str(territory) for territory in territories],
    }
    EmailMultiAlternatives(
        subject=_("Confirmez votre abonnement à la lettre de %(site)s")
        % {"site": settings.SITE_NAME},
        body=render_to_string("newsletter/email/confirm.txt", context),
        to=[email],
    ).send()


def subscription_from_token(token: str) -> dict | None:
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE.total_seconds())
        return {
            "email": str(data["e"]),
            "themes": [int(pk) for pk in data["th"]],
            "territories": [int(pk) for pk in data["te"]],
            "user_id": data.get("u"),
        }
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscriber | None:
    """Create (or renew) the subscription a signed link describes; None if invalid."""
    from maillage.accounts.models import User

    data = subscription_from_token(token)
    if data is None:
        return None
    user = User.objects.filter(pk=data["user_id"]).first() if data["user_id"] else None
    subscriber = Subscriber.objects.select_for_update().filter(email=data["email"]).first()
    now = timezone.now()
    if subscriber is None:
        subscriber = Subscriber(email=data["email"], confirmed_at=now)
    else:
        subscriber.confirmed_at = now
        subscriber.unsubscribed_at = None
        subscriber.token = Subscriber._meta.get_field("token").default()
    if user is not None:
        subscriber.user = user
    subscriber.full_clean(exclude=["token"])
    subscriber.save()
    subscriber.themes.set(Theme.objects.filter(pk__in=data["themes"]))
    subscriber.territories.set(Territory.objects.filter(pk__in=data["territories"]))
    log_action(actor=user, action="newsletter.subscribe", obj=subscriber)
    return subscriber


def subscriber_unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    """Stop every letter to this subscriber, at once."""
    if subscriber.unsubscribed_at is None:
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["unsubscribed_at"])
        log_action(actor=None, action="newsletter.unsubscribe", obj=subscriber)
    return subscriber


# Letters ----------------------------------------------------------------------------------


def letter_since(letter: Letter, now: datetime | None = None) -> datetime:
    """The start of "what is new": the previous letter's sending, or 30 days back."""
    if letter.since is not None:
        return letter.since
    previous = Letter.objects.sent().exclude(pk=letter.pk).first()
    if previous is not None and previous.sent_at:
        return previous.sent_at
    return (now or timezone.now()) - FIRST_LETTER_WINDOW


def letter_items(letter: Letter, now: datetime | None = None) -> list[dict]:
    """Every item of the letter's sections that fits the letter's themes and territories,
    none cut: what sending freezes (frozen ones once sending started, else computed now).
    Each subscriber's choices apply to all of them, and only then is a section cut."""
    if letter.status in (LetterStatus.SENDING, LetterStatus.SENT):
        return letter.sections
    now = now or timezone.now()
    data = registry.collect(since=letter_since(letter, now), until=now)
    themes = {t.pk for t in letter.themes.all()}
    territories = {t.pk for t in letter.territories.all()}
    return registry.filtered(data, themes, territories, limit=None)


def letter_sections(letter: Letter, now: datetime | None = None) -> list[dict]:
    """The letter's sections as the archive, the preview and a test send show them:
    `registry.MAX_ITEMS` items at most each, and how many more there are."""
    return registry.filtered(letter_items(letter, now), set(), set())


def sections_for(subscriber: Subscriber | None, sections: list[dict]) -> list[dict]:
    """What one subscriber gets: the items of their themes and territories among all of
    the letter's (`letter_items`), then `registry.MAX_ITEMS` at most per section."""
    if subscriber is None:
        return registry.filtered(sections, set(), set())
    themes = {t.pk for t in subscriber.themes.all()}
    territories = {t.pk for t in subscriber.territories.all()}
    return registry.filtered(sections, themes, territories)


def unsubscribe_url(base_url: str, subscriber: Subscriber) -> str:
    return _absolute(base_url, reverse("newsletter:unsubscribe", args=[subscriber.token]))


def letter_message(
    letter: Letter, *, sections: list[dict], to: str, base_url: str, unsubscribe: str = ""
) -> EmailMultiAlternatives:
    """The e-mail of a letter (text and HTML), with the RFC 8058 headers if `unsubscribe`."""
    for section in sections:
        for item in section["items"]:
            item["absolute_url"] = _absolute(base_url, item["url"])
    context = {
        "letter": letter,
        "sections": sections,
        "site_name": settings.SITE_NAME,
        "letter_url": _absolute(base_url, letter.get_absolute_url()),
        "unsubscribe_url": unsubscribe,
    }
    headers = {}
    if unsubscribe:
        headers = {
            **unsubscribe_headers(unsubscribe),
            "List-Id": f"{settings.SITE_NAME} <lettre.{_list_domain(base_url)}>",
        }
    message = EmailMultiAlternatives(
        subject=letter.subject,
        body=render_to_string("newsletter/email/letter.txt", context),
        to=[to],
        headers=headers,
    )
    message.attach_alternative(
        render_to_string("newsletter/email/letter.html", context), "text/html"
    )
    return message


def _list_domain(base_url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(base_url).hostname or "maillage.invalid"


def letter_send_test(*, letter: Letter, user, base_url: str) -> None:
    """Send the letter as it stands to the facilitator, marked as a test."""
    message = letter_message(
        letter, sections=letter_sections(letter), to=user.email, base_url=base_url
    )
    message.subject = _("[Essai] %(subject)s") % {"subject": letter.subject}
    message.send()
    log_action(actor=user, action="newsletter.test_send", obj=letter)


def letter_schedule(*, letter: Letter, actor, base_url: str, at: datetime | None = None) -> Letter:
    """Programme the sending (now, or at `at`); the task queue does the rest."""
    from .tasks import send_letter_batch

    with transaction.atomic():
        letter = Letter.objects.select_for_update().get(pk=letter.pk)
        if letter.status != LetterStatus.DRAFT:
            return letter
        now = timezone.now()
        letter.status = LetterStatus.SCHEDULED
        letter.scheduled_for = at if at and at > now else now
        letter.base_url = base_url
        letter.save(update_fields=["status", "scheduled_for", "base_url", "updated_at"])
        log_action(
            actor=actor,
            action="newsletter.schedule",
            obj=letter,
            data={"at": letter.scheduled_for.isoformat()},
        )
    transaction.on_commit(lambda: _enqueue(send_letter_batch, letter.pk, letter.scheduled_for))
    return letter


def _enqueue(task, letter_id: int, run_after: datetime | None = None) -> None:
    if run_after is not None and run_after > timezone.now() and task.get_backend().supports_defer:
        task.using(run_after=run_after).enqueue(letter_id)
    else:
        task.enqueue(letter_id)


def _freeze(letter_id: int) -> Letter | None:
    """Scheduled → sending: the sections are computed once, for the archive and for all."""
    with transaction.atomic():
        letter = Letter.objects.select_for_update().filter(pk=letter_id).first()
        if letter is None:
            return None
        if letter.status == LetterStatus.SCHEDULED:
            now = timezone.now()
            if letter.scheduled_for and letter.scheduled_for > now + timedelta(seconds=5):
                return None  # woken too early (a backend that cannot defer): not yet
            letter.since = letter_since(letter, now)
            letter.sections = letter_items(letter, now)
            letter.status = LetterStatus.SENDING
            letter.sent_at = now
            letter.save(update_fields=["since", "sections", "status", "sent_at", "updated_at"])
        return letter


def letter_send_batch(*, letter_id: int) -> int:
    """Send the next batch of a letter; schedule the following one. Returns how many."""
    from .tasks import send_letter_batch

    letter = _freeze(letter_id)
    if letter is None or letter.status != LetterStatus.SENDING:
        return 0
    pending = (
        Subscriber.objects.active()
        .exclude(deliveries__letter=letter)
        .prefetch_related("themes", "territories")
        .order_by("pk")
    )
    batch = list(pending[:BATCH_SIZE])
    sent = 0
    for subscriber in batch:
        try:
            Delivery.objects.create(letter=letter, subscriber=subscriber)
        except IntegrityError:
            continue  # another worker took this one
        sections = sections_for(subscriber, letter.sections)
        letter_message(
            letter,
            sections=sections,
            to=subscriber.email,
            base_url=letter.base_url,
            unsubscribe=unsubscribe_url(letter.base_url, subscriber),
        ).send()
        sent += 1
    if len(batch) == BATCH_SIZE:
        _enqueue(send_letter_batch, letter.pk, timezone.now() + BATCH_INTERVAL)
    else:
        Letter.objects.filter(pk=letter.pk).update(
            status=LetterStatus.SENT, recipients_count=letter.deliveries.count()
        )
        log_action(actor=None, action="newsletter.sent", obj=letter)
    return sent


# The personal weekly digest ---------------------------------------------------------------

DIGEST_SALT = "maillage.newsletter.digest"
DIGEST_EVERY = timedelta(days=7)


def digest_token(user) -> str:
    return signing.dumps(user.pk, salt=DIGEST_SALT)


def digest_user_from_token(token: str):
    from maillage.accounts.models import User

    try:
        pk = int(signing.loads(token, salt=DIGEST_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def digest_preference_set(*, user, weekly: bool) -> None:
    from .models import DigestPreference

    preference, _created = DigestPreference.objects.get_or_create(user=user)
    if preference.weekly != weekly:
        preference.weekly = weekly
        preference.save(update_fields=["weekly"])
        log_action(actor=user, action=f"newsletter.digest_{'on' if weekly else 'off'}")


def digest_send(*, user, base_url: str, now: datetime | None = None) -> bool:
    """Send one member their digest of the past week; nothing if nothing is new."""
    from .models import DigestPreference

    now = now or timezone.now()
    preference = DigestPreference.objects.get(user=user)
    since = preference.last_sent_at or now - DIGEST_EVERY
    sections = registry.collect_digest(user=user, since=since, until=now)
    DigestPreference.objects.filter(pk=preference.pk).update(last_sent_at=now)
    if not sections:
        return False
    for section in sections:
        for item in section["items"]:
            item["absolute_url"] = _absolute(base_url, item["url"])
    stop = _absolute(base_url, reverse("newsletter:digest_stop", args=[digest_token(user)]))
    context = {"user": user, "sections": sections, "site_name": settings.SITE_NAME, "stop": stop}
    EmailMultiAlternatives(
        subject=_("Votre semaine dans le réseau %(site)s") % {"site": settings.SITE_NAME},
        body=render_to_string("newsletter/email/digest.txt", context),
        to=[user.email],
        headers=unsubscribe_headers(stop),
    ).send()
    return True


def digests_send(*, base_url: str, now: datetime | None = None) -> int:
    """Send the digest to every member who wants it and had none for a week (a weekly
    cron job runs `manage.py send_digests`)."""
    from .models import DigestPreference

    now = now or timezone.now()
    due = now - DIGEST_EVERY + timedelta(hours=1)
    preferences = (
        DigestPreference.objects.filter(weekly=True, user__is_active=True)
        .filter(Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=due))
        .select_related("user")
    )
    sent = 0
    for preference in preferences:
        if preference.user.is_member:
            sent += digest_send(user=preference.user, base_url=base_url, now=now)
    return sent
