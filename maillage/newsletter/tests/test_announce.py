"""The « Nouveaux membres » section: only members who ticked `announce_in_letter` on a
public profile, with their name, presentation, themes and territories, never a contact."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.tests.factories import UserFactory
from maillage.directory import personal_data
from maillage.directory.models import Person
from maillage.directory.services import person_for_user
from maillage.directory.tests.factories import ThemeFactory, aude_and_herault
from maillage.newsletter import services

from .factories import LetterFactory

pytestmark = pytest.mark.django_db

CONTACTS = {
    "email": "josiane.martin@example.org",
    "email_visibility": "public",
    "phone": "06 12 34 56 78",
    "phone_visibility": "public",
    "address": "12 rue des Capucins, 11300 Limoux",
    "address_visibility": "public",
}


@pytest.fixture
def previous_letter():
    return LetterFactory(status="sent", sent_at=timezone.now() - timedelta(days=10))


def _member(name: str, **fields) -> Person:
    person = person_for_user(user=UserFactory(display_name=name))
    Person.objects.filter(pk=person.pk).update(**fields)
    person.refresh_from_db()
    return person


def _members_section(letter) -> list[dict]:
    sections = {s["key"]: s["items"] for s in services.letter_sections(letter)}
    return sections.get("membres", [])


def test_only_public_profiles_that_ticked_the_box_are_announced(previous_letter):
    theme = ThemeFactory(name="Circuits courts et AMAP")
    commune = aude_and_herault()["limoux"]
    announced = _member(
        "Josiane Martin",
        visibility="public",
        announce_in_letter=True,
        presentation="Maraîchère, j'anime une AMAP.",
        **CONTACTS,
    )
    announced.themes.add(theme)
    announced.territories.add(commune)
    _member("Sans case", visibility="public", announce_in_letter=False, **CONTACTS)
    _member("Profil privé", visibility="private", announce_in_letter=True)
    _member("Profil membres", visibility="members", announce_in_letter=True)
    inactive = _member("Compte fermé", visibility="public", announce_in_letter=True)
    inactive.user.is_active = False
    inactive.user.save(update_fields=["is_active"])
    old = _member("Ancienne", visibility="public", announce_in_letter=True)
    Person.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=20))
    Person.objects.create(name="Contact importé", visibility="public", announce_in_letter=True)

    items = _members_section(LetterFactory())

    assert [i["title"] for i in items] == ["Josiane Martin"]
    item = items[0]
    assert item["summary"] == "Maraîchère, j'anime une AMAP."
    assert item["place"] == commune.name
    assert item["themes"] == [theme.pk]
    assert commune.pk in item["territories"]
    assert item["url"] == announced.get_absolute_url()
    text = repr(item)
    for value in ("josiane.martin@", "06 12 34 56 78", "rue des Capucins"):
        assert value not in text


def test_the_sent_letter_shows_the_member_without_contacts(client, facilitator, previous_letter):
    _member("Josiane Martin", visibility="public", announce_in_letter=True, **CONTACTS)
    _member("Bertrand Discret", visibility="public", announce_in_letter=False)
    letter = LetterFactory()
    client.force_login(facilitator)

    page = client.get(reverse("newsletter:preview", args=[letter.pk])).content.decode()

    assert "Nouveaux membres" in page
    assert "Josiane Martin" in page
    assert "Bertrand Discret" not in page
    for value in ("josiane.martin@", "06 12 34 56 78", "rue des Capucins"):
        assert value not in page


def test_no_member_section_when_nobody_agreed(previous_letter):
    _member("Profil public", visibility="public", **CONTACTS)

    assert _members_section(LetterFactory()) == []


def _profile_data(**extra) -> dict:
    return {
        "name": "Camille Membre",
        "visibility": "public",
        "email_visibility": "private",
        "phone_visibility": "private",
        "address_visibility": "private",
        "website_visibility": "private",
        "social_links_visibility": "private",
        **extra,
    }


def test_the_owner_ticks_and_unticks_the_box_in_the_profile_form(client, member):
    client.force_login(member)
    page = client.get(reverse("directory:profile_edit")).content.decode()
    assert 'name="announce_in_letter"' in page
    assert "jamais vos coordonnées" in page

    response = client.post(
        reverse("directory:profile_edit"), _profile_data(announce_in_letter="on")
    )
    assert response.status_code == 302
    assert Person.objects.get(user=member).announce_in_letter is True

    response = client.post(reverse("directory:profile_edit"), _profile_data())
    assert response.status_code == 302
    assert Person.objects.get(user=member).announce_in_letter is False


def test_the_consent_is_exported_and_withdrawn_when_the_account_is_erased(previous_letter):
    person = _member("Josiane Martin", visibility="public", announce_in_letter=True)
    assert personal_data.export(person.user)["announce_in_letter"] is True

    personal_data.erase(person.user)

    person.refresh_from_db()
    assert person.announce_in_letter is False
    assert _members_section(LetterFactory()) == []
