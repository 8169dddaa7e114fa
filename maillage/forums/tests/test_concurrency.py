"""Two people saving the same report at the same instant, and two facilitators taking the
same cell of the grid: exactly one wins, the other gets a clear answer, nothing is lost.

Real concurrent requests from threads, each with its own connection: PostgreSQL only
(conftest.py deselects these on SQLite, where writers are serialised anyway).
"""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from maillage.accounts.tests.factories import UserFactory
from maillage.forums.models import Report, ReportRevision, Topic
from maillage.forums.tests.factories import TopicFactory, accepted_group, forum

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgresql,
]


def _all_at_once(posts) -> list[int]:
    """Run every (client, url, data) POST at the same instant; their status codes."""
    barrier = threading.Barrier(len(posts))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def run(client, url, data):
        try:
            barrier.wait(timeout=30)
            statuses.append(client.post(url, data).status_code)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=post) for post in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return statuses


def _client(user) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def test_concurrent_saves_of_one_version_keep_exactly_one():
    carrier = UserFactory()
    group = accepted_group(proposer=carrier)
    url = reverse("forums:report_edit", args=[group.pk])
    posts = []
    for n in range(4):
        user = carrier if n == 0 else UserFactory()
        group.members.get_or_create(user=user)
        posts.append((_client(user), url, {"version": "0", "findings": f"Texte n°{n}"}))
    statuses = _all_at_once(posts)
    assert sorted(statuses) == [302, 409, 409, 409]
    report = Report.objects.get(group=group)
    assert report.version == 1 and ReportRevision.objects.count() == 1
    assert report.findings in {f"Texte n°{n}" for n in range(4)}


def test_concurrent_placements_in_one_cell_keep_one_topic():
    f = forum()
    facilitator = UserFactory(role="facilitator")
    cell = f"{f['rooms'][1].pk}:{f['slots'][1].pk}"
    topics = [f["topic"]] + [TopicFactory(event=f["event"]) for _ in range(3)]
    posts = [
        (
            _client(facilitator),
            reverse("forums:topic_schedule", args=[t.pk]),
            {f"t{t.pk}-cell": cell},
        )
        for t in topics
    ]
    assert _all_at_once(posts) == [302] * 4
    placed = Topic.objects.filter(room=f["rooms"][1], slot=f["slots"][1])
    assert placed.count() == 1
