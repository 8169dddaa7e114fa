"""App configuration for forums: open forums and working groups: topics, grid, groups, reports,
follow-ups, task boards, syntheses.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "maillage.forums"
    label = "forums"
    verbose_name = _("Forums ouverts et groupes de travail")

    def ready(self) -> None:
        from maillage.core import navigation

        from . import personal_data, search  # noqa: F401

        navigation.register(
            "agir",
            _("Groupes de travail"),
            "forums:working_groups",
            _("Les groupes nés des rencontres qui poursuivent le travail."),
        )
