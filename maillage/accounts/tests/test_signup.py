"""Joining the network over HTTP: sign-up, e-mail verification, charter, log-in."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from maillage.accounts.models import CharterAcceptance, User
from maillage.accounts.services import charter_publish

pytestmark = pytest.mark.django_db


def _confirmation_link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/compte/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_signup_verifies_email_then_asks_for_the_charter(client):
    response = client.post(
        reverse("account_signup"),
        {
            "display_name": "  Claire   Duval ",
            "email": "claire@example.org",
            "password1": "une-phrase-de-passe-longue",
            "password2": "une-phrase-de-passe-longue",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="claire@example.org")
    assert user.display_name == "Claire Duval"
    assert not user.is_member

    assert len(mail.outbox) == 1
    link = _confirmation_link(mail.outbox[0])
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302

    # Logged in after confirmation, but not a member until the charter is accepted.
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:charter_accept"))

    refused = client.post(reverse("accounts:charter_accept"), {"next": "/"})
    assert refused.status_code == 200
    assert "Cochez la case" in refused.content.decode()

    accepted = client.post(reverse("accounts:charter_accept"), {"accept": "on", "next": "/"})
    assert accepted.status_code == 302
    user.refresh_from_db()
    assert user.is_member
    assert CharterAcceptance.objects.filter(user=user).count() == 1
    assert "Bonjour Claire Duval" in client.get("/").content.decode()


def test_unverified_email_cannot_log_in(client):
    client.post(
        reverse("account_signup"),
        {
            "display_name": "Karim",
            "email": "karim@example.org",
            "password1": "une-phrase-de-passe-longue",
            "password2": "une-phrase-de-passe-longue",
        },
    )
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "karim@example.org", "password": "une-phrase-de-passe-longue"},
    )
    assert response.status_code == 302
    assert "confirm" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_signup_rejects_a_blank_name(client):
    response = client.post(
        reverse("account_signup"),
        {
            "display_name": "   ",
            "email": "x@example.org",
            "password1": "une-phrase-de-passe-longue",
            "password2": "une-phrase-de-passe-longue",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="x@example.org").exists()


def test_a_new_charter_version_is_asked_to_members(client, member, admin_user):
    client.force_login(member)
    assert client.get("/").status_code == 200
    charter_publish(author=admin_user, text="Nouvelle charte", summary="Ajout d'un article")
    response = client.get("/")
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "La charte a changé" in page.content.decode()
    assert "Ajout d&#x27;un article" in page.content.decode()
    client.post(reverse("accounts:charter_accept"), {"accept": "on"})
    assert client.get("/").status_code == 200


def test_admin_publishes_a_charter_from_the_site(client, admin_user, member):
    client.force_login(admin_user)
    response = client.post(
        reverse("accounts:charter_edit"),
        {"text": "## Charte 2\n\nNous coopérons.", "summary": "Réécriture"},
    )
    assert response.status_code == 302
    page = client.get(reverse("accounts:charter_accept"))
    assert "<h2>Charte 2</h2>" in page.content.decode()
    client.force_login(member)
    assert client.post(reverse("accounts:charter_edit"), {"text": "x"}).status_code == 403


def test_charter_markdown_is_sanitised(client, admin_user):
    charter_publish(author=admin_user, text="<script>alert(1)</script> **gras**")
    page = client.get(reverse("accounts:charter")).content.decode()
    assert "<script>alert(1)" not in page
    assert "<strong>gras</strong>" in page


def test_login_by_one_time_code(client, member, settings):
    settings.SITE_NAME = "Réseau Test"
    response = client.post(reverse("account_request_login_code"), {"email": member.email})
    assert response.status_code == 302
    body = mail.outbox[-1].body
    assert "Réseau Test" in body
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.M).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_failed_logins_are_logged_and_rate_limited(client, member, caplog):
    caplog.set_level("WARNING", logger="maillage.security")
    statuses = []
    for _ in range(7):
        response = client.post(
            reverse("account_login"), {"login": member.email, "password": "mauvais"}
        )
        statuses.append(response.status_code)
    failures = [r for r in caplog.records if "failed login" in r.getMessage()]
    assert failures and member.email in failures[0].getMessage()
    assert "mauvais" not in caplog.text
    # allauth counts failures per account: the 6th attempt within 5 minutes is refused
    # even with the right password.
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "un-mot-de-passe-solide"}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


def test_password_reset_sends_a_link(client, member):
    response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302
    assert "/compte/password/reset/key/" in mail.outbox[-1].body
