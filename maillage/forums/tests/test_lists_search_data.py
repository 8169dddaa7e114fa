"""The lists (working groups, an event's topics, pages of a group) in a constant number of
queries; what the search index holds; personal data exported and erased."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maillage.accounts.services import account_delete, personal_data_export
from maillage.accounts.tests.factories import UserFactory
from maillage.events.tests.factories import EventFactory, TimeSlotFactory, days_ahead
from maillage.forums import services
from maillage.forums.models import FollowUp, GroupMember, Topic
from maillage.forums.tests.factories import RoomFactory, TopicFactory, accepted_group
from maillage.search.models import SearchDocument
from maillage.search.query import Filters, Search, Viewer

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _working_group(event=None, *, n_followers=2, n_tasks=2):
    group = accepted_group(event=event)
    for _ in range(n_followers):
        services.followup_signup(
            group=group, user=UserFactory(), share_email=True, share_phone=False
        )
    for n in range(n_tasks):
        services.task_create(group=group, actor=None, title=f"Tâche {n}")
    return group


def test_working_groups_list_has_a_constant_query_count(
    client, member, django_assert_max_num_queries
):
    client.force_login(member)
    url = reverse("forums:working_groups")
    _working_group()
    accepted_group()  # without followers: not a working group
    _queries(client, url)
    few = _queries(client, url)
    for _ in range(6):
        _working_group()
    with django_assert_max_num_queries(few):
        page = client.get(url).content.decode()
    assert "7 groupes de travail actifs" in page


def test_event_forum_and_event_page_have_constant_query_counts(client, member):
    event = EventFactory(kind="forum_ouvert")
    client.force_login(member)

    def add(n):
        for _ in range(n):
            slot = TimeSlotFactory(
                event=event, starts=time(8 + len(event.slots.all()), 0), ends=time(23, 0)
            )
            room = RoomFactory(event=event)
            group = accepted_group(event=event, room=room, slot=slot)
            services.group_join(group=group, user=UserFactory())
            TopicFactory(event=event)

    add(1)
    forum_url = reverse("forums:event_forum", args=[event.pk])
    _queries(client, forum_url)
    few_forum = _queries(client, forum_url)
    few_event = _queries(client, event.get_absolute_url())
    add(5)
    assert _queries(client, forum_url) == few_forum
    assert _queries(client, event.get_absolute_url()) == few_event


def test_group_and_working_group_pages_have_constant_query_counts(client, facilitator):
    group = _working_group(n_followers=1, n_tasks=1)
    client.force_login(facilitator)
    urls = [group.get_absolute_url(), reverse("forums:working_group", args=[group.pk])]
    for url in urls:
        _queries(client, url)
    few = [_queries(client, url) for url in urls]
    for _ in range(5):
        user = UserFactory()
        services.group_join(group=group, user=user)
        services.followup_signup(group=group, user=user, share_email=True, share_phone=False)
        services.task_create(group=group, actor=None, title="Encore", owner=user)
        services.document_add(group=group, actor=user, title="Lien", url="https://pad.example.org")
    assert [_queries(client, url) for url in urls] == few


def found(q="", viewer=None, **filters):
    return Search(q, viewer=viewer or Viewer(), filters=Filters(**filters)).document_ids()


def test_groups_and_reports_are_searchable_without_contacts():
    carrier = UserFactory(display_name="Nadia Porteuse", email="nadia@example.org")
    group = accepted_group(proposer=carrier, title="Covoiturage rural")
    assert found("covoiturage") == {("forum_group", group.pk)}
    services.report_save(
        group=group,
        actor=carrier,
        data={
            "findings": "Les navettes solidaires manquent de bénévoles.",
            "resource_person_name": "Jean, jean.dupont@example.org, 06 12 34 56 78",
        },
        base_version=0,
    )
    services.followup_signup(group=group, user=carrier, share_email=True, share_phone=False)
    assert found("navettes solidaires") == {("forum_group", group.pk)}
    document = SearchDocument.objects.get(kind="forum_group")
    indexed = f"{document.title} {document.body}"
    for secret in ["jean.dupont@example.org", "06 12 34 56 78", "nadia@example.org", "Nadia"]:
        assert secret not in indexed


def test_groups_of_draft_events_are_not_indexed_and_follow_publication():
    event = EventFactory(status="draft")
    group = accepted_group(event=event, title="Habitat léger")
    assert found("habitat", Viewer(facilitator=True)) == set()
    event.status = "published"
    event.save()
    assert found("habitat") == {("forum_group", group.pk)}


def test_personal_data_is_exported_and_erased():
    user = UserFactory(display_name="Rémi Suivi")
    event = EventFactory()
    topic = services.topic_propose(event=event, user=user, title="Vélo", question="Comment ?")
    group = services.topic_schedule(topic=topic, room=None, slot=None, actor=None)
    services.followup_signup(
        group=group, user=user, share_email=True, share_phone=False, message="Dispo le soir"
    )
    task = services.task_create(group=group, actor=user, title="Carte des pistes", owner=user)
    data = personal_data_export(user=user)["data"]["forums"]
    assert data["topics"][0]["title"] == "Vélo"
    assert data["groups"][0]["role"] == "carrier"
    followup = data["followups"][0]
    assert followup["share_email"] and followup["shared_contacts"] == {"email": user.email}
    assert data["tasks"][0]["title"] == "Carte des pistes"
    account_delete(user=user)
    assert not FollowUp.objects.filter(user=user).exists()
    assert not GroupMember.objects.filter(user=user).exists()
    assert Topic.objects.get(pk=topic.pk).proposed_by is None
    task.refresh_from_db()
    assert task.owner is None


def test_topics_after_the_event_ends_are_refused_even_through_the_service():
    event = EventFactory(starts_at=days_ahead(-2), ends_at=days_ahead(-2) + timedelta(hours=2))
    with pytest.raises(Exception, match="ne reçoit plus"):
        services.topic_propose(event=event, user=UserFactory(), title="t", question="q")
