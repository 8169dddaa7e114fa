"""App configuration for opendata: feeds, open-data exports, the read API, GoGoCarto exchange and
webhooks.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "maillage.opendata"
    label = "opendata"
    verbose_name = _("Données ouvertes")
