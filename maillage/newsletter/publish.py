"""The archive of sent letters as a feed of the opendata registry (RSS and Atom)."""

from django.utils.translation import gettext_lazy as _

from maillage.core.templatetags.maillage import render_markdown
from maillage.opendata import registry

from .models import Letter


def _items():
    return [
        registry.FeedItem(
            title=letter.subject,
            url=letter.get_absolute_url(),
            description=render_markdown(letter.editorial),
            published=letter.sent_at,
            updated=letter.sent_at,
        )
        for letter in Letter.objects.sent()[:30]
    ]


registry.register_feed(
    "lettres", _("Lettres d'information"), _items, _("Les lettres d'information envoyées.")
)
