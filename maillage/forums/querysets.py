"""Reads on topics, groups, follow-ups and tasks, in the words people use.

`Group.objects.visible_to(viewer)` is the gate: groups (and their reports) of a published
or cancelled event are public; those of a draft event are for facilitators only.
"""

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce


def _is_facilitator(viewer) -> bool:
    return bool(getattr(viewer, "is_facilitator", False))


class TopicQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        if _is_facilitator(viewer):
            return self
        return self.exclude(event__status="draft")

    def proposed(self):
        return self.filter(status="proposed")

    def accepted(self):
        return self.filter(status="accepted")

    def open(self):
        """Topics still in play: proposed or accepted (not merged nor rejected)."""
        return self.filter(status__in=["proposed", "accepted"])

    def for_list(self):
        return self.select_related("proposed_by", "room", "slot", "merged_into", "group")


def imported_followup_count():
    """How many follow-up sign-ups an imported report lists for the group (rows of
    `imports.ImportedFollowUp`, people who have not confirmed anything on the site yet).
    A subquery, not a join: joined with members and follow-ups it would multiply rows.
    The model is reached through its relation, so that forums does not import imports."""
    from .models import Group

    imported = Group._meta.get_field("imported_followups").related_model
    counted = (
        imported.objects.filter(group=OuterRef("pk"))
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted[:1]), 0)


class GroupQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        if _is_facilitator(viewer):
            return self
        return self.exclude(event__status="draft")

    def working(self):
        """Living working groups: followed up after the event and not closed."""
        return self.filter(working_since__isnull=False, closed_at__isnull=True)

    def of_user(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(Q(members__user=user) | Q(followups__user=user)).distinct()

    def with_counts(self):
        return self.annotate(
            member_count=Count("members", distinct=True),
            followup_count=Count("followups", distinct=True),
            imported_followup_count=imported_followup_count(),
        )

    def for_list(self):
        return self.select_related("event", "topic__room", "topic__slot").with_counts()

    def for_working_list(self):
        from .models import TaskStatus

        return (
            self.select_related("event")
            .annotate(
                followup_count=Count("followups", distinct=True),
                imported_followup_count=imported_followup_count(),
                open_task_count=Count(
                    "tasks", filter=~Q(tasks__status=TaskStatus.DONE), distinct=True
                ),
            )
            .order_by("-working_since", "pk")
        )


class FollowUpQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("user__person").order_by("created_at", "pk")


class TaskQuerySet(models.QuerySet):
    def for_board(self):
        return self.select_related("owner").order_by("position", "due_on", "pk")
