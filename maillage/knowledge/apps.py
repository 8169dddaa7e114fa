"""App configuration for knowledge: experience sheets, good practices with their evaluation grid,
and the resource library.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "maillage.knowledge"
    label = "knowledge"
    verbose_name = _("Bibliothèque")

    def ready(self) -> None:
        from maillage.core import navigation

        from . import personal_data, rules, search  # noqa: F401  (they register themselves)

        navigation.register("capitaliser", _("La bibliothèque"), "knowledge:home")
        navigation.register("capitaliser", _("Fiches d'expérience"), "knowledge:sheets")
        navigation.register("capitaliser", _("Ressources"), "knowledge:resources")
        navigation.register("capitaliser", _("Collections"), "knowledge:collections")
        navigation.register("capitaliser", _("Grilles d'évaluation"), "knowledge:grids")
        navigation.register_tool(
            _("Grilles d'évaluation des bonnes pratiques"),
            "knowledge:grid_create",
            "knowledge.manage_grids",
        )
        navigation.register_tool(
            _("Composer une collection"),
            "knowledge:collection_create",
            "knowledge.manage_collections",
        )
