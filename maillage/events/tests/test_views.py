"""Agenda pages: lists and calendar (with constant query counts), filters, programme with
linked speakers, facilitators' forms, and no server error on any input."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillage.directory.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    ThemeFactory,
    aude_and_herault,
)
from maillage.events import services
from maillage.events.models import Contributor, Event, Registration
from maillage.events.tests.factories import (
    EventFactory,
    SessionFactory,
    TimeSlotFactory,
    days_ahead,
)

pytestmark = pytest.mark.django_db


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def _event_with_tags(places, theme, **kwargs):
    event = EventFactory(commune=places["carcassonne"], **kwargs)
    event.themes.add(theme)
    event.territories.add(places["aude"])
    return event


@pytest.mark.parametrize("name", ["events:agenda", "events:past", "events:calendar"])
def test_list_pages_have_constant_query_counts(client, name):
    places = aude_and_herault()
    theme = ThemeFactory()
    past = name == "events:past"
    offset = -40 if past else 3

    def add(n):
        for i in range(n):
            start = days_ahead(offset + i % 5)
            _event_with_tags(places, theme, starts_at=start, ends_at=start + timedelta(hours=3))

    add(2)
    url = reverse(name)
    params = {"mois": timezone.localtime(days_ahead(offset)).strftime("%Y-%m")}
    _queries(client, url, params)
    few = _queries(client, url, params)
    add(15)
    assert _queries(client, url, params) == few
    filtered = {**params, "theme": theme.slug, "territoire": places["aude"].pk}
    assert _queries(client, url, filtered) <= few + 3  # the theme, the territory, its label


def test_event_page_has_a_constant_query_count(client, member):
    event = EventFactory()

    def add_sessions(n):
        slot = TimeSlotFactory(
            event=event, starts=time(8 + len(event.slots.all()), 0), ends=time(20, 0)
        )
        for _ in range(n):
            session = SessionFactory(slot=slot, capacity=5)
            session.themes.add(ThemeFactory())
            Contributor.objects.create(session=session, role="speaker", name="Texte libre")
            person = PersonFactory()
            Contributor.objects.create(
                session=session, role="speaker", name=person.name, person=person
            )

    client.force_login(member)
    add_sessions(1)
    _queries(client, event.get_absolute_url())  # the first request caches the charter
    few = _queries(client, event.get_absolute_url())
    add_sessions(6)
    assert _queries(client, event.get_absolute_url()) == few


def test_upcoming_and_past_are_split_and_drafts_hidden(client, facilitator):
    EventFactory(title="Bientôt")
    EventFactory(
        title="Autrefois", starts_at=days_ahead(-9), ends_at=days_ahead(-9) + timedelta(hours=2)
    )
    EventFactory(title="En préparation", status="draft")
    upcoming = client.get(reverse("events:agenda")).content.decode()
    past = client.get(reverse("events:past")).content.decode()
    assert "Bientôt" in upcoming and "Autrefois" not in upcoming
    assert "Autrefois" in past and "Bientôt" not in past
    assert "En préparation" not in upcoming
    draft = Event.objects.get(title="En préparation")
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(facilitator)
    assert "En préparation" in client.get(reverse("events:agenda")).content.decode()


def test_filters_by_theme_and_territory_and_htmx_fragment(client):
    places = aude_and_herault()
    theme = ThemeFactory()
    _event_with_tags(places, theme, title="Dans l Aude")
    EventFactory(title="À Béziers", commune=places["beziers"])
    online = EventFactory(title="Webinaire audois", online_url="https://v.example.org/x")
    online.territories.add(places["aude"])
    html = client.get(reverse("events:agenda"), {"territoire": places["aude"].pk}).content.decode()
    assert "Dans l Aude" in html and "Webinaire audois" in html and "À Béziers" not in html
    assert reverse("events:feed_territory", args=["departement", "11"]) in html
    html = client.get(reverse("events:agenda"), {"theme": theme.slug}).content.decode()
    assert "Dans l Aude" in html and "À Béziers" not in html
    fragment = client.get(reverse("events:agenda"), headers={"HX-Request": "true"}).content.decode()
    assert 'id="results"' in fragment and "<html" not in fragment


def test_calendar_places_multi_day_events_on_each_day(client):
    start = days_ahead(2)
    EventFactory(
        title="Deux jours ensemble", starts_at=start, ends_at=start + timedelta(days=1, hours=7)
    )
    html = client.get(
        reverse("events:calendar"), {"mois": timezone.localtime(start).strftime("%Y-%m")}
    ).content.decode()
    assert html.count("Deux jours ensemble") >= 1
    month_of_both_days = (
        timezone.localtime(start).month == timezone.localtime(start + timedelta(days=1)).month
    )
    if month_of_both_days:
        assert html.count("Deux jours ensemble") == 2


def test_programme_links_visible_speakers_only(client, facilitator):
    event = EventFactory()
    public = PersonFactory(name="Paula Publique", visibility="public")
    hidden = PersonFactory(name="Henri Discret", visibility="private")
    organisation = OrganisationFactory(name="Coopérative Soleil")
    client.force_login(facilitator)
    data = {
        "day": timezone.localtime(event.starts_at).date().isoformat(),
        "starts": "10:00",
        "ends": "11:30",
        "kind": "table_ronde",
        "title": "Table ronde énergie",
        "room": "Salle B",
        "speakers": "Paula Publique\nHenri Discret\nCoopérative Soleil\nUne voisine",
        "moderators": "Sophie A.",
    }
    response = client.post(reverse("events:session_create", args=[event.pk]), data)
    assert response.status_code == 302
    contributors = {c.name: c for c in Contributor.objects.all()}
    assert contributors["Paula Publique"].person == public
    assert contributors["Coopérative Soleil"].organisation == organisation
    assert (
        contributors["Une voisine"].person is None
        and contributors["Une voisine"].organisation is None
    )
    client.logout()
    html = client.get(event.get_absolute_url()).content.decode()
    assert public.get_absolute_url() in html and organisation.get_absolute_url() in html
    assert "Henri Discret" in html and hidden.get_absolute_url() not in html
    printable = client.get(reverse("events:programme", args=[event.pk])).content.decode()
    assert "Table ronde énergie" in printable and "Salle B" in printable
    assert "events/events.css" in printable


def test_member_registers_through_the_page(client, member):
    event = EventFactory(capacity=1)
    client.force_login(member)
    html = client.get(event.get_absolute_url()).content.decode()
    assert reverse("events:register", args=[event.pk]) in html
    client.post(reverse("events:register", args=[event.pk]), {"needs": ""})
    assert Registration.objects.get(event=event, user=member).is_confirmed
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Annuler mon inscription" in html
    client.post(reverse("events:unregister", args=[event.pk]))
    assert Registration.objects.get(event=event, user=member).status == "cancelled"


def test_facilitator_creates_an_event_then_its_programme(client, facilitator):
    places = aude_and_herault()
    client.force_login(facilitator)
    response = client.post(
        reverse("events:event_create"),
        {
            "title": "Rencontres d'hiver",
            "kind": "journee",
            "summary": "Deux jours pour se retrouver.",
            "status": "published",
            "starts_at": "2031-02-05T09:00",
            "ends_at": "2031-02-06T17:00",
            "commune": places["limoux"].pk,
            "address": "Salle des fêtes",
            "capacity": "50",
            "registration_open": "on",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get(title="Rencontres d'hiver")
    assert event.commune == places["limoux"] and event.latitude == places["limoux"].latitude
    assert len(event.local_days()) == 2
    form = client.get(reverse("events:session_create", args=[event.pk])).content.decode()
    assert "06/02/2031" in form


# --- No server error on any input ----------------------------------------------------

ANYTHING = st.one_of(
    st.text(max_size=300),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["", "\x00", "2026-13", "2026-02", "0000-01", "9999-12", "x" * 2000, "'"]),
)
QUERY = st.dictionaries(st.sampled_from(["theme", "territoire", "type", "mois", "page"]), ANYTHING)
HYPOTHESIS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@HYPOTHESIS
@given(params=QUERY)
def test_lists_never_fail_on_any_query(params):
    client = Client(raise_request_exception=False)
    for name in ("events:agenda", "events:past", "events:calendar"):
        assert client.get(reverse(name), params).status_code == 200, (name, params)


@pytest.fixture
def open_event(db):
    return EventFactory(capacity=1)


@HYPOTHESIS
@given(needs=ANYTHING, extra=ANYTHING)
def test_registration_form_never_fails(open_event, member, needs, extra):
    client = Client(raise_request_exception=False)
    client.force_login(member)
    response = client.post(
        reverse("events:register", args=[open_event.pk]), {"needs": needs, "status": extra}
    )
    assert response.status_code == 302
    registration = Registration.objects.filter(event=open_event, user=member).first()
    if registration:
        assert len(registration.needs) <= 500 and "\x00" not in registration.needs
        services.registration_cancel(registration=registration, actor=member)


@HYPOTHESIS
@given(token=ANYTHING)
def test_cancel_link_never_fails(token):
    client = Client(raise_request_exception=False)
    if not token or "/" in token:
        return
    response = client.post(reverse("events:cancel", args=[token]))
    assert response.status_code == 404


@HYPOTHESIS
@given(
    data=st.dictionaries(
        st.sampled_from(
            ["day", "starts", "ends", "kind", "title", "capacity", "speakers", "themes"]
        ),
        ANYTHING,
    )
)
def test_session_form_never_fails(open_event, facilitator, data):
    client = Client(raise_request_exception=False)
    client.force_login(facilitator)
    response = client.post(reverse("events:session_create", args=[open_event.pk]), data)
    assert response.status_code in (200, 302)


def test_event_page_describes_the_event_in_schema_org_without_the_video_link(client):
    import json
    import re

    event = EventFactory(title="Rencontre des jardins", online_url="https://v.example.org/salle")
    html = client.get(event.get_absolute_url()).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@type"] == "Event"
    assert data["name"] == "Rencontre des jardins"
    assert "v.example.org" not in blocks[0]
