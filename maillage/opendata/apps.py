"""App configuration for opendata: feeds, open-data exports, the read API, GoGoCarto exchange and
webhooks.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "maillage.opendata"
    label = "opendata"
    verbose_name = _("Données ouvertes")

    def ready(self) -> None:
        # The contributions of the directory, the agenda, the forums, the library and the
        # ads to the registries live in their own `publish.py`, imported here so that
        # their apps.py stay untouched.
        import maillage.directory.publish  # noqa: F401
        import maillage.events.publish  # noqa: F401
        import maillage.exchange.publish  # noqa: F401
        import maillage.forums.publish  # noqa: F401
        import maillage.knowledge.publish  # noqa: F401
        from maillage.core import navigation

        navigation.register("se-faire-connaitre", _("Données ouvertes"), "opendata:index")
        navigation.register_tool(
            _("Importer une carte GoGoCarto"),
            "opendata:gogocarto_import",
            "opendata.import_gogocarto",
        )
