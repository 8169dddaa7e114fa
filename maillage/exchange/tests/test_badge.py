"""The notification badge in the site header: on every page for members, none (and no
query) for visitors, cached per person and forgotten when a notification comes or is read."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.exchange import services
from maillage.exchange.context_processors import notifications

pytestmark = pytest.mark.django_db

PAGE = "/annuaire/structures/"  # a page of another app (the directory)


def _badge(client) -> str | None:
    """The text of the header's link to the notifications page, tags stripped."""
    response = client.get(PAGE)
    assert response.status_code == 200
    url = reverse("exchange:notifications")
    found = re.search(rf'<a href="{re.escape(url)}">(.*?)</a>', response.content.decode(), re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip() if found else None


def test_visitors_get_no_badge_and_no_query(client, django_assert_num_queries):
    assert _badge(client) is None
    request = RequestFactory().get(PAGE)
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert notifications(request) == {}


def test_member_sees_the_unread_count_on_every_page(client, member):
    services.notify(user=member, text="Une nouvelle suggestion", url="/echanges/suggestions/")
    services.notify(user=member, text="Une réponse à votre annonce")
    client.force_login(member)
    badge = _badge(client)
    assert badge.startswith("Notifications (2)")  # the count is in the link's text
    assert "non lues" in badge  # said in words for screen readers


def test_reading_the_notifications_resets_the_badge(client, member):
    services.notify(user=member, text="Une nouvelle suggestion")
    services.notify(user=member, text="Une autre")
    client.force_login(member)
    assert _badge(client).startswith("Notifications (2)")
    assert client.get(reverse("exchange:notifications")).status_code == 200
    assert _badge(client) == "Notifications"


def test_a_new_notification_shows_at_once(client, member):
    client.force_login(member)
    assert _badge(client) == "Notifications"
    services.notify(user=member, text="Une nouvelle suggestion")
    assert _badge(client).startswith("Notifications (1)")
    assert "non lue" in _badge(client)


def test_the_count_is_cached_between_pages(client, member):
    services.notify(user=member, text="Une nouvelle suggestion")
    client.force_login(member)

    def notification_queries() -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert _badge(client).startswith("Notifications (1)")
        return [q["sql"] for q in captured.captured_queries if "exchange_notification" in q["sql"]]

    assert len(notification_queries()) == 1  # one indexed COUNT on the first page
    assert notification_queries() == []  # then the cache answers


def test_the_badge_of_one_member_is_not_anothers(client, member, owner):
    services.notify(user=member, text="Pour Camille")
    client.force_login(member)
    assert _badge(client).startswith("Notifications (1)")
    client.force_login(owner)
    assert _badge(client) == "Notifications"
