"""The members' personal weekly digest: opt-in, what it holds, one-click stop."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.directory.services import person_for_user
from maillage.directory.tests.factories import InitiativeFactory, aude_and_herault
from maillage.events.tests.factories import EventFactory, days_ahead
from maillage.newsletter.models import DigestPreference
from maillage.newsletter.services import digests_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def aude_member(member):
    places = aude_and_herault()
    person_for_user(user=member).territories.add(places["aude"])
    return member, places


def test_a_member_opts_in_and_gets_what_is_near(client, aude_member):
    member, places = aude_member
    client.force_login(member)
    client.post(reverse("newsletter:digest"), {"weekly": "on"})
    assert DigestPreference.objects.get(user=member).weekly

    EventFactory(title="Forum à Limoux", commune=places["limoux"], starts_at=days_ahead(5))
    EventFactory(title="Rencontre à Béziers", commune=places["beziers"], starts_at=days_ahead(5))
    EventFactory(
        title="Trop loin dans le temps", commune=places["limoux"], starts_at=days_ahead(60)
    )
    InitiativeFactory(title="Jardin de Carcassonne").territories.add(places["carcassonne"])
    InitiativeFactory(title="Jardin de Béziers").territories.add(places["beziers"])

    call_command("send_digests", "--base-url", "https://reseau.test/")
    (message,) = mail.outbox
    assert message.to == [member.email]
    assert "Forum à Limoux" in message.body
    assert "Jardin de Carcassonne" in message.body
    assert "Béziers" not in message.body
    assert "Trop loin" not in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Not twice in the same week.
    assert digests_send(base_url="https://reseau.test/") == 0
    # The one-click link stops it, without a CSRF token.
    stop = message.extra_headers["List-Unsubscribe"].strip("<>")
    Client(enforce_csrf_checks=True).post(stop, {"List-Unsubscribe": "One-Click"})
    assert not DigestPreference.objects.get(user=member).weekly


def test_no_digest_without_opt_in_or_without_news(aude_member):
    member, places = aude_member
    EventFactory(commune=places["limoux"], starts_at=days_ahead(5))
    assert digests_send(base_url="https://r.test/") == 0  # not opted in
    DigestPreference.objects.create(user=member, weekly=True)
    DigestPreference.objects.filter(user=member).update(last_sent_at=None)
    EventFactory.reset_sequence()
    from maillage.events.models import Event

    Event.objects.all().delete()
    assert digests_send(base_url="https://r.test/", now=timezone.now() + timedelta(days=8)) == 0
    assert not mail.outbox


def test_a_forged_stop_link_is_a_404(client):
    response = client.post(reverse("newsletter:digest_stop", args=["faux"]))
    assert response.status_code == 404


def test_demo_letters_are_idempotent():
    from maillage.core.demo import make_context
    from maillage.newsletter import demo
    from maillage.newsletter.models import Letter

    InitiativeFactory(title="Initiative de démonstration")
    for _ in range(2):
        demo.run(make_context(seed=1, sizes={}, stdout=type("Out", (), {"write": print})()))
    assert Letter.objects.sent().count() == 2
    assert Letter.objects.count() == 3
