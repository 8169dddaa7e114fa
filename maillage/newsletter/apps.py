"""App configuration for newsletter: subscriptions with double opt-in, letters composed in the
browser, personal digests.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "maillage.newsletter"
    label = "newsletter"
    verbose_name = _("Lettre d'information")

    def ready(self) -> None:
        from maillage.core import navigation

        # publish: the letters' feed; personal_data: subscriptions exported and erased.
        from . import personal_data, publish  # noqa: F401

        navigation.register("se-faire-connaitre", _("Lettre d'information"), "newsletter:archive")
        navigation.register(
            "se-faire-connaitre", _("S'abonner à la lettre"), "newsletter:subscribe"
        )
        navigation.register(
            "se-faire-connaitre", _("Mon résumé de la semaine"), "newsletter:digest"
        )
        navigation.register_tool(
            _("Écrire la lettre d'information"), "newsletter:desk", "newsletter.manage"
        )
