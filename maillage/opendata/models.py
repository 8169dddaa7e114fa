"""Models of opendata: the network's data licence, outgoing webhooks and their deliveries,
and the trace of GoGoCarto imports (so that an import can run again without duplicates)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Licence(models.TextChoices):
    ODBL = "ODbL-1.0", _("Open Database License (ODbL) 1.0")
    ETALAB = "etalab-2.0", _("Licence Ouverte / Etalab 2.0")
    CC_BY = "CC-BY-4.0", _("Creative Commons Attribution 4.0")
    CC_BY_SA = "CC-BY-SA-4.0", _("Creative Commons Attribution – Partage à l'identique 4.0")
    CC0 = "CC0-1.0", _("Creative Commons Zéro 1.0 (domaine public)")


LICENCE_URLS = {
    Licence.ODBL: "https://opendatacommons.org/licenses/odbl/1-0/",
    Licence.ETALAB: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


class OpenDataSettings(models.Model):
    """One row: the licence of the network's open data (ODbL unless an admin changes it)."""

    licence = models.CharField(
        _("licence des données"), max_length=20, choices=Licence, default=Licence.ODBL
    )
    attribution = models.CharField(
        _("mention à faire figurer"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple : « Réseau Territoires en transition, contributeur·ices »."),
    )
    site_url = models.URLField(
        _("adresse publique du site"),
        blank=True,
        help_text=_(
            "Pour les liens des messages envoyés aux webhooks : https://reseau.example.org"
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("réglages des données ouvertes")
        verbose_name_plural = _("réglages des données ouvertes")

    def __str__(self) -> str:
        return self.get_licence_display()

    @classmethod
    def current(cls) -> "OpenDataSettings":
        return cls.objects.order_by("pk").first() or cls()

    def as_dict(self) -> dict:
        from django.conf import settings

        # Plain strings: an unsaved row (no admin has chosen yet) holds the `Licence` member
        # itself, a `str` subclass that WSGI servers refuse in a header.
        licence = Licence(self.licence)
        return {
            "id": licence.value,
            "name": str(licence.label),
            "url": LICENCE_URLS[licence],
            "attribution": self.attribution or settings.SITE_NAME,
        }


class WebhookFormat(models.TextChoices):
    MATTERMOST = "mattermost", _("Mattermost")
    SLACK = "slack", _("Slack")
    ROCKETCHAT = "rocketchat", _("Rocket.Chat")
    JSON = "json", _("JSON simple")


class Webhook(models.Model):
    name = models.CharField(_("nom"), max_length=100)
    url = models.URLField(_("adresse du webhook entrant"), max_length=500)
    format = models.CharField(
        _("format"), max_length=12, choices=WebhookFormat, default=WebhookFormat.MATTERMOST
    )
    events = models.JSONField(
        _("événements"),
        default=list,
        blank=True,
        help_text=_("Les événements qui déclenchent un message (aucun : tous)."),
    )
    active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook sortant")
        verbose_name_plural = _("webhooks sortants")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def wants(self, event: str) -> bool:
        return not self.events or event in self.events


class WebhookDelivery(models.Model):
    """One notification of one record to one webhook: never twice (the unique triple)."""

    class State(models.TextChoices):
        PENDING = "pending", _("En attente")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Abandonné")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=60)
    object_key = models.CharField(max_length=100)
    payload = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("envoi de webhook")
        verbose_name_plural = _("envois de webhooks")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "event", "object_key"], name="one_webhook_delivery_per_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.webhook} · {self.event} · {self.object_key}"


class ImportedElement(models.Model):
    """An element of a GoGoCarto map brought into the directory as an initiative."""

    source = models.CharField(_("source"), max_length=200)
    external_id = models.CharField(_("identifiant d'origine"), max_length=100)
    initiative = models.ForeignKey(
        "directory.Initiative", on_delete=models.CASCADE, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("élément importé")
        verbose_name_plural = _("éléments importés")
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="one_import_per_element")
        ]

    def __str__(self) -> str:
        return f"{self.source}#{self.external_id}"
