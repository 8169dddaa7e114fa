"""What the agenda publishes through the newsletter and opendata registries: public events
as an open dataset, a feed, a letter section (upcoming events announced since the previous
letter) and a webhook notification when an event is published.

Imported by `maillage.opendata.apps` and `maillage.newsletter.apps` (the events app's own
`apps.py` stays untouched). The video link never goes out: it is for registered people.
"""

from datetime import timedelta

from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from maillage.newsletter import registry as letters
from maillage.opendata import registry
from maillage.opendata.webhooks import fire

from .ical import location_of
from .models import Event, EventStatus


def _public():
    return (
        Event.objects.filter(status=EventStatus.PUBLISHED)
        .select_related("commune")
        .prefetch_related("themes", "territories", "organisers")
    )


def event_row(event: Event) -> dict:
    return {
        "id": event.pk,
        "title": event.title,
        "kind": event.kind,
        "summary": event.summary,
        "description": event.description,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "location": location_of(event),
        "commune": event.commune.name if event.commune_id else "",
        "commune_code": event.commune.code if event.commune_id else "",
        "latitude": event.latitude,
        "longitude": event.longitude,
        "online": bool(event.online_url),
        "themes": [t.name for t in event.themes.all()],
        "territories": [f"{t.kind}:{t.code}" for t in event.territories.all()],
        "organisers": [o.name for o in event.organisers.all()],
        "url": event.get_absolute_url(),
        "created_at": event.created_at.isoformat(),
    }


registry.register_dataset(
    "rencontres",
    _("Rencontres"),
    queryset=_public,
    row=event_row,
    point=lambda e: (e.longitude, e.latitude),
    date_field="starts_at",
    fields=[
        ("id", _("identifiant")),
        ("title", _("titre")),
        ("kind", _("type de rencontre")),
        ("summary", _("en bref")),
        ("description", _("description")),
        ("starts_at", _("début (ISO 8601)")),
        ("ends_at", _("fin (ISO 8601)")),
        ("location", _("lieu (adresse de la salle et commune)")),
        ("commune", _("commune")),
        ("commune_code", _("code INSEE de la commune")),
        ("latitude", _("latitude (WGS 84)")),
        ("longitude", _("longitude (WGS 84)")),
        ("online", _("en ligne (le lien n'est donné qu'aux inscrit·es)")),
        ("themes", _("thématiques")),
        ("territories", _("territoires concernés (type:code INSEE)")),
        ("organisers", _("structures organisatrices")),
        ("url", _("adresse de la page de la rencontre")),
        ("created_at", _("date de création")),
    ],
    description=_("Les rencontres publiées, passées et à venir (filtre de dates sur le début)."),
)


def _feed_items():
    events = _public().filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk")[:50]
    return [
        registry.FeedItem(
            title=f"{date_format(timezone.localtime(e.starts_at), 'j F Y')} · {e.title}",
            url=e.get_absolute_url(),
            description=e.summary,
            published=e.created_at,
            updated=e.updated_at,
            categories=[t.name for t in e.themes.all()],
        )
        for e in events
    ]


registry.register_feed(
    "rencontres", _("Rencontres à venir"), _feed_items, _("Les prochaines rencontres du réseau.")
)


def _section(since, until):
    events = _public().filter(created_at__gte=since, created_at__lt=until, starts_at__gte=until)
    items = []
    for event in events.order_by("starts_at", "pk"):
        territories = list(event.territories.all())
        if event.commune_id:
            territories.append(event.commune)
        items.append(
            letters.Item(
                title=event.title,
                url=event.get_absolute_url(),
                summary=event.summary,
                when=date_format(timezone.localtime(event.starts_at), "l j F Y, H:i"),
                place=location_of(event) or (str(_("En ligne")) if event.online_url else ""),
                themes=[t.pk for t in event.themes.all()],
                territories=letters.territory_keys(territories),
            )
        )
    return items


letters.register("rencontres", _("Rencontres à venir"), _section, position=30)

registry.register_event("event.published", _("Rencontre publiée"))


def _on_event_saved(sender, instance: Event, **kwargs) -> None:
    if instance.status == EventStatus.PUBLISHED:
        fire(
            "event.published",
            object_key=f"event:{instance.pk}",
            title=instance.title,
            text=f"{date_format(timezone.localtime(instance.starts_at), 'l j F Y, H:i')} — "
            f"{instance.summary}",
            url=reverse("events:event", args=[instance.pk]),
            label=_("Nouvelle rencontre"),
        )


post_save.connect(_on_event_saved, sender=Event, dispatch_uid="opendata_event")


# The members' weekly digest: upcoming events near them ---------------------------------

DIGEST_AHEAD = timedelta(days=21)


def _digest_events(user, since, until):
    from maillage.directory.models import Person

    person = Person.objects.filter(user=user).prefetch_related("territories").first()
    territories = list(person.territories.all()) if person else []
    if not territories:
        return []
    near = Event.objects.none()
    for territory in territories[:10]:
        near = near | Event.objects.in_territory(territory)
    events = (
        _public()
        .filter(pk__in=near.values("pk"), starts_at__gte=until, starts_at__lt=until + DIGEST_AHEAD)
        .order_by("starts_at", "pk")
    )
    return [
        letters.Item(
            title=event.title,
            url=event.get_absolute_url(),
            summary=event.summary,
            when=date_format(timezone.localtime(event.starts_at), "l j F Y, H:i"),
            place=location_of(event),
        )
        for event in events[:20]
    ]


letters.register_digest(
    "rencontres", _("Rencontres près de chez vous"), _digest_events, position=10
)


def event_jsonld(event: Event, request) -> str:
    """schema.org Event for the event page (for the events app to put in its template's
    `extra_head`, as the directory does). Never the video link."""
    from maillage.directory.jsonld import _dump

    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": request.build_absolute_uri(event.get_absolute_url()),
        "name": event.title,
        "description": event.summary,
        "startDate": event.starts_at.isoformat(),
        "endDate": event.ends_at.isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if event.is_cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/"
        + (
            "MixedEventAttendanceMode"
            if event.online_url and event.commune_id
            else "OnlineEventAttendanceMode"
            if event.online_url
            else "OfflineEventAttendanceMode"
        ),
    }
    if event.commune_id:
        data["location"] = {
            "@type": "Place",
            "name": location_of(event),
            "address": {
                "@type": "PostalAddress",
                "addressLocality": event.commune.name,
                "addressCountry": "FR",
            },
        }
    return _dump(data)
