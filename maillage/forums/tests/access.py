"""Access-matrix rows of the forums. The `world` event (published, upcoming) gets a room,
a group whose carrier is the owner, a second topic still proposed, a working group that
the owner follows, a task and a file document."""

from maillage.core.tests.matrix import (
    ALL_OK,
    FACILITATORS_OK,
    MEMBERS_OK,
    OWNER_OK,
    POST_ONLY,
)


def world(owner, base) -> dict:
    from maillage.forums import services
    from maillage.forums.tests.factories import RoomFactory, TopicFactory, add_document

    event = base["events"]["event"]
    room = RoomFactory(event=event, name="Grande salle")
    slot = base["events"]["session"].slot
    topic = TopicFactory(event=event, proposed_by=owner, title="Mobilités rurales")
    group = services.topic_schedule(topic=topic, room=room, slot=slot, actor=None)
    services.report_save(
        group=group, actor=owner, data={"findings": "Peu de transports."}, base_version=0
    )
    services.followup_signup(group=group, user=owner, share_email=True, share_phone=False)
    task = services.task_create(group=group, actor=owner, title="Écrire aux communes")
    return {
        "room": room,
        "topic": topic,
        "other_topic": TopicFactory(event=event, title="Les tiers-lieux"),
        "group": group,
        "task": task,
        "document": add_document(group, user=owner),
    }


def _event(w):
    return {"pk": w["events"]["event"].pk}


def _group(w):
    return {"pk": w["forums"]["group"].pk}


MATRIX = {
    "forums:working_groups": ({}, ALL_OK),
    "forums:event_forum": (_event, ALL_OK),
    "forums:topic_propose": (_event, MEMBERS_OK),
    "forums:grid": (_event, FACILITATORS_OK),
    "forums:room_add": (_event, POST_ONLY),
    "forums:slot_add": (_event, POST_ONLY),
    "forums:room_delete": (lambda w: {"pk": w["forums"]["room"].pk}, POST_ONLY),
    "forums:topic_schedule": (lambda w: {"pk": w["forums"]["other_topic"].pk}, POST_ONLY),
    "forums:topic_reject": (lambda w: {"pk": w["forums"]["other_topic"].pk}, POST_ONLY),
    "forums:topic_merge": (lambda w: {"pk": w["forums"]["other_topic"].pk}, POST_ONLY),
    "forums:group": (_group, ALL_OK),
    "forums:group_join": (_group, POST_ONLY),
    "forums:group_leave": (_group, POST_ONLY),
    # The owner carries the group: with facilitators, the only ones who edit its report.
    "forums:report_edit": (_group, OWNER_OK),
    "forums:report_history": (_group, MEMBERS_OK),
    "forums:report_revision": (lambda w: {**_group(w), "number": 1}, MEMBERS_OK),
    "forums:report_restore": (lambda w: {**_group(w), "number": 1}, POST_ONLY),
    "forums:followup": (_group, MEMBERS_OK),
    "forums:followup_cancel": (_group, POST_ONLY),
    "forums:working_group": (_group, MEMBERS_OK),
    "forums:meeting_edit": (_group, OWNER_OK),
    "forums:group_close": (_group, POST_ONLY),
    "forums:task_create": (_group, POST_ONLY),
    "forums:task_move": (lambda w: {"pk": w["forums"]["task"].pk}, POST_ONLY),
    "forums:task_edit": (lambda w: {"pk": w["forums"]["task"].pk}, OWNER_OK),
    "forums:task_delete": (lambda w: {"pk": w["forums"]["task"].pk}, POST_ONLY),
    "forums:document_add": (_group, OWNER_OK),
    "forums:document": (lambda w: {"pk": w["forums"]["document"].pk}, MEMBERS_OK),
    "forums:document_delete": (lambda w: {"pk": w["forums"]["document"].pk}, POST_ONLY),
    # The synthesis (views_synthesis.py): the complete one names people, the public one
    # does not.
    "forums:synthesis": (lambda w: {"event_pk": w["events"]["event"].pk}, FACILITATORS_OK),
    "forums:synthesis_public": (lambda w: {"event_pk": w["events"]["event"].pk}, ALL_OK),
    "forums:synthesis_download": (
        lambda w: {"event_pk": w["events"]["event"].pk, "version": "complete", "fmt": "md"},
        FACILITATORS_OK,
    ),
}
