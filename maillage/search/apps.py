"""App configuration for search."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "maillage.search"
    label = "search"
    verbose_name = _("Recherche")

    def ready(self) -> None:
        from maillage.core import navigation

        navigation.register("se-connaitre", _("Rechercher"), "search:results")
