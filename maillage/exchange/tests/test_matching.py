"""Suggestions and their reasons on a small hand-made network whose answers are known."""

import pytest
from django.urls import reverse

from maillage.accounts.tests.factories import UserFactory
from maillage.directory.tests.factories import (
    InitiativeFactory,
    PersonFactory,
    ThemeFactory,
    aude_and_herault,
)
from maillage.exchange import matching
from maillage.exchange.models import ItemType, MatchKey, Suggestion
from maillage.exchange.reasons import reasons_text
from maillage.exchange.views_support import suggestions_for_display

from .factories import AdFactory, consent

pytestmark = pytest.mark.django_db


def _member(name, *, opted_in=True, **profile):
    user = UserFactory(display_name=name)
    if opted_in:
        consent(user, introductions=True)
    places = profile.pop("places", [])
    themes = profile.pop("themes", [])
    person = PersonFactory(user=user, name=name, visibility="members", **profile)
    person.territories.set(places)
    person.themes.set(themes)
    return person


@pytest.fixture
def network():
    places = aude_and_herault()
    food = ThemeFactory(name="Alimentation", slug="alimentation")
    mobility = ThemeFactory(name="Mobilité", slug="mobilite")
    alice = _member(
        "Alice Martin",
        seeks="Animation de réunions",
        places=[places["carcassonne"]],
        themes=[food],
    )
    claire = _member(
        "Claire Dubois", offers="Facilitation", places=[places["limoux"]], themes=[mobility]
    )
    # Offers exactly what Alice seeks, but never agreed to be suggested.
    bob = _member(
        "Bob Bernard",
        opted_in=False,
        offers="Animation de réunions",
        places=[places["carcassonne"]],
    )
    # Nothing in common with Alice.
    denis = _member("Denis Petit", offers="Comptabilité", places=[places["beziers"]])
    ad = AdFactory(
        author=denis.user,
        kind="offer",
        title="Ateliers d'animation",
        text="Je propose d'animer vos ateliers.",
        commune=places["beziers"],
    )
    ad.themes.set([food])
    return {"alice": alice, "claire": claire, "bob": bob, "denis": denis, "ad": ad, **places}


def _targets(person):
    return [
        (s.target_type, s.target_id)
        for s in Suggestion.objects.for_source(ItemType.PERSON, person.pk)
    ]


def test_complementary_and_near_with_reasons(network):
    alice, claire = network["alice"], network["claire"]
    ranked = matching.suggest(ItemType.PERSON, alice.pk)
    found = {item: reasons for _s, item, reasons in ranked}
    assert set(found) == {(ItemType.PERSON, claire.pk), (ItemType.AD, network["ad"].pk)}
    text = reasons_text(found[(ItemType.PERSON, claire.pk)], other="Claire")
    assert text == (
        "Vous cherchez : Animation de réunions — Claire propose : Facilitation ; "
        "même département (Aude)"
    )
    ad_text = reasons_text(found[(ItemType.AD, network["ad"].pk)], other="L'annonce")
    assert ad_text.startswith("Vous cherchez : Animation de réunions — L'annonce propose")
    assert "mêmes thématiques : Alimentation" in ad_text


def test_stored_suggestions_follow_the_records(network):
    """Saving the profiles (signal → task) stored the same answers as `suggest()`."""
    alice, claire, bob = network["alice"], network["claire"], network["bob"]
    assert set(_targets(alice)) == {(ItemType.PERSON, claire.pk), (ItemType.AD, network["ad"].pk)}
    # Mirror: Claire, who was indexed before Alice, is shown Alice too.
    assert (ItemType.PERSON, alice.pk) in _targets(claire)
    # Bob sees suggestions (he is a member) but is never suggested.
    assert (ItemType.PERSON, alice.pk) in _targets(bob)
    assert not Suggestion.objects.filter(target_type=ItemType.PERSON, target_id=bob.pk).exists()
    assert not MatchKey.objects.filter(item_type=ItemType.PERSON, item_id=bob.pk).exists()


def test_full_recompute_gives_the_same_answers(network):
    before = set(
        Suggestion.objects.values_list("source_type", "source_id", "target_type", "target_id")
    )
    Suggestion.objects.all().delete()
    MatchKey.objects.all().delete()
    result = matching.recompute_all()
    after = set(
        Suggestion.objects.values_list("source_type", "source_id", "target_type", "target_id")
    )
    assert after == before
    assert result["suggestions"] == len(after)


def test_opting_out_removes_a_member_from_every_list(network, client):
    claire, alice = network["claire"], network["alice"]
    client.force_login(claire.user)
    response = client.post(reverse("exchange:preferences"), {"introductions": "on"})
    assert response.status_code == 302
    assert (ItemType.PERSON, claire.pk) not in _targets(alice)
    assert not MatchKey.objects.filter(item_type=ItemType.PERSON, item_id=claire.pk).exists()
    matching.recompute_all()
    assert (ItemType.PERSON, claire.pk) not in _targets(alice)


def test_private_profiles_are_not_suggested(network):
    claire = network["claire"]
    claire.visibility = "private"
    claire.save()
    assert (ItemType.PERSON, claire.pk) not in _targets(network["alice"])


def test_dismissed_suggestions_do_not_come_back(network, client):
    alice, claire = network["alice"], network["claire"]
    row = Suggestion.objects.get(
        source_type=ItemType.PERSON,
        source_id=alice.pk,
        target_type=ItemType.PERSON,
        target_id=claire.pk,
    )
    client.force_login(alice.user)
    assert client.post(reverse("exchange:dismiss", args=[row.pk])).status_code == 302
    claire.offers = "Facilitation et animation"
    claire.save()
    matching.recompute_all()
    assert (ItemType.PERSON, claire.pk) not in _targets(alice)
    page = client.get(reverse("exchange:dashboard"))
    assert "Claire Dubois" not in page.content.decode()


def test_someone_else_cannot_dismiss(network, client):
    row = Suggestion.objects.filter(
        source_type=ItemType.PERSON, source_id=network["alice"].pk
    ).first()
    client.force_login(network["claire"].user)
    assert client.post(reverse("exchange:dismiss", args=[row.pk])).status_code == 404
    assert client.post(reverse("exchange:dismiss", args=[2**70])).status_code == 404


def test_dashboard_shows_reasons_and_notifies(network, client):
    alice = network["alice"]
    client.force_login(alice.user)
    page = client.get(reverse("exchange:dashboard")).content.decode()
    assert "Claire Dubois" in page
    assert "Vous cherchez : Animation de réunions — Claire Dubois propose : Facilitation" in page
    assert "Bob Bernard" not in page
    assert alice.user.notifications.exists()
    assert client.get(reverse("exchange:notifications")).status_code == 200
    assert not alice.user.notifications.unread().exists()


def test_expired_ads_leave_suggestions(network):
    from datetime import timedelta

    from django.utils import timezone

    ad = network["ad"]
    ad.expires_on = timezone.localdate() - timedelta(days=1)
    ad.save()
    shown = suggestions_for_display(
        ItemType.PERSON, network["alice"].pk, viewer=network["alice"].user
    )
    assert [s.kind for s in shown] == [ItemType.PERSON]


def test_initiative_needs_find_offers(network, client):
    initiative = InitiativeFactory(
        created_by=network["alice"].user, needs="Quelqu'un pour la comptabilité"
    )
    initiative.carrier_people.add(network["alice"])
    ranked = matching.suggest(ItemType.INITIATIVE, initiative.pk)
    assert [item for _s, item, _r in ranked] == [(ItemType.PERSON, network["denis"].pk)]
    client.force_login(network["alice"].user)
    page = client.get(reverse("exchange:initiative_suggestions", args=[initiative.pk]))
    assert "Denis Petit propose : Comptabilité" in page.content.decode()


def test_phrases_and_stems():
    found = matching.phrase_stems("Animation de réunions, comptabilité et vélos")
    assert found["anim"] == "Animation de réunions"
    assert found["comptabilit"] == "comptabilité"
    assert "velo" in found
    # Synonyms fold onto one stem; generic words are left out.
    assert set(matching.phrase_stems("facilitation")) == {"anim"}
    assert matching.phrase_stems("Je cherche de l'aide") == {}


def test_score_is_symmetric(network):
    a = matching.features_of(ItemType.PERSON, network["alice"].pk)[0]
    c = matching.features_of(ItemType.PERSON, network["claire"].pk)[0]
    assert matching.score(a, c)[0] == matching.score(c, a)[0] > 0


def test_recompute_command(network):
    from io import StringIO

    from django.core.management import call_command

    Suggestion.objects.all().delete()
    out = StringIO()
    call_command("recompute_suggestions", stdout=out)
    assert "suggestions" in out.getvalue()
    assert (ItemType.PERSON, network["claire"].pk) in _targets(network["alice"])


def test_demo_is_idempotent(network):
    from io import StringIO

    from maillage.core.demo import make_context
    from maillage.exchange import demo
    from maillage.exchange.models import Ad

    before = Ad.objects.count()
    for _run in range(2):
        demo.generate(make_context(seed=3, sizes={"ads": 6}, stdout=StringIO()))
    assert Ad.objects.count() == before + 6
    assert Suggestion.objects.filter(source_type=ItemType.AD).exists()
