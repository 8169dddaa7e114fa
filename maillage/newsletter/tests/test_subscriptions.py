"""Double opt-in and one-click unsubscribe, through HTTP."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.directory.tests.factories import ThemeFactory, aude_and_herault
from maillage.newsletter.models import Subscriber
from maillage.newsletter.services import confirmation_token

from .factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def _link(body: str) -> str:
    return re.search(r"https?://\S+/lettre/confirmation/\S+/", body).group(0)


def test_subscribing_stores_nothing_until_the_link_is_followed(client):
    theme = ThemeFactory(name="Alimentation", slug="alimentation")
    places = aude_and_herault()
    response = client.post(
        reverse("newsletter:subscribe"),
        {"email": "Visiteur@Example.org", "themes": [theme.pk], "territories": [places["aude"].pk]},
    )
    assert response.status_code == 200
    assert Subscriber.objects.count() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["visiteur@example.org"]
    link = _link(mail.outbox[0].body)

    # A GET (a mail scanner, say) only shows the button.
    assert client.get(link).status_code == 200
    assert Subscriber.objects.count() == 0

    response = client.post(link)
    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "visiteur@example.org"
    assert subscriber.is_active
    assert list(subscriber.themes.all()) == [theme]
    assert list(subscriber.territories.all()) == [places["aude"]]


def test_a_forged_or_expired_link_confirms_nothing(client):
    response = client.post(reverse("newsletter:confirm", args=["pas-un-jeton"]))
    assert response.status_code == 200
    assert "pas valable" in response.content.decode()
    token = confirmation_token(email="tard@example.org", themes=[], territories=[])
    later = timezone.now() + timedelta(days=8)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        client.post(reverse("newsletter:confirm", args=[token]))
    assert not Subscriber.objects.exists()


def test_confirming_again_renews_an_old_subscription(client):
    old = SubscriberFactory(email="retour@example.org", unsubscribed_at=timezone.now())
    old_token = old.token
    token = confirmation_token(email="retour@example.org", themes=[], territories=[])
    client.post(reverse("newsletter:confirm", args=[token]))
    old.refresh_from_db()
    assert old.is_active
    assert old.token != old_token  # the old unsubscribe link no longer works


def test_bad_input_gives_form_errors_not_a_server_error(client):
    response = client.post(
        reverse("newsletter:subscribe"),
        {"email": "pas-une-adresse", "themes": ["99999999999999999999"], "territories": ["x"]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"email", "themes"}
    assert not mail.outbox


def test_a_member_gets_their_address_proposed(client, member):
    client.force_login(member)
    response = client.get(reverse("newsletter:subscribe"))
    assert response.context["form"].initial["email"] == member.email


def test_confirming_a_member_link_ties_the_subscription_to_the_account(client, member):
    client.force_login(member)
    client.post(reverse("newsletter:subscribe"), {"email": member.email})
    client.post(_link(mail.outbox[0].body))
    assert Subscriber.objects.get().user == member


def test_one_click_unsubscribe_needs_no_csrf_token_and_works_at_once():
    subscriber = SubscriberFactory()
    client = Client(enforce_csrf_checks=True)
    url = reverse("newsletter:unsubscribe", args=[subscriber.token])
    response = client.get(url)
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.is_active  # a GET only asks
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert not subscriber.is_active
    assert not Subscriber.objects.active().exists()


def test_an_unknown_unsubscribe_token_is_a_404(client):
    response = client.post(
        reverse("newsletter:unsubscribe", args=["00000000-0000-4000-8000-000000000000"])
    )
    assert response.status_code == 404


def test_personal_data_exports_and_erases_the_subscription(member):
    from maillage.accounts import personal_data

    SubscriberFactory(email=member.email)
    providers = {p.name: p for p in personal_data.providers()}
    assert providers["lettre"].export(member)["subscriptions"][0]["email"] == member.email
    providers["lettre"].erase(member)
    assert not Subscriber.objects.exists()


def test_the_form_cannot_flood_a_mailbox(client):
    for _n in range(3):
        assert (
            client.post(reverse("newsletter:subscribe"), {"email": "cible@example.org"}).status_code
            == 200
        )
    response = client.post(reverse("newsletter:subscribe"), {"email": "cible@example.org"})
    assert response.status_code == 429
    assert len(mail.outbox) == 3
