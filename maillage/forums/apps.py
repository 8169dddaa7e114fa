"""App configuration for forums: open forums and working groups: topics, grid, groups, reports,
follow-ups, task boards, syntheses.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "maillage.forums"
    label = "forums"
    verbose_name = _("Forums ouverts et groupes de travail")
