"""App configuration for newsletter: subscriptions with double opt-in, letters composed in the
browser, personal digests.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "maillage.newsletter"
    label = "newsletter"
    verbose_name = _("Lettre d'information")
