"""Writes on open forums and working groups.

Placing topics in the grid, numbering groups and merging lock the event's row first
(`select_for_update`), so that two facilitators arranging the grid at once run one after
the other; a unique constraint on (room, slot) backs the "one topic per cell" check.
Saving a report locks the report's row and compares the version the form was opened on:
a save made over someone else's newer save is refused with `StaleReport`, and the
caller shows both texts (nothing typed is lost). Every save keeps a `ReportRevision`.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.audit import log_action
from maillage.events.models import Event, EventStatus, TimeSlot, time_exists

from .models import (
    REPORT_TEXT_FIELDS,
    FollowUp,
    Group,
    GroupDocument,
    GroupMember,
    MemberRole,
    Report,
    ReportRevision,
    Room,
    Task,
    TaskStatus,
    Topic,
    TopicStatus,
)


def _user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


# --- Topics and the grid -------------------------------------------------------------


def accepts_topics(event: Event) -> bool:
    """Topics are proposed before and during a published event, not after it."""
    return event.status == EventStatus.PUBLISHED and not event.is_past


def topic_propose(
    *, event: Event, user, title: str, question: str, proposer_name: str = ""
) -> Topic:
    """Propose a topic for `event` (before or during it)."""
    if not accepts_topics(event):
        raise ValidationError(_("Cette rencontre ne reçoit plus de propositions de sujets."))
    with transaction.atomic():
        topic = Topic(
            event=event,
            title=title.strip(),
            question=question.strip(),
            proposed_by=_user_or_none(user),
            proposer_name=proposer_name.strip(),
        )
        topic.full_clean()
        topic.save()
        log_action(actor=user, action="forums.topic_propose", obj=topic)
    return topic


def room_add(*, event: Event, name: str, actor) -> Room:
    """Add a room (a column of the grid) to the event."""
    with transaction.atomic():
        _lock_event(event)
        position = (event.forum_rooms.aggregate(m=Max("position"))["m"] or 0) + 1
        room = Room(event=event, name=name.strip(), position=position)
        room.full_clean()
        room.save()
        log_action(actor=actor, action="forums.room_add", obj=room)
    return room


def room_delete(*, room: Room, actor) -> None:
    """Remove a room; the topics placed in it go back to "not placed"."""
    with transaction.atomic():
        log_action(actor=actor, action="forums.room_delete", obj=room)
        room.delete()


def slot_add(*, event: Event, day: date, starts, ends, actor) -> TimeSlot:
    """Add a time slot (a row of the grid) to the event's programme, or reuse it."""
    if day not in event.local_days():
        raise ValidationError(_("Ce jour n'est pas un jour de la rencontre."))
    if ends <= starts:
        raise ValidationError(_("La fin du créneau doit suivre son début."))
    if not (time_exists(day, starts) and time_exists(day, ends)):
        raise ValidationError(_("Cette heure n'existe pas ce jour-là (changement d'heure)."))
    with transaction.atomic():
        _lock_event(event)
        slot, created = TimeSlot.objects.get_or_create(
            event=event, day=day, starts=starts, ends=ends
        )
        if created:
            log_action(actor=actor, action="forums.slot_add", obj=event, data={"slot": str(slot)})
    return slot


def _next_number(event: Event) -> int:
    return (Group.objects.filter(event=event).aggregate(m=Max("number"))["m"] or 0) + 1


def _ensure_group(topic: Topic) -> Group:
    """The group of an accepted topic (created with its report on first acceptance).
    Call with the event locked."""
    group = Group.objects.filter(topic=topic).first()
    if group is not None:
        return group
    group = Group.objects.create(
        event_id=topic.event_id,
        topic=topic,
        number=_next_number(topic.event),
        title=topic.title,
        question=topic.question,
    )
    Report.objects.create(group=group, question=topic.question)
    if topic.proposed_by_id:
        GroupMember.objects.get_or_create(
            group=group, user_id=topic.proposed_by_id, defaults={"role": MemberRole.CARRIER}
        )
    return group


def topic_schedule(*, topic: Topic, room: Room | None, slot: TimeSlot | None, actor) -> Group:
    """Accept a topic and place it in a cell of the grid (or nowhere yet, with None).

    The topic becomes (or stays) a group of the event; its proposer is its first carrier.
    """
    event = topic.event
    if (room is not None and room.event_id != event.pk) or (
        slot is not None and slot.event_id != event.pk
    ):
        raise ValidationError(_("Cette salle ou ce créneau n'appartient pas à la rencontre."))
    if topic.status == TopicStatus.MERGED:
        raise ValidationError(_("Ce sujet a été fusionné avec un autre."))
    try:
        with transaction.atomic():
            _lock_event(event)
            if (
                room is not None
                and slot is not None
                and Topic.objects.filter(room=room, slot=slot).exclude(pk=topic.pk).exists()
            ):
                raise ValidationError(_("Un autre sujet occupe déjà cette salle à ce créneau."))
            topic.status = TopicStatus.ACCEPTED
            topic.rejection_reason = ""
            topic.room = room
            topic.slot = slot
            topic.save(update_fields=["status", "rejection_reason", "room", "slot", "updated_at"])
            group = _ensure_group(topic)
            log_action(
                actor=actor,
                action="forums.topic_schedule",
                obj=topic,
                data={"room": str(room or ""), "slot": str(slot or ""), "group": group.number},
            )
    except IntegrityError as error:  # two facilitators took the same cell at once
        raise ValidationError(_("Un autre sujet occupe déjà cette salle à ce créneau.")) from error
    return group


def topic_reject(*, topic: Topic, actor, reason: str = "") -> Topic:
    """Set a topic aside. A topic whose group has started working cannot be rejected."""
    with transaction.atomic():
        _lock_event(topic.event)
        group = Group.objects.filter(topic=topic).first()
        if group is not None:
            _drop_group(group)
        topic.status = TopicStatus.REJECTED
        topic.rejection_reason = reason.strip()[:300]
        topic.room = topic.slot = None
        topic.save(update_fields=["status", "rejection_reason", "room", "slot", "updated_at"])
        log_action(actor=actor, action="forums.topic_reject", obj=topic, data={"reason": reason})
    return topic


def _drop_group(group: Group) -> list[int]:
    """Delete a group that has not started working; returns its members' user ids."""
    report = Report.objects.filter(group=group).first()
    if (report is not None and report.version > 0) or group.followups.exists():
        raise ValidationError(
            _("Ce groupe a déjà un compte rendu ou des suites : il ne peut plus être retiré.")
        )
    members = list(group.members.values_list("user_id", flat=True))
    group.delete()
    return members


def topic_merge(*, topic: Topic, into: Topic, actor) -> Group:
    """Merge `topic` into `into`: `into` is accepted, and the proposer and members of
    `topic` join its group."""
    if topic.pk == into.pk or topic.event_id != into.event_id:
        raise ValidationError(_("Choisissez un autre sujet de la même rencontre."))
    if into.status in (TopicStatus.MERGED, TopicStatus.REJECTED):
        raise ValidationError(_("On ne peut fusionner qu'avec un sujet proposé ou retenu."))
    with transaction.atomic():
        _lock_event(topic.event)
        moved: list[int] = []
        group = Group.objects.filter(topic=topic).first()
        if group is not None:
            moved = _drop_group(group)
        if into.status != TopicStatus.ACCEPTED:
            into.status = TopicStatus.ACCEPTED
            into.save(update_fields=["status", "updated_at"])
        target = _ensure_group(into)
        carriers = {topic.proposed_by_id} - {None}
        for user_id in {*moved, *carriers}:
            GroupMember.objects.get_or_create(
                group=target,
                user_id=user_id,
                defaults={
                    "role": MemberRole.CARRIER if user_id in carriers else MemberRole.PARTICIPANT
                },
            )
        topic.status = TopicStatus.MERGED
        topic.merged_into = into
        topic.room = topic.slot = None
        topic.save(update_fields=["status", "merged_into", "room", "slot", "updated_at"])
        log_action(actor=actor, action="forums.topic_merge", obj=topic, data={"into": into.pk})
    return target


# --- Groups --------------------------------------------------------------------------


def group_join(*, group: Group, user, carrier: bool = False) -> GroupMember:
    """Join a group as a participant, or as a carrier."""
    role = MemberRole.CARRIER if carrier else MemberRole.PARTICIPANT
    with transaction.atomic():
        member, created = GroupMember.objects.get_or_create(
            group=group, user=user, defaults={"role": role}
        )
        if not created and member.role != role and carrier:
            member.role = role
            member.save(update_fields=["role"])
        log_action(actor=user, action="forums.group_join", obj=group, data={"role": role})
    return member


def group_leave(*, group: Group, user) -> None:
    with transaction.atomic():
        deleted, _rows = GroupMember.objects.filter(group=group, user=user).delete()
        if deleted:
            log_action(actor=user, action="forums.group_leave", obj=group)


# --- Reports and their history -------------------------------------------------------


class StaleReport(Exception):  # noqa: N818 — reads as "the report is stale"
    """The report was saved by someone else since the form was opened."""

    def __init__(self, current: Report):
        super().__init__("stale report")
        self.current = current


def report_for(group: Group) -> Report:
    report, _created = Report.objects.get_or_create(
        group=group, defaults={"question": group.question}
    )
    return report


def report_save(*, group: Group, actor, data: dict, base_version: int) -> Report:
    """Save the report of `group` from cleaned form data, as a new revision.

    `base_version` is the version the editor started from; if the report moved on since,
    raise `StaleReport` (nothing is written). Saving identical content writes nothing.
    """
    report_for(group)
    with transaction.atomic():
        report = Report.objects.select_for_update().get(group=group)
        if report.version != base_version:
            raise StaleReport(report)
        before = report.content()
        for name in REPORT_TEXT_FIELDS:
            if name in data:
                setattr(report, name, (data[name] or "").strip())
        if "resource_person" in data:
            report.resource_person = data["resource_person"]
        report.full_clean(exclude=["group"])
        after = report.content()
        if after == before and report.version > 0:
            return report
        return _new_revision(report, actor, changed=_changed(before, after))


def _changed(before: dict, after: dict) -> list[str]:
    return [name for name in after if before.get(name) != after.get(name)]


def _new_revision(report: Report, actor, *, changed: list[str], restored_from=None) -> Report:
    report.version += 1
    report.updated_at = timezone.now()
    report.updated_by = _user_or_none(actor)
    report.save()
    ReportRevision.objects.create(
        report=report,
        number=report.version,
        content=report.content(),
        author=_user_or_none(actor),
        restored_from=restored_from,
    )
    log_action(
        actor=actor,
        action="forums.report_restore" if restored_from else "forums.report_save",
        obj=report.group,
        data={"version": report.version, "fields": changed},
    )
    return report


def report_restore(*, group: Group, actor, number: int) -> Report:
    """Bring back the content of revision `number`, as a new revision."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(group=group)
        revision = report.revisions.filter(number=number).first()
        if revision is None:
            raise ValidationError(_("Cette version n'existe pas."))
        before = report.content()
        for name in REPORT_TEXT_FIELDS:
            setattr(report, name, revision.content.get(name, ""))
        person_id = revision.content.get("resource_person_id")
        from maillage.directory.models import Person

        report.resource_person_id = (
            person_id if person_id and Person.objects.filter(pk=person_id).exists() else None
        )
        return _new_revision(
            report,
            actor,
            changed=_changed(before, report.content()),
            restored_from=number,
        )


# --- Follow-ups and working groups ---------------------------------------------------


def followup_signup(
    *, group: Group, user, share_email: bool, share_phone: bool, message: str = ""
) -> FollowUp:
    """Sign `user` up to continue the group's work, sharing the contacts they chose with
    the other followers. The first follow-up makes the group a working group."""
    if not (share_email or share_phone):
        raise ValidationError(
            _("Choisissez au moins un moyen de contact à partager avec le groupe.")
        )
    with transaction.atomic():
        locked = Group.objects.select_for_update().get(pk=group.pk)
        followup, created = FollowUp.objects.update_or_create(
            group=locked,
            user=user,
            defaults={
                "share_email": share_email,
                "share_phone": share_phone,
                "message": message.strip()[:500],
                "consented_at": timezone.now(),
            },
        )
        if locked.working_since is None:
            locked.working_since = timezone.now()
            locked.save(update_fields=["working_since", "updated_at"])
            group.working_since = locked.working_since
        log_action(
            actor=user,
            action="forums.followup_signup" if created else "forums.followup_update",
            obj=locked,
            data={"email": share_email, "phone": share_phone},
        )
    return followup


def followup_cancel(*, group: Group, user) -> None:
    """Stop following a group: the consent, and the shared contacts, go with it."""
    with transaction.atomic():
        deleted, _rows = FollowUp.objects.filter(group=group, user=user).delete()
        Task.objects.filter(group=group, owner=user).exclude(status=TaskStatus.DONE).update(
            owner=None
        )
        if deleted:
            log_action(actor=user, action="forums.followup_cancel", obj=group)


def group_meeting_save(
    *,
    group: Group,
    actor,
    at: datetime | None,
    place: str,
    url: str,
    purpose: str | None = None,
) -> Group:
    """Set the next meeting of a working group (and its purpose)."""
    with transaction.atomic():
        group.next_meeting_at = at
        group.next_meeting_place = place.strip()
        group.next_meeting_url = url.strip()
        fields = ["next_meeting_at", "next_meeting_place", "next_meeting_url", "updated_at"]
        if purpose is not None:
            group.purpose = purpose.strip()
            fields.append("purpose")
        group.full_clean(exclude=["event", "topic"])
        group.save(update_fields=fields)
        log_action(actor=actor, action="forums.meeting_save", obj=group)
    return group


def group_close(*, group: Group, actor, reopen: bool = False) -> Group:
    """Close a working group (it leaves the list of living groups), or reopen it."""
    with transaction.atomic():
        group.closed_at = None if reopen else timezone.now()
        group.save(update_fields=["closed_at", "updated_at"])
        log_action(
            actor=actor, action="forums.group_reopen" if reopen else "forums.group_close", obj=group
        )
    return group


# --- Task board ----------------------------------------------------------------------


def _check_owner(group: Group, owner) -> None:
    if owner is not None and not group.followups.filter(user=owner).exists():
        raise ValidationError(_("La tâche ne peut être confiée qu'à un membre du groupe."))


def _last_position(group: Group, status: str) -> int:
    return (group.tasks.filter(status=status).aggregate(m=Max("position"))["m"] or 0) + 1


def task_create(*, group: Group, actor, title: str, owner=None, due_on: date | None = None) -> Task:
    """Add a card to the "to do" column of a working group's board."""
    _check_owner(group, owner)
    with transaction.atomic():
        task = Task(
            group=group,
            title=title.strip(),
            owner=owner,
            due_on=due_on,
            status=TaskStatus.TODO,
            position=_last_position(group, TaskStatus.TODO),
            created_by=_user_or_none(actor),
        )
        task.full_clean()
        task.save()
        log_action(actor=actor, action="forums.task_create", obj=task)
    return task


def task_update(*, task: Task, actor, title: str, owner=None, due_on: date | None = None) -> Task:
    _check_owner(task.group, owner)
    with transaction.atomic():
        task.title = title.strip()
        task.owner = owner
        task.due_on = due_on
        task.full_clean()
        task.save(update_fields=["title", "owner", "due_on", "updated_at"])
        log_action(actor=actor, action="forums.task_update", obj=task)
    return task


def task_move(*, task: Task, status: str, actor) -> Task:
    """Move a card to another column (at the bottom of it)."""
    if status not in TaskStatus.values:
        raise ValidationError(_("Colonne inconnue."))
    if status == task.status:
        return task
    with transaction.atomic():
        previous = task.status
        task.status = status
        task.position = _last_position(task.group, status)
        task.save(update_fields=["status", "position", "updated_at"])
        log_action(
            actor=actor, action="forums.task_move", obj=task, data={"from": previous, "to": status}
        )
    return task


def task_delete(*, task: Task, actor) -> None:
    with transaction.atomic():
        log_action(
            actor=actor, action="forums.task_delete", obj=task.group, data={"task": task.title}
        )
        task.delete()


# --- Documents -----------------------------------------------------------------------


def document_add(*, group: Group, actor, title: str, file=None, url: str = "") -> GroupDocument:
    """Attach a file or a link (one of the two) to a working group."""
    if bool(file) == bool(url):
        raise ValidationError(_("Joignez un fichier ou indiquez un lien, l'un des deux."))
    with transaction.atomic():
        document = GroupDocument(
            group=group, title=title.strip(), url=url.strip(), added_by=_user_or_none(actor)
        )
        if file:
            document.file = file
        document.full_clean()
        document.save()
        log_action(actor=actor, action="forums.document_add", obj=document)
    return document


def document_delete(*, document: GroupDocument, actor) -> None:
    with transaction.atomic():
        log_action(
            actor=actor,
            action="forums.document_delete",
            obj=document.group,
            data={"document": document.title},
        )
        stored = document.file.name if document.file else ""
        storage = document.file.storage
        document.delete()
        if stored:
            # Only once the row is gone for good: a rollback keeps the file.
            transaction.on_commit(lambda: storage.delete(stored))
