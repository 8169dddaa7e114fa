"""The e-mails `make run` prints (EMAIL_URL=consolemail://) can be read and their links
copied: decoded text, not quoted-printable cut at 76 characters."""

import io
import re

import pytest
from django.core import mail
from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend
from django.urls import reverse

from config.settings.base import _delivery_mailer
from maillage.core.mail import ConsoleEmailBackend
from maillage.newsletter.models import Subscriber

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://testserver/lettre/confirmation/\S+/")


@pytest.fixture
def console_mailer(settings):
    delivery = _delivery_mailer("consolemail://")
    assert delivery["BACKEND"] == "maillage.core.mail.ConsoleEmailBackend"
    settings.MAILERS = {**settings.MAILERS, "delivery": delivery}


def test_the_development_mailer_prints_a_long_link_whole(client, capsys, console_mailer):
    client.post(reverse("newsletter:subscribe"), {"email": "curieuse@example.org"})
    printed = capsys.readouterr().out

    assert "Subject: Confirmez votre abonnement à la lettre de" in printed
    assert "To: curieuse@example.org" in printed
    assert "Quelqu'un (vous, sans doute) a demandé à recevoir la lettre" in printed
    assert "=\n" not in printed and "=C3=A9" not in printed
    (line,) = [line for line in printed.splitlines() if LINK.search(line)]
    link = LINK.search(line).group(0)
    assert line == link and len(link) > 76
    # Copied from the console, the link works.
    client.post(link)
    assert Subscriber.objects.get().email == "curieuse@example.org"


def test_django_console_mailer_would_cut_it(console_mailer):
    """What the test above guards against: the same message, through Django's console
    mailer, has no line holding the whole link."""
    message = mail.EmailMultiAlternatives(
        "Confirmez", "Ouvrez ce lien : \n" + "https://testserver/lettre/confirmation/" + "x" * 90
    )
    message.to = ["a@example.org"]
    message.attach_alternative("<p>Ouvrez ce lien</p>", "text/html")
    raw = io.StringIO()
    DjangoConsoleBackend(stream=raw).send_messages([message])
    assert "x" * 90 not in raw.getvalue()

    readable = io.StringIO()
    ConsoleEmailBackend(stream=readable).send_messages([message])
    out = readable.getvalue()
    assert "https://testserver/lettre/confirmation/" + "x" * 90 + "\n" in out
    assert "[text/html, 22 bytes]" in out
    assert out.endswith("-" * 79 + "\n")
