"""Proposing topics, arranging the grid (rooms × slots), merging and setting aside."""

from datetime import time, timedelta

import pytest
from django.urls import reverse

from maillage.accounts.tests.factories import UserFactory
from maillage.directory.models import Membership
from maillage.directory.services import person_for_user
from maillage.directory.tests.factories import OrganisationFactory
from maillage.events.tests.factories import EventFactory, TimeSlotFactory, days_ahead
from maillage.forums import services
from maillage.forums.models import Group, GroupMember, Topic
from maillage.forums.tests.factories import RoomFactory, TopicFactory, accepted_group, forum

pytestmark = pytest.mark.django_db


def test_member_proposes_a_topic_and_it_shows_on_the_event(client, member):
    event = EventFactory(kind="forum_ouvert")
    client.force_login(member)
    url = reverse("forums:topic_propose", args=[event.pk])
    response = client.post(
        url, {"title": "Habiter autrement", "question": "Comment loger les saisonniers ?"}
    )
    assert response.status_code == 302
    topic = Topic.objects.get()
    assert topic.proposed_by == member and topic.status == "proposed"
    page = client.get(reverse("forums:event_forum", args=[event.pk])).content.decode()
    assert "Habiter autrement" in page and "Comment loger les saisonniers" in page
    # The event page says a proposal waits, and offers to propose another.
    detail = client.get(event.get_absolute_url()).content.decode()
    assert "1 proposition en attente" in detail and url in detail


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"title": "", "question": "Une question"},
        {"title": "Un titre", "question": ""},
        {"title": "x" * 201, "question": "q"},
        {"title": "t", "question": "q" * 2001},
    ],
)
def test_bad_topic_input_is_a_form_error(client, member, data):
    event = EventFactory()
    client.force_login(member)
    response = client.post(reverse("forums:topic_propose", args=[event.pk]), data)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Topic.objects.exists()


def test_no_topic_after_the_event_nor_for_a_draft(client, member, facilitator):
    past = EventFactory(starts_at=days_ahead(-3), ends_at=days_ahead(-3) + timedelta(hours=5))
    client.force_login(member)
    data = {"title": "Trop tard", "question": "?"}
    response = client.post(reverse("forums:topic_propose", args=[past.pk]), data)
    assert response.status_code == 200 and not Topic.objects.exists()
    draft = EventFactory(status="draft")
    # A draft event does not exist for a member.
    assert client.post(reverse("forums:topic_propose", args=[draft.pk]), data).status_code == 404
    client.force_login(facilitator)
    client.post(reverse("forums:topic_propose", args=[draft.pk]), data)
    assert not Topic.objects.exists()


def test_facilitator_places_topics_in_the_grid(client, facilitator):
    f = forum()
    event, rooms, slots, topic = f["event"], f["rooms"], f["slots"], f["topic"]
    client.force_login(facilitator)
    grid = client.get(reverse("forums:grid", args=[event.pk])).content.decode()
    assert "Salle des fêtes" in grid and "Préau" in grid and "Les jardins partagés" in grid
    cell = f"{rooms[1].pk}:{slots[1].pk}"
    response = client.post(
        reverse("forums:topic_schedule", args=[topic.pk]), {f"t{topic.pk}-cell": cell}
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert (topic.status, topic.room, topic.slot) == ("accepted", rooms[1], slots[1])
    group = topic.group
    assert group.number == 2 and group.title == topic.title
    # Its proposer carries it.
    assert GroupMember.objects.get(group=group).user == topic.proposed_by
    assert GroupMember.objects.get(group=group).role == "carrier"
    # Moving it to another cell keeps the same group.
    cell = f"{rooms[1].pk}:{slots[0].pk}"
    client.post(reverse("forums:topic_schedule", args=[topic.pk]), {f"t{topic.pk}-cell": cell})
    topic.refresh_from_db()
    assert topic.slot == slots[0] and Group.objects.filter(event=event).count() == 2


def test_a_cell_takes_one_topic(client, facilitator):
    f = forum()
    first_cell = f"{f['rooms'][0].pk}:{f['slots'][0].pk}"  # taken by f["group"]
    topic = f["topic"]
    client.force_login(facilitator)
    response = client.post(
        reverse("forums:topic_schedule", args=[topic.pk]),
        {f"t{topic.pk}-cell": first_cell},
        follow=True,
    )
    assert "occupe déjà cette salle" in response.content.decode()
    topic.refresh_from_db()
    assert topic.status == "proposed" and topic.slot is None


@pytest.mark.parametrize("cell", ["abc", "1:2:3", "99999999999999999999:1", ":", "-1:-1"])
def test_impossible_cells_are_refused_cleanly(client, facilitator, cell):
    f = forum()
    topic = f["topic"]
    client.force_login(facilitator)
    response = client.post(
        reverse("forums:topic_schedule", args=[topic.pk]), {f"t{topic.pk}-cell": cell}, follow=True
    )
    assert response.status_code == 200
    assert "Choisissez une case" in response.content.decode()
    topic.refresh_from_db()
    assert topic.status == "proposed"


def test_a_room_or_slot_of_another_event_is_refused():
    f, other = forum(), forum()
    with pytest.raises(Exception, match="appartient pas"):
        services.topic_schedule(
            topic=f["topic"], room=other["rooms"][1], slot=other["slots"][1], actor=None
        )


def test_htmx_grid_answers_with_the_board_only(client, facilitator):
    f = forum()
    topic = f["topic"]
    client.force_login(facilitator)
    response = client.post(
        reverse("forums:topic_schedule", args=[topic.pk]),
        {f"t{topic.pk}-cell": ""},
        headers={"HX-Request": "true", "HX-Target": "board"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="board"' in page and "<html" not in page
    assert "est le groupe n° 2" in page  # the message travels with the fragment
    topic.refresh_from_db()
    assert topic.status == "accepted" and topic.room is None


def test_merge_brings_proposer_and_members_into_the_target_group(client, facilitator):
    f = forum()
    event, target = f["event"], f["group"].topic
    extra = TopicFactory(event=event, title="Cantines bio")
    placed = TopicFactory(event=event, title="Restauration collective")
    joined = UserFactory()
    placed_group = services.topic_schedule(topic=placed, room=None, slot=None, actor=None)
    services.group_join(group=placed_group, user=joined)
    client.force_login(facilitator)
    for topic in (extra, placed):
        response = client.post(
            reverse("forums:topic_merge", args=[topic.pk]), {f"m{topic.pk}-into": target.pk}
        )
        assert response.status_code == 302
    extra.refresh_from_db()
    assert extra.status == "merged" and extra.merged_into == target
    assert not Group.objects.filter(pk=placed_group.pk).exists()
    roles = dict(f["group"].members.values_list("user_id", "role"))
    assert roles[extra.proposed_by_id] == "carrier"
    assert roles[placed.proposed_by_id] == "carrier"
    assert roles[joined.pk] == "participant"
    page = client.get(reverse("forums:event_forum", args=[event.pk])).content.decode()
    assert "fusionné avec" in page


def test_merge_refuses_itself_other_events_and_bad_ids(client, facilitator):
    f, other = forum(), forum()
    topic = f["topic"]
    client.force_login(facilitator)
    url = reverse("forums:topic_merge", args=[topic.pk])
    for value in [topic.pk, other["topic"].pk, "9223372036854775808", "x", ""]:
        response = client.post(url, {f"m{topic.pk}-into": value}, follow=True)
        assert response.status_code == 200
        topic.refresh_from_db()
        assert topic.status == "proposed"


def test_reject_sets_aside_and_a_working_group_cannot_be_rejected(client, facilitator, member):
    f = forum()
    topic = f["topic"]
    client.force_login(facilitator)
    client.post(reverse("forums:topic_reject", args=[topic.pk]), {"reason": "Hors sujet"})
    topic.refresh_from_db()
    assert topic.status == "rejected" and topic.rejection_reason == "Hors sujet"
    group = f["group"]
    services.followup_signup(group=group, user=member, share_email=True, share_phone=False)
    response = client.post(
        reverse("forums:topic_reject", args=[group.topic.pk]), {"reason": ""}, follow=True
    )
    assert "ne peut plus être retiré" in response.content.decode()
    assert Group.objects.filter(pk=group.pk).exists()


def test_rooms_and_slots_are_added_from_the_grid(client, facilitator):
    event = EventFactory(kind="forum_ouvert", starts_at=days_ahead(5, time(9, 0)))
    client.force_login(facilitator)
    client.post(reverse("forums:room_add", args=[event.pk]), {"name": "Atelier bois"})
    response = client.post(
        reverse("forums:room_add", args=[event.pk]), {"name": "Atelier bois"}, follow=True
    )
    assert "existe déjà" in response.content.decode()
    assert list(event.forum_rooms.values_list("name", flat=True)) == ["Atelier bois"]
    day = event.local_days()[0].isoformat()
    client.post(
        reverse("forums:slot_add", args=[event.pk]),
        {"day": day, "starts": "10:00", "ends": "11:00"},
    )
    assert event.slots.count() == 1
    for bad in [
        {"day": day, "starts": "11:00", "ends": "10:00"},
        {"day": "2001-01-01", "starts": "10:00", "ends": "11:00"},
        {"day": day, "starts": "dix heures", "ends": "11:00"},
        {},
    ]:
        response = client.post(reverse("forums:slot_add", args=[event.pk]), bad, follow=True)
        assert response.status_code == 200
    assert event.slots.count() == 1
    room = event.forum_rooms.get()
    client.post(reverse("forums:room_delete", args=[room.pk]))
    assert not event.forum_rooms.exists()


def test_slot_on_the_spring_dst_day_refuses_a_time_that_does_not_exist(client, facilitator):
    from datetime import date

    from maillage.events.models import local_datetime

    start = local_datetime(date(2027, 3, 28), time(1, 0))
    event = EventFactory(starts_at=start, ends_at=start + timedelta(hours=10))
    client.force_login(facilitator)
    data = {"day": "2027-03-28", "starts": "02:30", "ends": "03:30"}
    response = client.post(reverse("forums:slot_add", args=[event.pk]), data, follow=True)
    assert "existe pas" in response.content.decode()
    assert not event.slots.exists()


def test_organisers_admins_arrange_their_event_but_not_others(client, member):
    organisation = OrganisationFactory()
    Membership.objects.create(
        person=person_for_user(user=member), organisation=organisation, is_admin=True
    )
    mine = EventFactory()
    mine.organisers.add(organisation)
    other = EventFactory()
    client.force_login(member)
    assert client.get(reverse("forums:grid", args=[mine.pk])).status_code == 200
    assert client.get(reverse("forums:grid", args=[other.pk])).status_code == 403
    topic = TopicFactory(event=other)
    response = client.post(
        reverse("forums:topic_schedule", args=[topic.pk]), {f"t{topic.pk}-cell": ""}
    )
    assert response.status_code == 403
    topic.refresh_from_db()
    assert topic.status == "proposed"


def test_grid_has_a_constant_query_count(client, facilitator, django_assert_max_num_queries):
    f = forum()
    client.force_login(facilitator)
    url = reverse("forums:grid", args=[f["event"].pk])
    client.get(url)
    for n in range(12):
        TopicFactory(event=f["event"], title=f"Sujet supplémentaire {n}")
    room = RoomFactory(event=f["event"], name="Salle 3")
    slot = TimeSlotFactory(event=f["event"], starts=time(16, 0), ends=time(17, 0))
    services.topic_schedule(topic=TopicFactory(event=f["event"]), room=room, slot=slot, actor=None)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("pk", ["99999999999999999999", "9223372036854775808", "0"])
def test_impossible_ids_in_urls_are_404(client, facilitator, pk):
    client.force_login(facilitator)
    for name in ["forums:event_forum", "forums:grid", "forums:group", "forums:working_group"]:
        assert client.get(f"{reverse(name, args=[1]).replace('/1/', f'/{pk}/')}").status_code == 404
    url = reverse("forums:topic_schedule", args=[1]).replace("/1/", f"/{pk}/")
    assert client.post(url, {}).status_code == 404


@pytest.mark.parametrize("big", ["99999999999999999999", "9223372036854775808"])
def test_impossible_ids_in_nested_urls_are_404_or_clean(client, facilitator, big):
    f = forum()
    group = f["group"]
    client.force_login(facilitator)
    revision = reverse("forums:report_revision", args=[group.pk, 424242]).replace("424242", big)
    assert client.get(revision).status_code == 404
    restore = reverse("forums:report_restore", args=[group.pk, 424242]).replace("424242", big)
    assert client.post(restore).status_code == 302  # back to the history, with a message
    for name in ["forums:task_move", "forums:task_edit", "forums:document", "forums:room_delete"]:
        url = reverse(name, args=[1]).replace("/1/", f"/{big}/")
        assert client.post(url, {"status": "done"}).status_code == 404


def test_a_draft_events_forum_is_hidden_from_members(client, member, facilitator):
    draft = EventFactory(status="draft")
    group = accepted_group(event=draft)
    client.force_login(member)
    assert client.get(reverse("forums:event_forum", args=[draft.pk])).status_code == 404
    assert client.get(group.get_absolute_url()).status_code == 404
    client.force_login(facilitator)
    assert client.get(group.get_absolute_url()).status_code == 200


def test_visitors_do_not_see_who_proposed(client, member):
    event = EventFactory()
    TopicFactory(event=event, proposed_by=UserFactory(display_name="Hugo Proposant"))
    url = reverse("forums:event_forum", args=[event.pk])
    assert "Hugo Proposant" not in client.get(url).content.decode()
    client.force_login(member)
    assert "Hugo Proposant" in client.get(url).content.decode()
