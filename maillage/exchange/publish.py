"""What the classified ads publish through the newsletter and opendata registries: the live
ads (open, not expired) as a letter section and a feed, a webhook notification for each new
ad, and the digest section of a member's new suggestions.

Imported by `maillage.opendata.apps` (the exchange app's own `apps.py` stays untouched).
An ad goes out without its author (the letter and the feed are public and leave the site);
e-mail addresses or phone numbers typed in its text are blanked. The suggestions section
appears only for members who asked for the digest of suggestions
(`MatchPreferences.digest`) and shows only what `suggestions_for_display` lets them see.
"""

from django.db.models.signals import post_save
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from maillage.forums.search import scrub
from maillage.newsletter import registry as letters
from maillage.opendata import registry
from maillage.opendata.webhooks import fire

from .models import Ad, ItemType, MatchPreferences
from .views_support import suggestions_for_display

SUMMARY_LENGTH = 300


def _live():
    return Ad.objects.live().select_related("commune").prefetch_related("themes")


def _title(ad: Ad) -> str:
    return f"{ad.get_kind_display()} · {ad.title}"


def _summary(ad: Ad) -> str:
    return scrub(ad.text)[:SUMMARY_LENGTH]


# Newsletter section -------------------------------------------------------------------


def _section(since, until):
    ads = _live().filter(created_at__gte=since, created_at__lt=until).order_by("created_at", "pk")
    return [
        letters.Item(
            title=_title(ad),
            url=ad.get_absolute_url(),
            summary=_summary(ad),
            when=str(_("jusqu'au %(day)s")) % {"day": date_format(ad.expires_on, "j F Y")},
            place=ad.commune.name if ad.commune_id else "",
            themes=[t.pk for t in ad.themes.all()],
            territories=letters.territory_keys([ad.commune]),
        )
        for ad in ads
    ]


letters.register("annonces", _("Petites annonces"), _section, position=60)


# Feed ---------------------------------------------------------------------------------


def _feed_items():
    return [
        registry.FeedItem(
            title=_title(ad),
            url=ad.get_absolute_url(),
            description=_summary(ad),
            published=ad.created_at,
            updated=ad.updated_at,
            categories=[t.name for t in ad.themes.all()],
        )
        for ad in _live().order_by("-created_at", "-pk")[:50]
    ]


registry.register_feed(
    "annonces",
    _("Petites annonces"),
    _feed_items,
    _("Les petites annonces ouvertes : offres, demandes et appels à participation."),
)


# Webhook ------------------------------------------------------------------------------

registry.register_event("ad.published", _("Nouvelle petite annonce"))


def _on_ad_saved(sender, instance: Ad, **kwargs) -> None:
    if instance.is_live:
        fire(
            "ad.published",
            object_key=f"ad:{instance.pk}",
            title=_title(instance),
            text=_summary(instance),
            url=instance.get_absolute_url(),
            label=_("Nouvelle annonce"),
        )


post_save.connect(_on_ad_saved, sender=Ad, dispatch_uid="opendata_ad")


# The members' weekly digest: their new suggestions --------------------------------------


def _digest_suggestions(user, since, until):
    if not MatchPreferences.objects.filter(user=user, digest=True).exists():
        return []
    person = getattr(user, "person", None)
    if person is None or not getattr(user, "is_member", False):
        return []
    return [
        letters.Item(title=s.label, url=s.url, summary=s.reasons_text)
        for s in suggestions_for_display(ItemType.PERSON, person.pk, viewer=user)
        if since <= s.created_at < until
    ]


letters.register_digest("suggestions", _("Nouvelles suggestions"), _digest_suggestions, position=40)
