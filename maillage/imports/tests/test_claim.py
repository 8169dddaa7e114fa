"""Imported people: invited by e-mail to claim their profile or to be forgotten."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from maillage.directory.models import Person
from maillage.imports.models import ImportedContact
from maillage.imports.services import claim_token

from .factories import imported_contact


def _link_from_mail() -> str:
    (message,) = mail.outbox
    return re.search(r"https?://\S+/imports/profil/\S+/", message.body).group(0)


@pytest.mark.django_db
def test_invitation_mail_carries_a_signed_link(
    client, facilitator, django_capture_on_commit_callbacks
):
    contact = imported_contact()
    client.force_login(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:invite", args=[contact.pk]))
    assert response.status_code == 302
    assert mail.outbox[0].to == ["nina.rey@example.org"]
    link = _link_from_mail()
    contact.refresh_from_db()
    assert contact.status == "invited"
    client.logout()
    page = client.get(link.split("testserver", 1)[-1])
    assert page.status_code == 200
    assert "Nina Rey" in page.content.decode()


@pytest.mark.django_db
def test_a_new_invitation_voids_the_previous_link(client, facilitator):
    contact = imported_contact()
    old = claim_token(contact)
    client.force_login(facilitator)
    client.post(reverse("imports:invite", args=[contact.pk]))
    assert client.get(reverse("imports:claim", args=[old])).status_code == 404


@pytest.mark.django_db
def test_no_invitation_without_an_address(client, facilitator, django_capture_on_commit_callbacks):
    contact = imported_contact(email="")
    client.force_login(facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:invite", args=[contact.pk]))
    assert mail.outbox == []


@pytest.mark.django_db
def test_forget_me_erases_the_person_and_scrubs_the_source(client):
    contact = imported_contact()
    document = contact.document
    assert "nina.rey@example.org" in document.text
    response = client.post(
        reverse("imports:claim", args=[claim_token(contact)]), {"action": "forget"}
    )
    assert response.status_code == 200
    assert not Person.objects.filter(pk=contact.person_id).exists()
    assert not ImportedContact.objects.filter(pk=contact.pk).exists()
    document.refresh_from_db()
    assert "nina.rey@example.org" not in document.text
    assert "Nina Rey" not in document.text
    assert "nina.rey@example.org" not in str(document.draft)


@pytest.mark.django_db
def test_claim_needs_an_account_then_takes_the_profile(client, member):
    contact = imported_contact()
    url = reverse("imports:claim", args=[claim_token(contact)])
    response = client.post(url, {"action": "claim"})
    assert response.status_code == 302
    assert "login" in response.url or "connexion" in response.url
    client.force_login(member)
    response = client.post(url, {"action": "claim"})
    assert response.status_code == 302
    assert response.url == url
    page = client.get(url).content.decode()
    assert reverse("directory:profile_edit") in page
    person = Person.objects.get(pk=contact.person_id)
    assert person.user == member
    assert person.confirmed
    contact.refresh_from_db()
    assert contact.status == "claimed"
    # A confirmed profile can no longer be "forgotten" through the link.
    client.post(url, {"action": "forget"})
    assert Person.objects.filter(pk=person.pk).exists()


@pytest.mark.django_db
def test_claim_by_someone_who_already_has_a_profile_is_refused(client, owner):
    from maillage.directory.services import person_for_user

    person_for_user(user=owner)
    contact = imported_contact()
    client.force_login(owner)
    client.post(reverse("imports:claim", args=[claim_token(contact)]), {"action": "claim"})
    assert Person.objects.get(pk=contact.person_id).user is None


@pytest.mark.django_db
def test_personal_data_export_and_erase(member):
    from maillage.accounts import personal_data

    contact = imported_contact()
    Person.objects.filter(pk=contact.person_id).update(user=member, confirmed=True)
    provider = {p.name: p for p in personal_data.providers()}["imports"]
    assert provider.export(member)[0]["document"] == contact.document.title
    provider.erase(member)
    assert not ImportedContact.objects.filter(pk=contact.pk).exists()
    contact.document.refresh_from_db()
    assert "nina.rey@example.org" not in contact.document.text


@pytest.mark.django_db
def test_after_claiming_the_person_is_offered_the_groups_they_were_listed_in(
    client, fclient_accept
):
    document, member = fclient_accept
    contact = ImportedContact.objects.get(document=document, person__email="nina.rey@example.org")
    url = reverse("imports:claim", args=[claim_token(contact)])
    client.force_login(member)
    client.post(url, {"action": "claim"})
    page = client.get(url).content.decode()
    from maillage.forums.models import Group

    group = Group.objects.get(event=document.event)
    assert reverse("forums:followup", args=[group.pk]) in page
    # Nobody became a follower without their own consent.
    assert not group.followups.exists()


@pytest.fixture
def fclient_accept(facilitator, member):
    from maillage.imports.services import import_accept

    from .factories import review_import

    document = review_import()
    import_accept(document=document, actor=facilitator)
    document.refresh_from_db()
    return document, member
