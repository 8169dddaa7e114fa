"""factory_boy factories for forums, and helpers building a forum through the services
(the way people do it), for the access matrix and the tests."""

from datetime import time

import factory
from django.core.files.base import ContentFile

from maillage.accounts.tests.factories import UserFactory
from maillage.events.tests.factories import EventFactory, TimeSlotFactory
from maillage.forums import services
from maillage.forums.models import Group, GroupDocument, Room, Task, Topic


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    event = factory.SubFactory(EventFactory, kind="forum_ouvert")
    name = factory.Sequence(lambda n: f"Salle {n}")
    position = factory.Sequence(lambda n: n)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    event = factory.SubFactory(EventFactory, kind="forum_ouvert")
    title = factory.Sequence(lambda n: f"Sujet n°{n} : les circuits courts")
    question = "Comment rapprocher producteurs et cantines du territoire ?"
    proposed_by = factory.SubFactory(UserFactory)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    title = factory.Sequence(lambda n: f"Tâche n°{n}")


def accepted_group(*, event=None, proposer=None, room=None, slot=None, **topic_fields) -> Group:
    """A topic proposed by `proposer` and placed by a facilitator: its group."""
    event = event or EventFactory(kind="forum_ouvert")
    topic = TopicFactory(event=event, proposed_by=proposer or UserFactory(), **topic_fields)
    return services.topic_schedule(topic=topic, room=room, slot=slot, actor=None)


def forum(*, proposer=None) -> dict:
    """An open forum with two rooms, two slots, a group in the first cell (its proposer
    carries it) and a topic still proposed."""
    event = EventFactory(kind="forum_ouvert", title="Forum ouvert de l'alimentation")
    rooms = [
        RoomFactory(event=event, name="Salle des fêtes"),
        RoomFactory(event=event, name="Préau"),
    ]
    slots = [
        TimeSlotFactory(event=event, starts=time(10, 0), ends=time(11, 30)),
        TimeSlotFactory(event=event, starts=time(14, 0), ends=time(15, 30)),
    ]
    group = accepted_group(event=event, proposer=proposer, room=rooms[0], slot=slots[0])
    waiting = TopicFactory(event=event, title="Les jardins partagés")
    return {"event": event, "rooms": rooms, "slots": slots, "group": group, "topic": waiting}


def add_document(group: Group, *, title="Compte rendu de la réunion", user=None) -> GroupDocument:
    return services.document_add(
        group=group,
        actor=user,
        title=title,
        file=ContentFile(b"%PDF-1.4 exemple", name="reunion.pdf"),
    )
