"""Reads on events, in the words people use: `Event.objects.visible_to(user).upcoming()`."""

from datetime import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone


class EventQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """Published and cancelled events for everyone; drafts for facilitators only."""
        if getattr(viewer, "is_facilitator", False):
            return self
        return self.exclude(status="draft")

    def public(self):
        return self.exclude(status="draft")

    def upcoming(self, now: datetime | None = None):
        """Events that have not ended yet (one under way is still "upcoming")."""
        return self.filter(ends_at__gte=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, now: datetime | None = None):
        return self.filter(ends_at__lt=now or timezone.now()).order_by("-starts_at", "-pk")

    def overlapping(self, start: datetime, end: datetime):
        return self.filter(starts_at__lt=end, ends_at__gte=start)

    def with_theme(self, theme):
        through = self.model.themes.through
        return self.filter(Exists(through.objects.filter(event_id=OuterRef("pk"), theme=theme)))

    def in_territory(self, territory):
        """Held in a commune inside `territory`, or concerning a territory inside it."""
        from maillage.territories.models import Territory

        inside = Territory.objects.within(territory).values("pk")
        through = self.model.territories.through
        return self.filter(
            Q(commune_id__in=inside)
            | Exists(through.objects.filter(event_id=OuterRef("pk"), territory_id__in=inside))
        )

    def for_list(self):
        from maillage.territories.models import Territory

        return self.select_related("commune").prefetch_related(
            "themes", Prefetch("territories", queryset=Territory.objects.order_by("name"))
        )


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status="confirmed")

    def waiting(self):
        return self.filter(status="waiting").order_by("queued_at", "pk")

    def active(self):
        return self.filter(status__in=["confirmed", "waiting"])
