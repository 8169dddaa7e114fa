"""Every URL pattern × every role: the status each role gets.

The table below is the access policy of the site, written once. The test walks the URL
resolver, so a new view without a row here fails `test_every_url_is_in_the_matrix`: each
app adds its rows when it adds views.

Legend: 200 OK; LOGIN redirect to the log-in page; 403 forbidden; 404 not found (a record
the role may not even know exists); 302 other redirect; 405 method not allowed (POST-only
endpoints, checked with GET). "owner" is a member who owns the records of the `world`
fixture (profile, organisation, initiative); "member" is another member.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from maillage.core.tests.matrix import (
    ADMINS_OK,
    ALL_OK,
    ALL_REDIRECT,
    ENTRANCE,
    FACILITATORS_OK,
    FACILITATORS_POST_ONLY,
    LOGIN,
    MEMBERS_OK,
    MEMBERS_POST_ONLY,
    OWNER_OK,
    POST_ONLY,
    ROLES,
    app_access_modules,
    roles,
)

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
    "account_logout": ({}, roles(302, 200, 200, 200, 200)),
    "account_inactive": ({}, ALL_OK),
    "account_signup": ({}, ENTRANCE),
    "account_reauthenticate": ({}, MEMBERS_OK),
    "account_email": ({}, MEMBERS_OK),
    "account_email_verification_sent": ({}, ALL_OK),
    "account_change_password": ({}, MEMBERS_OK),
    "account_set_password": ({}, roles(LOGIN, 302, 302, 302, 302)),
    "account_reset_password": ({}, ALL_OK),
    "account_reset_password_done": ({}, ALL_OK),
    "account_reset_password_from_key": ({"uidb36": "zz", "key": "bad-key"}, ALL_OK),
    "account_reset_password_from_key_done": ({}, ALL_OK),
    "account_confirm_email": ({"key": "not-a-key"}, ALL_OK),
    "account_request_login_code": ({}, ENTRANCE),
    "account_confirm_login_code": ({}, ALL_REDIRECT),
    "set_language": ({}, ALL_REDIRECT),
    # Directory
    "directory:people": ({}, ALL_OK),
    "directory:resource_people": ({}, ALL_OK),
    # The owner's profile is for members only (the default): visitors get a 404.
    "directory:person": (lambda w: {"pk": w["person"].pk}, roles(404, 200, 200, 200, 200)),
    "directory:profile_edit": ({}, MEMBERS_OK),
    # The owner is sent to their own form; other members may not edit it.
    "directory:person_edit": (
        lambda w: {"pk": w["person"].pk},
        roles(404, 403, 302, 200, 200),
    ),
    "directory:organisation_join": (
        lambda w: {"pk": w["organisation"].pk},
        MEMBERS_POST_ONLY,
    ),
    "directory:membership_remove": (lambda w: {"pk": w["membership"].pk}, POST_ONLY),
    "directory:organisations": ({}, ALL_OK),
    "directory:organisation_create": ({}, ALL_OK),
    "directory:organisation": (lambda w: {"pk": w["organisation"].pk}, ALL_OK),
    "directory:organisation_edit": (lambda w: {"pk": w["organisation"].pk}, OWNER_OK),
    "directory:networks": ({}, ALL_OK),
    "directory:initiatives": ({}, ALL_OK),
    "directory:initiative_create": ({}, ALL_OK),
    "directory:initiative": (lambda w: {"pk": w["initiative"].pk}, ALL_OK),
    "directory:initiative_edit": (lambda w: {"pk": w["initiative"].pk}, OWNER_OK),
    "directory:initiative_join": (lambda w: {"pk": w["initiative"].pk}, MEMBERS_POST_ONLY),
    "directory:join_decide": (lambda w: {"pk": w["join_request"].pk}, POST_ONLY),
    "directory:report_error": (
        lambda w: {"kind": "structure", "pk": w["organisation"].pk},
        ALL_OK,
    ),
    "directory:moderation": ({}, FACILITATORS_OK),
    "directory:moderate": (
        lambda w: {"kind": "structure", "pk": w["organisation"].pk},
        FACILITATORS_POST_ONLY,
    ),
    "directory:report_close": ({"pk": 1}, FACILITATORS_POST_ONLY),
    "directory:merge": (
        lambda w: {"kind": "structure", "pk": w["organisation"].pk},
        FACILITATORS_OK,
    ),
    "directory:themes": ({}, FACILITATORS_OK),
    "directory:theme_edit": (lambda w: {"pk": w["theme"].pk}, FACILITATORS_OK),
    # Events (agenda, programme, registrations); the owner is registered at the event.
    "events:agenda": ({}, ALL_OK),
    "events:past": ({}, ALL_OK),
    "events:calendar": ({}, ALL_OK),
    "events:feed_all": ({}, ALL_OK),
    "events:feed_theme": (lambda w: {"slug": w["theme"].slug}, ALL_OK),
    "events:feed_territory": ({"kind": "departement", "code": "11"}, ALL_OK),
    "events:event_create": ({}, FACILITATORS_OK),
    "events:event": (lambda w: {"pk": w["events"]["event"].pk}, ALL_OK),
    "events:event_edit": (lambda w: {"pk": w["events"]["event"].pk}, FACILITATORS_OK),
    "events:programme": (lambda w: {"pk": w["events"]["event"].pk}, ALL_OK),
    "events:feed_event": (lambda w: {"pk": w["events"]["event"].pk}, ALL_OK),
    "events:register": (lambda w: {"pk": w["events"]["event"].pk}, MEMBERS_POST_ONLY),
    "events:unregister": (lambda w: {"pk": w["events"]["event"].pk}, MEMBERS_POST_ONLY),
    "events:participants": (lambda w: {"pk": w["events"]["event"].pk}, FACILITATORS_OK),
    "events:participants_csv": (lambda w: {"pk": w["events"]["event"].pk}, FACILITATORS_OK),
    "events:attendance": (lambda w: {"pk": w["events"]["event"].pk}, FACILITATORS_POST_ONLY),
    "events:session_create": (lambda w: {"pk": w["events"]["event"].pk}, FACILITATORS_OK),
    "events:session_edit": (lambda w: {"pk": w["events"]["session"].pk}, FACILITATORS_OK),
    "events:session_delete": (
        lambda w: {"pk": w["events"]["session"].pk},
        FACILITATORS_POST_ONLY,
    ),
    "events:session_register": (lambda w: {"pk": w["events"]["session"].pk}, MEMBERS_POST_ONLY),
    "events:session_unregister": (
        lambda w: {"pk": w["events"]["session"].pk},
        MEMBERS_POST_ONLY,
    ),
    # The signed link of the confirmation e-mail: a confirmation page for whoever holds it.
    "events:cancel": (lambda w: {"token": w["events"]["token"]}, ALL_OK),
    # Search (everyone; what each role finds is tested in maillage/search/tests)
    "search:results": ({}, ALL_OK),
    "search:suggest": ({}, ALL_OK),
    # Map (everyone; what each role sees is tested in maillage/maps/tests)
    "maps:map": ({}, ALL_OK),
    "maps:data": ({}, ALL_OK),
    "maps:geojson": ({}, ALL_OK),
    "maps:embed": ({}, ALL_OK),
    # Territories (public reference data)
    "territories:autocomplete": ({}, ALL_OK),
    "territories:detail": ({"kind": "national", "code": "FR"}, ALL_OK),
}

for _label, _module in app_access_modules():
    _clash = set(_module.MATRIX) & set(MATRIX)
    assert not _clash, f"rows declared twice: {_clash}"
    MATRIX.update(_module.MATRIX)

# The Django admin is for admins only; others are sent to its own log-in page.
ADMIN_INDEX = roles(302, 302, 302, 302, 200)


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
def test_access(role_client, world, name, role):
    kwargs, expected = MATRIX[name]
    if callable(kwargs):
        kwargs = kwargs(world)
    response = role_client(role).get(reverse(name, kwargs=kwargs))
    assert _status(response) == expected[role]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_django_admin_is_for_admins_only(role_client, role):
    response = role_client(role).get(reverse("admin:index"))
    assert response.status_code == ADMIN_INDEX[role]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("admin:login"))
