"""App configuration for knowledge: experience sheets, good practices with their evaluation grid,
and the resource library.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "maillage.knowledge"
    label = "knowledge"
    verbose_name = _("Bibliothèque")
