"""App configuration for the directory."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "maillage.directory"
    label = "directory"
    verbose_name = _("Annuaire")

    def ready(self) -> None:
        from maillage.core import navigation

        from . import personal_data, search  # noqa: F401  (search: registers the documents)

        navigation.register("se-connaitre", _("Personnes"), "directory:people")
        navigation.register("se-connaitre", _("Structures"), "directory:organisations")
        navigation.register("se-connaitre", _("Initiatives"), "directory:initiatives")
        navigation.register("se-connaitre", _("Personnes ressources"), "directory:resource_people")
        navigation.register("se-connaitre", _("Qui est dans quel réseau"), "directory:networks")
        navigation.register_tool(
            _("Valider les propositions et signalements"),
            "directory:moderation",
            "directory.moderate",
        )
        navigation.register_tool(_("Thématiques"), "directory:themes", "directory.manage_themes")
