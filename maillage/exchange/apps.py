"""App configuration for exchange: classified ads, suggested connections and introductions, the
relational atlas.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "maillage.exchange"
    label = "exchange"
    verbose_name = _("Échanges")

    def ready(self) -> None:
        from maillage.core import navigation

        from . import personal_data, rules, search, signals  # noqa: F401  (registrations)

        signals.connect()
        navigation.register("agir", _("Petites annonces"), "exchange:ads")
        navigation.register("agir", _("Mes suggestions de mises en relation"), "exchange:dashboard")
        navigation.register("se-connaitre", _("Atlas des relations"), "exchange:atlas")
        navigation.register_tool(
            _("Mettre en relation"), "exchange:introductions", "exchange.introduce"
        )
        navigation.register_tool(
            _("Annonces signalées"), "exchange:moderation", "exchange.moderate"
        )
