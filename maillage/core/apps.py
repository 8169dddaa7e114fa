"""App configuration for the shared core."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "maillage.core"
    label = "core"
    verbose_name = _("Socle")

    def ready(self) -> None:
        from . import navigation

        navigation.register_tool(
            _("Journal des modifications"), "core:audit_log", "accounts.view_audit_log"
        )
        navigation.register_tool(
            _("Modifier la charte"), "accounts:charter_edit", "accounts.edit_charter"
        )
