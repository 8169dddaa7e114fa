"""App configuration for events: agenda, programme, registrations."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "maillage.events"
    label = "events"
    verbose_name = _("Rencontres")

    def ready(self) -> None:
        from maillage.core import navigation

        from . import personal_data, search  # noqa: F401

        navigation.register("agir", _("Agenda"), "events:agenda")
        navigation.register_tool(_("Créer une rencontre"), "events:event_create", "events.manage")
