"""Classified ads, the matching index and its stored suggestions, introductions and
in-app notifications.

The matching index is two tables: `MatchKey`, an inverted table (key -> item) of the
records that may be suggested to others, and `Suggestion`, the computed top suggestions
of each source with their reasons (see `matching.py`).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .querysets import AdQuerySet, NotificationQuerySet, SuggestionQuerySet


class AdKind(models.TextChoices):
    OFFER = "offer", _("Je propose")
    NEED = "need", _("Je cherche")
    CALL = "call", _("Appel à participation")


class AdStatus(models.TextChoices):
    OPEN = "open", _("Ouverte")
    CLOSED = "closed", _("Close")
    HIDDEN = "hidden", _("Retirée par l'animation")


class Ad(models.Model):
    kind = models.CharField(_("type d'annonce"), max_length=10, choices=AdKind)
    title = models.CharField(_("titre"), max_length=150)
    text = models.TextField(_("texte"), max_length=4000)
    themes = models.ManyToManyField(
        "directory.Theme", verbose_name=_("thématiques"), blank=True, related_name="ads"
    )
    commune = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": "commune"},
    )
    expires_on = models.DateField(_("date d'expiration"), db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur·rice"),
        on_delete=models.CASCADE,
        related_name="ads",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("au nom de la structure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ads",
    )
    status = models.CharField(
        _("état"), max_length=10, choices=AdStatus, default=AdStatus.OPEN, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = AdQuerySet.as_manager()

    class Meta:
        verbose_name = _("annonce")
        verbose_name_plural = _("annonces")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_on"], name="ad_status_expiry")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exchange:ad", args=[self.pk])

    @property
    def is_expired(self) -> bool:
        return self.expires_on < timezone.localdate()

    @property
    def is_live(self) -> bool:
        return self.status == AdStatus.OPEN and not self.is_expired

    def is_owned_by(self, viewer) -> bool:
        return getattr(viewer, "pk", None) == self.author_id


class AdReply(models.Model):
    """A message sent to an ad's author through the platform: the author's address is
    never shown; the sender's only if they chose to give it."""

    ad = models.ForeignKey(Ad, on_delete=models.CASCADE, related_name="replies")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ad_replies"
    )
    message = models.TextField(_("votre message"), max_length=3000)
    share_email = models.BooleanField(
        _("donner mon adresse électronique à l'auteur·rice"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("réponse à une annonce")
        verbose_name_plural = _("réponses aux annonces")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.sender} → {self.ad}"


class AdAnswer(models.Model):
    """The author's answer to a reply, relayed to its sender by e-mail."""

    reply = models.ForeignKey(AdReply, on_delete=models.CASCADE, related_name="answers")
    message = models.TextField(_("votre réponse"), max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.reply} ({self.created_at:%Y-%m-%d})"


class AdReport(models.Model):
    """Anyone can report an ad; a facilitator withdraws it or dismisses the report."""

    ad = models.ForeignKey(Ad, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(_("ce qui ne va pas"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=10, blank=True)

    class Meta:
        verbose_name = _("signalement d'annonce")
        verbose_name_plural = _("signalements d'annonces")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.ad}: {self.message[:40]}"


class MatchPreferences(models.Model):
    """A member's consents: being suggested, being introduced, the e-mail digest.
    All off by default."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="match_preferences"
    )
    suggestable = models.BooleanField(
        _("me suggérer à d'autres membres"),
        default=False,
        help_text=_("Votre profil peut apparaître dans les suggestions des autres membres."),
    )
    introductions = models.BooleanField(
        _("accepter les mises en relation"),
        default=False,
        help_text=_("L'équipe d'animation peut vous présenter par courriel à un autre membre."),
    )
    digest = models.BooleanField(
        _("recevoir un résumé des nouvelles suggestions par courriel"), default=False
    )
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("préférences de mise en relation")
        verbose_name_plural = _("préférences de mise en relation")

    def __str__(self) -> str:
        return str(self.user)


class ItemType(models.TextChoices):
    PERSON = "person", _("Personne")
    INITIATIVE = "initiative", _("Initiative")
    AD = "ad", _("Annonce")


class MatchKey(models.Model):
    """One line of the inverted table: `key` ("o:anim", "s:jardin", "t:3", "c:120"…)
    -> an item that may be suggested. Only suggestable items are in it."""

    key = models.CharField(max_length=60)
    item_type = models.CharField(max_length=10, choices=ItemType)
    item_id = models.PositiveBigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["key", "item_type", "item_id"], name="matchkey_key"),
            models.Index(fields=["item_type", "item_id"], name="matchkey_item"),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.item_type} {self.item_id}"


class MatchProfile(models.Model):
    """What the scorer needs of a suggestable item, computed once: stems, phrases,
    themes, places (JSON)."""

    item_type = models.CharField(max_length=10, choices=ItemType)
    item_id = models.PositiveBigIntegerField()
    data = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item_type", "item_id"], name="one_profile_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item_type} {self.item_id}"


class Suggestion(models.Model):
    source_type = models.CharField(max_length=10, choices=ItemType)
    source_id = models.PositiveBigIntegerField()
    target_type = models.CharField(max_length=10, choices=ItemType)
    target_id = models.PositiveBigIntegerField()
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    dismissed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "target_type", "target_id"],
                name="one_suggestion_per_pair",
            )
        ]
        indexes = [
            models.Index(fields=["source_type", "source_id", "-score"], name="suggestion_source"),
            models.Index(fields=["target_type", "target_id"], name="suggestion_target"),
            models.Index(fields=["source_type", "target_type", "-score"], name="suggestion_pairs"),
        ]

    def __str__(self) -> str:
        return f"{self.source_type} {self.source_id} → {self.target_type} {self.target_id}"


class Introduction(models.Model):
    """Two members introduced to each other by a facilitator (both had agreed)."""

    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    person_a = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="introductions_a"
    )
    person_b = models.ForeignKey(
        "directory.Person", on_delete=models.CASCADE, related_name="introductions_b"
    )
    message = models.TextField(_("mot d'introduction"), max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mise en relation")
        verbose_name_plural = _("mises en relation")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="one_introduction")
        ]

    def __str__(self) -> str:
        return f"{self.person_a} ↔ {self.person_b}"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text
