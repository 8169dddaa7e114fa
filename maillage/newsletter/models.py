"""Subscribers (double opt-in, one-click unsubscribe), letters and their deliveries.

A `Subscriber` row exists only once its owner clicked the confirmation link: the request
itself stores nothing (the choices travel in the signed link). Letters are written by
facilitators; at sending time their automatic sections are frozen in `sections`, so the
public archive shows exactly what was sent. `Delivery` records who got which letter, which
makes sending by batches idempotent.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .querysets import LetterQuerySet, SubscriberQuerySet


class Subscriber(models.Model):
    email = models.EmailField(_("adresse électronique"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_subscriptions",
    )
    themes = models.ManyToManyField(
        "directory.Theme", verbose_name=_("thématiques"), blank=True, related_name="+"
    )
    territories = models.ManyToManyField(
        "territories.Territory", verbose_name=_("territoires"), blank=True, related_name="+"
    )
    # The secret of the unsubscribe link; it changes at each new confirmation.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    confirmed_at = models.DateTimeField(_("abonnement confirmé le"))
    unsubscribed_at = models.DateTimeField(_("désabonnement le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("abonné·e")
        verbose_name_plural = _("abonné·es")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.unsubscribed_at is None


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SCHEDULED = "scheduled", _("Programmée")
    SENDING = "sending", _("En cours d'envoi")
    SENT = "sent", _("Envoyée")


class Letter(models.Model):
    subject = models.CharField(_("objet"), max_length=200)
    editorial = models.TextField(
        _("éditorial"),
        blank=True,
        max_length=20000,
        help_text=_("En Markdown : **gras**, *italique*, listes, [liens](https://…)."),
    )
    themes = models.ManyToManyField(
        "directory.Theme",
        verbose_name=_("thématiques"),
        blank=True,
        related_name="+",
        help_text=_("Ne garder dans les rubriques que ces thématiques (aucune : toutes)."),
    )
    territories = models.ManyToManyField(
        "territories.Territory",
        verbose_name=_("territoires"),
        blank=True,
        related_name="+",
        help_text=_("Ne garder dans les rubriques que ces territoires (aucun : tous)."),
    )
    status = models.CharField(
        _("état"), max_length=10, choices=LetterStatus, default=LetterStatus.DRAFT, db_index=True
    )
    since = models.DateTimeField(_("nouveautés depuis"), null=True, blank=True, editable=False)
    scheduled_for = models.DateTimeField(_("envoi prévu le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True, db_index=True)
    # The automatic sections as sent (frozen when sending starts).
    sections = models.JSONField(default=list, blank=True, editable=False)
    base_url = models.CharField(max_length=200, blank=True, editable=False)
    recipients_count = models.PositiveIntegerField(_("destinataires"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("lettre d'information")
        verbose_name_plural = _("lettres d'information")
        ordering = ["-sent_at", "-created_at"]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("newsletter:letter", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == LetterStatus.DRAFT

    @property
    def is_sent(self) -> bool:
        return self.status == LetterStatus.SENT


class Delivery(models.Model):
    """One letter handed to one subscriber (never twice: the unique pair)."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("envoi")
        verbose_name_plural = _("envois")
        constraints = [
            models.UniqueConstraint(fields=["letter", "subscriber"], name="one_delivery_per_letter")
        ]

    def __str__(self) -> str:
        return f"{self.letter} → {self.subscriber}"


class DigestPreference(models.Model):
    """A member who wants the personal weekly digest (and when it last went)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    weekly = models.BooleanField(_("recevoir le résumé de la semaine"), default=False)
    last_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("résumé hebdomadaire")
        verbose_name_plural = _("résumés hebdomadaires")

    def __str__(self) -> str:
        return str(self.user)
