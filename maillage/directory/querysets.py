"""Reads on the directory, in the words people use.

`visible_to(viewer)` is the one gate for listing: a private profile or an unvalidated
proposal never reaches someone who may not see it, in lists, counts or exports.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q


def _viewer_flags(viewer) -> tuple[bool, bool, int | None]:
    authenticated = bool(getattr(viewer, "is_authenticated", False))
    return (
        bool(getattr(viewer, "is_facilitator", False)),
        bool(getattr(viewer, "is_member", False)),
        viewer.pk if authenticated else None,
    )


class ThemeQuerySet(models.QuerySet):
    def with_counts(self):
        return self.annotate(
            initiative_count=models.Count(
                "initiatives", filter=Q(initiatives__status="published"), distinct=True
            )
        )


class TerritoryFilterMixin:
    """`in_territory(t)`: acting anywhere inside `t` (the Aude includes its communes)."""

    def in_territory(self, territory):
        from maillage.territories.models import Territory

        through = self.model.territories.through
        owner_field = f"{self.model._meta.model_name}_id"
        inside = Territory.objects.within(territory).values("pk")
        return self.filter(
            Exists(through.objects.filter(**{owner_field: OuterRef("pk")}, territory_id__in=inside))
        )

    def with_theme(self, theme):
        through = self.model.themes.through
        owner_field = f"{self.model._meta.model_name}_id"
        return self.filter(
            Exists(through.objects.filter(**{owner_field: OuterRef("pk")}, theme=theme))
        )


def _territories_prefetch():
    from maillage.territories.models import Territory

    return Prefetch("territories", queryset=Territory.objects.order_by("name"))


class PersonQuerySet(TerritoryFilterMixin, models.QuerySet):
    def visible_to(self, viewer):
        facilitator, member, user_id = _viewer_flags(viewer)
        active = Q(user__isnull=True) | Q(user__is_active=True)
        if facilitator:
            return self.filter(active)
        allowed = ["public", "members"] if member else ["public"]
        mine = Q(user_id=user_id) if user_id else Q(pk__in=[])
        return self.filter(active).filter(Q(visibility__in=allowed) | mine)

    def resource_people(self):
        return self.filter(is_resource_person=True)

    def for_list(self):
        return self.prefetch_related("themes", _territories_prefetch())


class ModeratedQuerySet(TerritoryFilterMixin, models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def proposed(self):
        return self.filter(status="proposed")

    def visible_to(self, viewer):
        """Published records, plus one's own proposals; facilitators see every proposal."""
        facilitator, _member, user_id = _viewer_flags(viewer)
        if facilitator:
            return self.exclude(status="rejected")
        if user_id:
            return self.filter(Q(status="published") | Q(status="proposed", created_by_id=user_id))
        return self.published()


class OrganisationQuerySet(ModeratedQuerySet):
    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def networks(self):
        return self.filter(kind="reseau")

    def for_list(self):
        return self.select_related("commune").prefetch_related("themes", _territories_prefetch())


class InitiativeQuerySet(ModeratedQuerySet):
    def with_progress(self, progress: str):
        return self.filter(progress=progress)

    def for_list(self):
        return self.select_related("commune").prefetch_related(
            "themes", _territories_prefetch(), "carrier_organisations"
        )
