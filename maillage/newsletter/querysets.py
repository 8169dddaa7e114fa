"""Reads on subscribers and letters."""

from django.db import models


class SubscriberQuerySet(models.QuerySet):
    def active(self):
        """Confirmed and not unsubscribed: the only people a letter may go to."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class LetterQuerySet(models.QuerySet):
    def sent(self):
        return self.filter(status="sent").order_by("-sent_at", "-pk")

    def visible_to(self, viewer):
        """Sent letters are public; drafts and letters being sent are for facilitators."""
        if getattr(viewer, "is_facilitator", False):
            return self
        return self.filter(status="sent")
