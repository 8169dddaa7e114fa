"""What events put in the search index: published events, past and upcoming.

Only a published event is indexed: a draft is a facilitator's work in progress and a
cancelled event would only mislead, so neither has a document (not even one that only
facilitators see). The place's commune and the territories concerned feed the territory
facet; the address and the online link never enter the index, so no snippet shows them.
The date facet is the date the event was added, like every other document type.
"""

from functools import cache

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from maillage.search.registry import Audience, Document, register

from .models import Event, EventStatus


@cache
def _url_parts() -> tuple[str, str]:
    # reverse() once: a rebuild asks for every event's URL.
    return tuple(reverse("events:event", args=[987654321]).split("987654321"))


def event_document(event: Event) -> Document | None:
    if event.status != EventStatus.PUBLISHED:
        return None
    before, after = _url_parts()
    territories = [t.pk for t in event.territories.all()]
    if event.commune_id:
        territories.append(event.commune_id)
    return Document(
        title=event.title,
        # The kind last: the snippet starts with the summary.
        body="\n".join(
            part
            for part in (event.summary, event.description, str(event.get_kind_display()))
            if part
        ),
        url=f"{before}{event.pk}{after}",
        audience=Audience.PUBLIC,
        created_at=event.created_at,
        themes=[t.pk for t in event.themes.all()],
        territories=territories,
    )


def _events():
    from maillage.directory.models import Theme
    from maillage.territories.models import Territory

    # The index needs ids only: no ordering, no extra columns.
    return Event.objects.prefetch_related(
        Prefetch("themes", queryset=Theme.objects.only("pk").order_by()),
        Prefetch("territories", queryset=Territory.objects.only("pk").order_by()),
    )


# Imported by EventsConfig.ready(): registering is what importing this module does.
register(Event, kind="event", label=_("Rencontres"), to_document=event_document, queryset=_events)
