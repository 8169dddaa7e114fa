"""The e-mails as mail providers read them: the confirmation lists names, the one-click
unsubscribe headers are plain ASCII on one line (RFC 2369 / RFC 8058), and a subscriber's
choices apply to all of the letter's items before a section is cut."""

import email
import email.policy
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from maillage.directory.services import person_for_user
from maillage.directory.tests.factories import InitiativeFactory, ThemeFactory, aude_and_herault
from maillage.newsletter import registry, services
from maillage.newsletter.models import DigestPreference, Letter

from .factories import LetterFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

# Long enough that the header line passes 78 characters, where Python's e-mail package
# folds, and would MIME-encode a URL it cannot fold.
BASE_URL = "https://reseau-des-territoires-en-transition.example.org/"


@pytest.fixture
def previous_letter():
    return Letter.objects.create(
        subject="Lettre précédente", status="sent", sent_at=timezone.now() - timedelta(days=10)
    )


def test_the_confirmation_email_lists_themes_and_territories_by_name(client):
    food = ThemeFactory(name="Alimentation", slug="alimentation")
    energy = ThemeFactory(name="Énergie", slug="energie")
    places = aude_and_herault()
    client.post(
        reverse("newsletter:subscribe"),
        {
            "email": "visiteur@example.org",
            "themes": [food.pk, energy.pk],
            "territories": [places["aude"].pk],
        },
    )
    (message,) = mail.outbox
    lines = message.body.splitlines()
    themes = next(line for line in lines if line.startswith("Thématiques"))
    assert themes in ("Thématiques : Alimentation, Énergie", "Thématiques : Énergie, Alimentation")
    assert "Territoires : Aude (département)" in lines
    assert "<Theme" not in message.body and "[<" not in message.body
    assert "QuerySet" not in message.body


def _raw_header_lines(message, name: bytes) -> list[bytes]:
    raw = message.message(policy=email.policy.SMTP).as_bytes()
    return raw, [line for line in raw.split(b"\r\n") if line.lower().startswith(name.lower())]


def test_a_letter_carries_one_click_unsubscribe_headers_unencoded(
    django_capture_on_commit_callbacks, facilitator, previous_letter
):
    InitiativeFactory(title="Une nouveauté")
    subscriber = SubscriberFactory(email="oui@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_schedule(letter=LetterFactory(), actor=facilitator, base_url=BASE_URL)
    (message,) = mail.outbox  # as the delivery mailer received it, after the task queue
    unsubscribe = f"{BASE_URL}lettre/desabonnement/{subscriber.token}/"
    assert len(f"List-Unsubscribe: <{unsubscribe}>") > 78

    raw, lines = _raw_header_lines(message, b"List-Unsubscribe:")
    assert lines == [f"List-Unsubscribe: <{unsubscribe}>".encode("ascii")]
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in raw
    assert b"=?utf-8?" not in b"".join(lines)
    # The line is not folded: the next line is another header, not a continuation.
    following = raw.split(lines[0] + b"\r\n", 1)[1]
    assert not following.startswith((b" ", b"\t"))

    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert parsed["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Django's own serialisation (the console and file mailers) writes it the same way.
    assert f"List-Unsubscribe: <{unsubscribe}>\n".encode() in message.message().as_bytes()


def test_the_digest_carries_the_same_headers(member):
    places = aude_and_herault()
    person_for_user(user=member).territories.add(places["aude"])
    DigestPreference.objects.create(user=member, weekly=True)
    InitiativeFactory(title="Jardin de Carcassonne").territories.add(places["carcassonne"])
    call_command("send_digests", "--base-url", BASE_URL)
    (message,) = mail.outbox
    raw, lines = _raw_header_lines(message, b"List-Unsubscribe:")
    assert len(lines) == 1 and lines[0].startswith(b"List-Unsubscribe: <" + BASE_URL.encode())
    assert lines[0].endswith(b"/>")
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" in raw


def test_a_subscriber_gets_their_items_even_past_the_first_forty(
    client, django_capture_on_commit_callbacks, facilitator, previous_letter
):
    places = aude_and_herault()
    # Older first: the section lists items by date, and these fill it past its limit.
    for n in range(registry.MAX_ITEMS + 5):
        InitiativeFactory(title=f"Initiative à Béziers n°{n}", commune=places["beziers"])
    for n in range(3):
        InitiativeFactory(title=f"Initiative à Limoux n°{n}", commune=places["limoux"])
    aude = SubscriberFactory(email="aude@example.org")
    aude.territories.add(places["aude"])
    SubscriberFactory(email="tout@example.org")
    letter = LetterFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_schedule(letter=letter, actor=facilitator, base_url=BASE_URL)

    bodies = {m.to[0]: m.body for m in mail.outbox}
    for n in range(3):
        assert f"Initiative à Limoux n°{n}" in bodies["aude@example.org"]
    assert "Béziers" not in bodies["aude@example.org"]
    # Everyone else gets the first forty, and how many more there are.
    everything = bodies["tout@example.org"]
    assert everything.count("Initiative à ") == registry.MAX_ITEMS
    assert "… et 8 autres." in everything
    # The public letter shows the same cut, and the same count.
    page = client.get(reverse("newsletter:letter", args=[letter.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("Initiative à ") == registry.MAX_ITEMS
    assert "… et 8 autres." in text
