"""App configuration for accounts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "maillage.accounts"
    label = "accounts"
    verbose_name = _("Comptes")

    def ready(self) -> None:
        from . import personal_data, signals  # noqa: F401
