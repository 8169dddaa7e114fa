"""Introductions by facilitators: both consents, an e-mail to each, recorded."""

import pytest
from django.core import mail
from django.urls import reverse

from maillage.directory.models import Membership
from maillage.directory.tests.factories import OrganisationFactory
from maillage.exchange.models import Introduction

from .test_matching import network  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_strongest_pairs_are_listed(client, facilitator, network):  # noqa: F811
    client.force_login(facilitator)
    page = client.get(reverse("exchange:introductions")).content.decode()
    assert "Alice Martin" in page and "Claire Dubois" in page
    assert "Alice Martin cherche : Animation de réunions — Claire Dubois propose" in page


def test_connected_pairs_are_not_listed(client, facilitator, network):  # noqa: F811
    organisation = OrganisationFactory()
    for person in (network["alice"], network["claire"]):
        Membership.objects.create(person=person, organisation=organisation)
    client.force_login(facilitator)
    page = client.get(reverse("exchange:introductions")).content.decode()
    assert "Claire Dubois" not in page


def test_introduction_sends_one_mail_to_each(client, facilitator, network):  # noqa: F811
    alice, claire = network["alice"], network["claire"]
    client.force_login(facilitator)
    mail.outbox.clear()
    response = client.post(
        reverse("exchange:introduce", args=[alice.pk, claire.pk]),
        {"message": "Vous devriez vous parler."},
    )
    assert response.status_code == 302
    assert Introduction.objects.filter(person_a=alice, person_b=claire).exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.user.email, claire.user.email])
    for message in mail.outbox:
        assert len(message.to) == 1
        assert "Vous devriez vous parler." in message.body
        other = claire if message.to == [alice.user.email] else alice
        assert other.user.email not in message.body
    # Introduced once: the pair leaves the list, and a second time is refused.
    page = client.get(reverse("exchange:introductions")).content.decode()
    assert reverse("exchange:introduce", args=[alice.pk, claire.pk]) not in page
    response = client.post(
        reverse("exchange:introduce", args=[claire.pk, alice.pk]), {"message": "Encore"}
    )
    assert response.status_code == 200 and Introduction.objects.count() == 1


def test_introduction_needs_both_consents(client, facilitator, network):  # noqa: F811
    alice, bob = network["alice"], network["bob"]  # Bob never agreed
    client.force_login(facilitator)
    mail.outbox.clear()
    response = client.post(
        reverse("exchange:introduce", args=[alice.pk, bob.pk]), {"message": "Bonjour"}
    )
    assert response.status_code == 200
    assert "sans l&#x27;accord des deux" in response.content.decode()
    assert not Introduction.objects.exists() and not mail.outbox


def test_introduce_bad_ids(client, facilitator):
    client.force_login(facilitator)
    assert client.get(reverse("exchange:introduce", args=[2**63 + 1, 1])).status_code == 404


def test_digest_sends_new_suggestions_once(network):  # noqa: F811
    from maillage.exchange.tasks import send_digests

    from .factories import consent

    consent(network["alice"].user, introductions=True, digest=True)
    mail.outbox.clear()
    send_digests.call()
    (message,) = mail.outbox
    assert message.to == [network["alice"].user.email]
    assert "Claire Dubois" in message.body
    mail.outbox.clear()
    send_digests.call()
    assert not mail.outbox
