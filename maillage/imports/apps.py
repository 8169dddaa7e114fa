"""App configuration for imports: documents in, structured drafts out, reviewed by a facilitator
before anything is created.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "maillage.imports"
    label = "imports"
    verbose_name = _("Import de documents")

    def ready(self) -> None:
        from maillage.core import navigation

        from . import personal_data, rules  # noqa: F401  (they register themselves)

        navigation.register_tool(_("Importer un compte rendu"), "imports:list", "imports.manage")
