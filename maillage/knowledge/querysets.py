"""Reads on the library, in the words people use.

`visible_to(viewer)` is the one gate: a draft sheet or a members-only resource never
reaches someone who may not see it, in lists, counts, collections or booklets.
"""

from datetime import date

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q

from maillage.directory.querysets import TerritoryFilterMixin


def _viewer(viewer) -> tuple[bool, bool, int | None]:
    authenticated = bool(getattr(viewer, "is_authenticated", False))
    return (
        bool(getattr(viewer, "is_facilitator", False)),
        bool(getattr(viewer, "is_member", False)),
        viewer.pk if authenticated else None,
    )


def _audiences(member: bool) -> list[str]:
    return ["public", "members"] if member else ["public"]


def _territories():
    from maillage.territories.models import Territory

    return Prefetch("territories", queryset=Territory.objects.order_by("name"))


class SheetQuerySet(TerritoryFilterMixin, models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def visible_to(self, viewer):
        """Published sheets for their audience, plus one's own drafts; facilitators see all."""
        facilitator, member, user_id = _viewer(viewer)
        if facilitator:
            return self
        readable = Q(status="published", visibility__in=_audiences(member))
        if user_id:
            readable |= Q(created_by_id=user_id)
        return self.filter(readable)

    def with_outcome(self, outcome: str):
        return self.filter(outcome=outcome)

    def since(self, day: date):
        return self.filter(created_at__date__gte=day)

    def for_list(self):
        return self.select_related("initiative", "event").prefetch_related("themes", _territories())

    def for_page(self):
        from .models import SheetItem

        items = SheetItem.objects.select_related("person", "organisation")
        return self.select_related(
            "initiative", "event", "group__event", "contact_person", "created_by"
        ).prefetch_related(
            "themes", _territories(), "people", "organisations", Prefetch("items", items)
        )


def in_group_of(user_id: int):
    """The rows whose `group` counts `user_id` among its members or followers."""
    from maillage.forums.models import FollowUp, GroupMember

    return Exists(
        GroupMember.objects.filter(group_id=OuterRef("group_id"), user_id=user_id)
    ) | Exists(FollowUp.objects.filter(group_id=OuterRef("group_id"), user_id=user_id))


class ResourceQuerySet(TerritoryFilterMixin, models.QuerySet):
    def visible_to(self, viewer):
        """Resources for their audience (a working group's for its members and
        followers), plus one's own; facilitators see every one."""
        facilitator, member, user_id = _viewer(viewer)
        if facilitator:
            return self
        readable = Q(visibility__in=_audiences(member))
        if user_id:
            readable |= Q(created_by_id=user_id)
            if member:
                readable |= Q(visibility="group") & in_group_of(user_id)
        return self.filter(readable)

    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def since(self, day: date):
        return self.filter(published_on__gte=day)

    def for_list(self):
        return self.prefetch_related("themes", _territories())


class CollectionQuerySet(models.QuerySet):
    def with_counts(self):
        return self.annotate(sheet_count=models.Count("sheets", distinct=True))
