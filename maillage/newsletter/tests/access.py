"""Access-matrix rows of the newsletter (see maillage/core/tests/matrix.py)."""

from django.utils import timezone

from maillage.core.tests.matrix import (
    ALL_OK,
    FACILITATORS_OK,
    FACILITATORS_POST_ONLY,
    MEMBERS_OK,
)


def world(owner, base) -> dict:
    from maillage.newsletter.services import confirmation_token

    from .factories import LetterFactory, SubscriberFactory

    sent = LetterFactory(status="sent", sent_at=timezone.now(), sections=[])
    draft = LetterFactory()
    subscriber = SubscriberFactory(email=owner.email, user=owner)
    token = confirmation_token(email="visiteur@example.org", themes=[], territories=[])
    from maillage.newsletter.services import digest_token

    return {
        "digest_token": digest_token(owner),
        "sent": sent,
        "draft": draft,
        "subscriber": subscriber,
        "token": token,
    }


MATRIX = {
    "newsletter:archive": ({}, ALL_OK),
    "newsletter:subscribe": ({}, ALL_OK),
    # Whoever holds the signed link (or the unsubscribe token) gets the page.
    "newsletter:confirm": (lambda w: {"token": w["newsletter"]["token"]}, ALL_OK),
    "newsletter:unsubscribe": (lambda w: {"token": w["newsletter"]["subscriber"].token}, ALL_OK),
    "newsletter:letter": (lambda w: {"pk": w["newsletter"]["sent"].pk}, ALL_OK),
    "newsletter:digest": ({}, MEMBERS_OK),
    "newsletter:digest_stop": (lambda w: {"token": w["newsletter"]["digest_token"]}, ALL_OK),
    "newsletter:desk": ({}, FACILITATORS_OK),
    "newsletter:letter_create": ({}, FACILITATORS_OK),
    "newsletter:letter_edit": (lambda w: {"pk": w["newsletter"]["draft"].pk}, FACILITATORS_OK),
    "newsletter:preview": (lambda w: {"pk": w["newsletter"]["draft"].pk}, FACILITATORS_OK),
    "newsletter:send_test": (
        lambda w: {"pk": w["newsletter"]["draft"].pk},
        FACILITATORS_POST_ONLY,
    ),
    "newsletter:schedule": (lambda w: {"pk": w["newsletter"]["draft"].pk}, FACILITATORS_POST_ONLY),
}
