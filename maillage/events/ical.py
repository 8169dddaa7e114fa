"""iCalendar (RFC 5545) for feeds and for the attachment of the confirmation e-mail.

Times are written in Europe/Paris with its VTIMEZONE (a calendar shows 9:30 on a DST day
as 9:30), the UID is stable per event, and a cancelled event keeps its UID with
STATUS:CANCELLED so that subscribed calendars remove it. The video link only goes into
the attachment sent to a registered person, never into a public feed.
"""

from collections.abc import Iterable
from datetime import UTC
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from .models import Event, EventStatus

PRODID = "-//Maillage//Agenda du réseau//FR"


def _domain(base_url: str) -> str:
    return urlsplit(base_url).hostname or "maillage.invalid"


def location_of(event: Event) -> str:
    parts = [event.address, event.commune.name if event.commune_id else ""]
    return ", ".join(p for p in parts if p)


def event_component(event: Event, *, base_url: str, with_online_link: bool = False):
    component = icalendar.Event()
    component.add("uid", f"maillage-event-{event.pk}@{_domain(base_url)}")
    component.add("dtstamp", event.updated_at.astimezone(UTC))
    component.add("last-modified", event.updated_at.astimezone(UTC))
    component.add("dtstart", timezone.localtime(event.starts_at))
    component.add("dtend", timezone.localtime(event.ends_at))
    component.add("summary", event.title)
    description = [event.summary]
    if with_online_link and event.online_url:
        description.append(event.online_url)
    component.add("description", "\n\n".join(description))
    location = location_of(event)
    if location:
        component.add("location", location)
    elif event.online_url:
        component.add("location", "En ligne")
    if event.latitude is not None and event.longitude is not None:
        component.add("geo", (event.latitude, event.longitude))
    component.add("url", f"{base_url.rstrip('/')}{event.get_absolute_url()}")
    component.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    for theme in event.themes.all():
        component.add("categories", [theme.name])
    return component


def calendar_bytes(
    events: Iterable[Event], *, name: str, base_url: str, with_online_link: bool = False
) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        calendar.add_component(
            event_component(event, base_url=base_url, with_online_link=with_online_link)
        )
    calendar.add_missing_timezones()
    return calendar.to_ical()
