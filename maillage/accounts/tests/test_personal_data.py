"""Personal-data export and account deletion, through the member's settings pages."""

import json

import pytest
from django.contrib.sessions.backends.db import SessionStore as PlainStore
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from maillage.accounts import personal_data
from maillage.accounts.models import User, UserSession
from maillage.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _export(client) -> dict:
    response = client.get(reverse("accounts:personal_data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


def test_export_contains_every_personal_field(client, member):
    client.force_login(member)
    member.refresh_from_db()
    data = _export(client)
    assert data["format"] == "maillage.personal-data.v1"
    assert set(data["data"]) == {p.name for p in personal_data.providers()}
    account = data["data"]["compte"]
    for field in User.PERSONAL_FIELDS:
        value = getattr(member, field)
        expected = value.isoformat() if hasattr(value, "isoformat") else value
        assert account[field] == expected, field
    assert account["email_addresses"] == [
        {"email": member.email, "verified": True, "primary": True}
    ]
    assert account["charter_acceptances"][0]["version"] == 1


def test_export_is_only_ever_ones_own(client, member, facilitator):
    client.force_login(member)
    data = _export(client)
    assert facilitator.email not in json.dumps(data)


def test_deletion_erases_personal_fields_and_ends_every_session(member):
    browser_a, browser_b = Client(), Client()
    for browser in (browser_a, browser_b):
        browser.force_login(member)
    assert UserSession.objects.filter(user=member).count() == 2
    email, name = member.email, member.display_name

    form = browser_a.get(reverse("accounts:delete"))
    assert form.status_code == 200
    refused = browser_a.post(reverse("accounts:delete"), {"confirm": "oui"})
    assert refused.status_code == 200
    assert User.objects.get(pk=member.pk).is_active

    response = browser_a.post(reverse("accounts:delete"), {"confirm": "supprimer"})
    assert response.status_code == 302

    member.refresh_from_db()
    assert not member.is_active and member.deleted_at is not None
    for field in User.PERSONAL_FIELDS:
        value = getattr(member, field)
        assert value in (None, "") or field in ("date_joined", "joined_at", "email"), field
    assert email not in member.email and name not in str(member)
    assert not member.has_usable_password()
    assert UserSession.objects.filter(user=member).count() == 0
    # No stored session, whatever its engine field, still points at this user.
    for row in UserSession.objects.all():
        assert PlainStore().decode(row.session_data).get("_auth_user_id") != str(member.pk)
    # Both browsers are logged out.
    assert browser_b.get(reverse("accounts:settings")).status_code == 302
    assert AuditEntry.objects.filter(action="account.delete", object_id=str(member.pk)).exists()


def test_deleted_member_cannot_log_in_again(client, member):
    from maillage.accounts.services import account_delete
    from maillage.accounts.tests.factories import PASSWORD

    email = member.email
    account_delete(user=member)
    client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_email_can_be_reused_after_deletion(client, member):
    from maillage.accounts.services import account_delete

    email = member.email
    account_delete(user=member)
    response = client.post(
        reverse("account_signup"),
        {
            "display_name": "De retour",
            "email": email,
            "password1": "une-phrase-de-passe-longue",
            "password2": "une-phrase-de-passe-longue",
        },
    )
    assert response.status_code == 302
    assert User.objects.filter(email=email, is_active=True).count() == 1


def _some_territories():
    # One département is enough, and much faster than all of France.
    call_command("load_territories", only_departements="11", verbosity=0)


def test_demo_network_is_idempotent():
    _some_territories()
    call_command("demo_network", people=25, seed=3)
    counts = (User.objects.count(), UserSession.objects.count())
    call_command("demo_network", people=25, seed=3)
    assert (User.objects.count(), UserSession.objects.count()) == counts
    assert User.objects.members().count() == 25 + 3
    assert User.objects.filter(role="admin").count() == 1


def test_demo_logins_are_printed_once_the_demo_exists():
    from io import StringIO

    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert out.getvalue() == ""
    _some_territories()
    call_command("demo_network", people=0, seed=1, stdout=StringIO())
    call_command("demo_logins", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert "membre@demo.maillage.example" in lines[0] and "reseau-demo-2024" in lines[0]
