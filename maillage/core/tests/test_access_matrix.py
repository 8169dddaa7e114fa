"""Every URL pattern × every role: the status each role gets.

The table below is the access policy of the site, written once. The test walks the URL
resolver, so a new view without a row here fails `test_every_url_is_in_the_matrix`: each
app adds its rows when it adds views.

Legend: 200 OK; LOGIN redirect to the log-in page; 403 forbidden; 302 other redirect;
405 method not allowed (POST-only endpoints).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ["anonymous", "member", "facilitator", "admin"]
LOGIN = "LOGIN"
ALL_OK = dict.fromkeys(ROLES, 200)
MEMBERS_OK = {"anonymous": LOGIN, "member": 200, "facilitator": 200, "admin": 200}
FACILITATORS_OK = {"anonymous": LOGIN, "member": 403, "facilitator": 200, "admin": 200}
ADMINS_OK = {"anonymous": LOGIN, "member": 403, "facilitator": 403, "admin": 200}
# allauth sends people who are already logged in away from the entrance pages.
ENTRANCE = {"anonymous": 200, "member": 302, "facilitator": 302, "admin": 302}

# name -> (kwargs, expected statuses by role)
MATRIX: dict[str, tuple[dict, dict]] = {
    "core:home": ({}, ALL_OK),
    "core:about": ({}, ALL_OK),
    "core:health": ({}, ALL_OK),
    "core:pillar": ({"slug": "se-connaitre"}, ALL_OK),
    "core:audit_log": ({}, FACILITATORS_OK),
    "accounts:settings": ({}, MEMBERS_OK),
    "accounts:personal_data": ({}, MEMBERS_OK),
    "accounts:delete": ({}, MEMBERS_OK),
    "accounts:charter": ({}, ALL_OK),
    "accounts:charter_accept": ({}, MEMBERS_OK),
    "accounts:charter_edit": ({}, ADMINS_OK),
    "account_login": ({}, ENTRANCE),
    "account_logout": ({}, {"anonymous": 302, "member": 200, "facilitator": 200, "admin": 200}),
    "account_inactive": ({}, ALL_OK),
    "account_signup": ({}, ENTRANCE),
    "account_reauthenticate": ({}, MEMBERS_OK),
    "account_email": ({}, MEMBERS_OK),
    "account_email_verification_sent": ({}, ALL_OK),
    "account_change_password": ({}, MEMBERS_OK),
    "account_set_password": (
        {},
        {"anonymous": LOGIN, "member": 302, "facilitator": 302, "admin": 302},
    ),
    "account_reset_password": ({}, ALL_OK),
    "account_reset_password_done": ({}, ALL_OK),
    "account_reset_password_from_key": ({"uidb36": "zz", "key": "bad-key"}, ALL_OK),
    "account_reset_password_from_key_done": ({}, ALL_OK),
    "account_confirm_email": ({"key": "not-a-key"}, ALL_OK),
    "account_request_login_code": ({}, ENTRANCE),
    "account_confirm_login_code": (
        {},
        {"anonymous": 302, "member": 302, "facilitator": 302, "admin": 302},
    ),
    "set_language": ({}, {"anonymous": 302, "member": 302, "facilitator": 302, "admin": 302}),
}

# The Django admin is for admins only; others are sent to its own log-in page.
ADMIN_INDEX = {"anonymous": 302, "member": 302, "facilitator": 302, "admin": 200}


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}{pattern.namespace}:"
            yield from _named_patterns(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_matrix():
    names = set(_named_patterns())
    assert names - set(MATRIX) == set(), "add these views to the access matrix"
    assert set(MATRIX) - names == set(), "these rows name views that no longer exist"


def _status(response) -> int | str:
    if response.status_code == 302 and response["Location"].split("?")[0] == reverse(
        "account_login"
    ):
        return LOGIN
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(role_client, name, role):
    kwargs, expected = MATRIX[name]
    response = role_client(role).get(reverse(name, kwargs=kwargs))
    assert _status(response) == expected[role]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_django_admin_is_for_admins_only(role_client, role):
    response = role_client(role).get(reverse("admin:index"))
    assert response.status_code == ADMIN_INDEX[role]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("admin:login"))
