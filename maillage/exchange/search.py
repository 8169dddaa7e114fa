"""What exchange puts in the search index: open ads (never an address: title and text
only). An expired ad stays findable — its page says it has expired and takes no more
replies — until its author closes it; closed and withdrawn ads are taken out."""

from django.utils.translation import gettext_lazy as _

from maillage.search.registry import Audience, Document, register

from .models import Ad, AdStatus


def ad_document(ad: Ad) -> Document | None:
    if ad.status != AdStatus.OPEN:
        return None
    return Document(
        title=ad.title,
        body=f"{ad.get_kind_display()}\n{ad.text}",
        url=ad.get_absolute_url(),
        audience=Audience.PUBLIC,
        owner_id=ad.author_id,
        status=ad.kind,
        created_at=ad.created_at,
        themes=[t.pk for t in ad.themes.all()],
        territories=[ad.commune_id] if ad.commune_id else [],
    )


def _ads():
    return Ad.objects.prefetch_related("themes")


register(
    Ad,
    kind="ad",
    label=_("Petites annonces"),
    to_document=ad_document,
    queryset=_ads,
    m2m=("themes",),
    status_labels={
        "offer": _("Je propose"),
        "need": _("Je cherche"),
        "call": _("Appel à participation"),
    },
)
