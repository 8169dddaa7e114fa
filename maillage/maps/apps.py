"""App configuration for maps."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MapsConfig(AppConfig):
    name = "maillage.maps"
    label = "maps"
    verbose_name = _("Carte")

    def ready(self) -> None:
        from maillage.core import navigation

        from . import checks, signals  # noqa: F401

        signals.connect()
        navigation.register("se-connaitre", _("Carte"), "maps:map")
