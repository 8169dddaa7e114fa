"""Reads on ads, suggestions and notifications, in the words people use.

An ad leaves the lists by itself once its expiry date is past: `live()` filters on the
date at read time, no cron job closes anything.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class AdQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status="open", expires_on__gte=timezone.localdate())

    def visible_to(self, viewer):
        """The pages anyone may open: open ads (an expired one says so, and takes no more
        replies, but a link to it still works), one's own ads whatever their state;
        facilitators see all. Lists use `live()`."""
        if getattr(viewer, "is_facilitator", False):
            return self.all()
        if getattr(viewer, "is_authenticated", False):
            return self.filter(Q(status="open") | Q(author_id=viewer.pk))
        return self.filter(status="open")

    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def with_theme(self, theme):
        return self.filter(themes=theme)

    def in_territory(self, territory):
        from maillage.territories.models import Territory

        return self.filter(commune__in=Territory.objects.within(territory).values("pk"))

    def for_list(self):
        return self.select_related("commune", "organisation", "author__person").prefetch_related(
            "themes"
        )


class SuggestionQuerySet(models.QuerySet):
    def for_source(self, item_type: str, item_id: int):
        return self.filter(source_type=item_type, source_id=item_id, dismissed=False).order_by(
            "-score", "target_type", "target_id"
        )


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)
