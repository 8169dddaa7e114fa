"""Ads through HTTP: posting, quota, expiry, closing, relayed messages, reports."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.tests.factories import UserFactory
from maillage.directory.tests.factories import ThemeFactory, aude_and_herault
from maillage.exchange.models import Ad, AdReport

from .factories import AdFactory

pytestmark = pytest.mark.django_db


def _post_ad(client, **extra):
    data = {
        "kind": "need",
        "title": "Cherche salle pour atelier",
        "text": "Une salle de 20 places pour un atelier de réparation.",
        "expires_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
        **extra,
    }
    return client.post(reverse("exchange:ad_create"), data)


def test_member_posts_an_ad(client, member):
    places = aude_and_herault()
    theme = ThemeFactory()
    client.force_login(member)
    response = _post_ad(client, themes=[theme.pk], commune=str(places["limoux"].pk))
    ad = Ad.objects.get()
    assert response.status_code == 302 and response["Location"] == ad.get_absolute_url()
    assert ad.author == member and ad.commune == places["limoux"]
    assert list(ad.themes.all()) == [theme]


@pytest.mark.parametrize(
    "bad",
    [
        {"title": ""},
        {"kind": "nonsense"},
        {"expires_on": "2001-01-01"},
        {"expires_on": "pas une date"},
        {"expires_on": (timezone.localdate() + timedelta(days=800)).isoformat()},
        {"themes": ["99999999999999999999999"]},
        {"commune": "99999999999999999999"},
        {"organisation": "123456789123456789123"},
    ],
)
def test_bad_input_is_a_form_error(client, member, bad):
    client.force_login(member)
    response = _post_ad(client, **bad)
    assert response.status_code == 200
    assert not Ad.objects.exists()


def test_new_members_are_capped(client, settings):
    settings.EXCHANGE_NEW_MEMBER_ADS_PER_DAY = 2
    newcomer = UserFactory()
    client.force_login(newcomer)
    assert _post_ad(client).status_code == 302
    assert _post_ad(client).status_code == 302
    response = _post_ad(client)
    assert response.status_code == 200
    assert "par jour au plus" in response.content.decode()
    assert Ad.objects.count() == 2
    # An older member is not capped.
    veteran = UserFactory(joined_at=timezone.now() - timedelta(days=90))
    client.force_login(veteran)
    for _i in range(3):
        assert _post_ad(client).status_code == 302


def test_expired_and_closed_ads_leave_the_list(client, member):
    live = AdFactory(title="Annonce vivante")
    AdFactory(title="Titre expiré", expires_on=timezone.localdate() - timedelta(days=1))
    closed = AdFactory(title="Titre clos", author=member)
    client.force_login(member)
    assert client.post(reverse("exchange:ad_close", args=[closed.pk])).status_code == 302
    page = client.get(reverse("exchange:ads")).content.decode()
    assert live.title in page
    assert "Titre expiré" not in page and "Titre clos" not in page
    # The author still reaches a closed ad; others get a 404. An expired ad's page
    # says so and takes no more replies.
    assert client.get(closed.get_absolute_url()).status_code == 200
    expired = Ad.objects.get(title="Titre expiré")
    page = client.get(expired.get_absolute_url()).content.decode()
    assert "Expirée" in page and reverse("exchange:ad_reply", args=[expired.pk]) not in page
    assert client.get(reverse("exchange:ad_reply", args=[expired.pk])).status_code == 404
    client.logout()
    assert client.get(closed.get_absolute_url()).status_code == 404


def test_only_the_author_closes(client, member):
    ad = AdFactory()
    client.force_login(member)
    assert client.post(reverse("exchange:ad_close", args=[ad.pk])).status_code == 403
    assert client.post(reverse("exchange:ad_close", args=[2**63 + 5])).status_code == 404


def test_filters(client):
    places = aude_and_herault()
    theme = ThemeFactory()
    offer = AdFactory(kind="offer", title="Offre à Limoux", commune=places["limoux"])
    offer.themes.add(theme)
    AdFactory(kind="need", title="Besoin à Béziers", commune=places["beziers"])
    url = reverse("exchange:ads")
    page = client.get(url, {"type": "offer"}).content.decode()
    assert "Offre à Limoux" in page and "Besoin à Béziers" not in page
    page = client.get(url, {"territoire": str(places["aude"].pk)}).content.decode()
    assert "Offre à Limoux" in page and "Besoin à Béziers" not in page
    page = client.get(url, {"theme": theme.slug}).content.decode()
    assert "Offre à Limoux" in page and "Besoin à Béziers" not in page
    assert client.get(url, {"territoire": "999999999999999999999", "page": "x"}).status_code == 200
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200


def test_list_query_count(client, django_assert_max_num_queries):
    for _i in range(25):
        AdFactory().themes.add(ThemeFactory())
    with django_assert_max_num_queries(8):
        assert client.get(reverse("exchange:ads")).status_code == 200


def test_relayed_messages_never_reveal_an_address(client, member):
    author = UserFactory(email="auteur.secret@example.org")
    ad = AdFactory(author=author, title="Je propose des plants")
    member.email = "membre.discret@example.org"
    member.save()
    client.force_login(member)
    mail.outbox.clear()
    response = client.post(
        reverse("exchange:ad_reply", args=[ad.pk]), {"message": "Je suis intéressé·e !"}
    )
    assert response.status_code == 302
    (to_author,) = mail.outbox
    assert to_author.to == ["auteur.secret@example.org"]
    assert "Je suis intéressé·e !" in to_author.body
    assert "membre.discret@example.org" not in to_author.body + str(to_author.reply_to)
    reply = ad.replies.get()
    assert reverse("exchange:reply_answer", args=[reply.pk]) in to_author.body
    # The author answers on the site: the sender gets it without the author's address.
    client.force_login(author)
    mail.outbox.clear()
    response = client.post(
        reverse("exchange:reply_answer", args=[reply.pk]), {"message": "Avec plaisir."}
    )
    assert response.status_code == 302
    (to_sender,) = mail.outbox
    assert to_sender.to == ["membre.discret@example.org"]
    assert "Avec plaisir." in to_sender.body
    assert "auteur.secret@example.org" not in to_sender.body + str(to_sender.reply_to)
    assert "auteur.secret" not in to_sender.from_email


def test_sender_may_give_their_address(client, member):
    ad = AdFactory()
    client.force_login(member)
    mail.outbox.clear()
    client.post(
        reverse("exchange:ad_reply", args=[ad.pk]), {"message": "Bonjour", "share_email": "on"}
    )
    (message,) = mail.outbox
    assert member.email in message.body
    assert message.reply_to == [member.email]


def test_reply_needs_a_message(client, member):
    ad = AdFactory()
    client.force_login(member)
    mail.outbox.clear()
    response = client.post(reverse("exchange:ad_reply", args=[ad.pk]), {"message": ""})
    assert response.status_code == 200 and not mail.outbox


def test_report_and_withdraw(client, facilitator):
    ad = AdFactory(title="Annonce douteuse")
    response = client.post(reverse("exchange:ad_report", args=[ad.pk]), {"message": "Arnaque"})
    assert response.status_code == 302
    report = AdReport.objects.get()
    assert report.reporter is None
    assert facilitator.notifications.filter(text__contains="Annonce douteuse").exists()
    client.force_login(facilitator)
    assert "Arnaque" in client.get(reverse("exchange:moderation")).content.decode()
    response = client.post(
        reverse("exchange:report_decide", args=[report.pk]), {"decision": "withdraw"}
    )
    assert response.status_code == 302
    ad.refresh_from_db()
    assert ad.status == "hidden"
    client.logout()
    assert "Annonce douteuse" not in client.get(reverse("exchange:ads")).content.decode()


def test_personal_data_export_and_erase(member):
    from maillage.accounts import personal_data

    AdFactory(author=member, title="Mon annonce")
    exported = {p.name: p.export(member) for p in personal_data.providers()}
    assert exported["echanges"]["ads"][0]["title"] == "Mon annonce"
    next(p for p in personal_data.providers() if p.name == "echanges").erase(member)
    assert not Ad.objects.filter(author=member).exists()


def test_open_ads_are_searchable(client, member):
    ad = AdFactory(title="Grainothèque participative", text="Des semences à partager.")
    page = client.get(reverse("search:results"), {"q": "semences"}).content.decode()
    assert ad.get_absolute_url() in page
    client.force_login(ad.author)
    client.post(reverse("exchange:ad_close", args=[ad.pk]))
    page = client.get(reverse("search:results"), {"q": "semences"}).content.decode()
    assert ad.get_absolute_url() not in page


def test_notification_badge(client, member):
    from maillage.exchange.services import notify

    notify(user=member, text="Une réponse à votre annonce", url="/")
    client.force_login(member)
    page = client.get(reverse("exchange:dashboard")).content.decode()
    assert 'class="badge notification-badge">1<' in page
