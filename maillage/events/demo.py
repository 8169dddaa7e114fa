"""Demo agenda: past and upcoming events on real communes, with programmes (parallel
workshops with a capacity, speakers linked to the directory or in free text) and
registrations (one full event with a waiting list).

Idempotent: events are keyed on their title, and an event that exists is left as it is.
Seats are written directly with their counters (no e-mail leaves from a demo).
"""

import random
from dataclasses import replace
from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone
from faker import Faker

from maillage.accounts.models import User
from maillage.core import demo_texts
from maillage.core.demo import DemoContext, register
from maillage.directory.models import Organisation, Person, Theme

from .models import (
    Contributor,
    Event,
    EventKind,
    EventStatus,
    Registration,
    Session,
    SessionKind,
    SessionRegistration,
    TimeSlot,
    local_datetime,
)

HOME_DEPARTEMENTS = ["81", "11", "31", "34", "12", "82", "09", "26"]

# (title pattern, kind, days from today, number of days, capacity, online, registrations)
EVENTS = [
    ("Rencontres régionales de la transition — {c}", EventKind.GATHERING, -120, 2, 120, False, 60),
    ("Forum ouvert : se nourrir localement à {c}", EventKind.OPEN_FORUM, -60, 1, 80, False, 45),
    ("Webinaire : financer une centrale villageoise", EventKind.WEBINAR, -20, 1, None, True, 30),
    ("Journée des initiatives — {c}", EventKind.GATHERING, 21, 1, 100, False, 40),
    ("Atelier : animer une réunion publique à {c}", EventKind.WORKSHOP, 10, 1, 12, False, 16),
    ("Webinaire : lancer un budget participatif", EventKind.WEBINAR, 35, 1, None, True, 20),
    ("Table ronde : se déplacer sans voiture à {c}", EventKind.ROUND_TABLE, 45, 1, 60, False, 10),
    ("Assemblée du réseau — {c}", EventKind.ASSEMBLY, 70, 1, 150, True, 25),
]
WORKSHOPS = [
    ("Monter une régie alimentaire", "Alimentation"),
    ("Des toits solaires citoyens", "Énergie"),
    ("Covoiturage solidaire en zone rurale", "Mobilités"),
    ("Associer les habitant·es aux décisions", "Participation citoyenne"),
]
ROOMS = ["Salle du conseil", "Salle des fêtes", "Médiathèque", "Préau de l'école"]
FREE_SPEAKERS = [
    "Élise Martin, chargée de mission au conseil départemental",
    "Collectif des jardins partagés",
    "Un·e élu·e de la commune d'accueil",
]


def _communes():
    from maillage.territories.models import Territory

    return list(
        Territory.objects.communes()
        .filter(departement__code__in=HOME_DEPARTEMENTS, latitude__isnull=False)
        .order_by("-population", "code")[:12]
    )


def _programme(ctx: DemoContext, event: Event, themes: dict, people: list, orgs: list) -> None:
    for offset, day in enumerate(event.local_days()):
        opening = TimeSlot.objects.create(
            event=event, day=day, starts=time(9, 30), ends=time(10, 30), title="Ouverture"
        )
        plenary = Session.objects.create(
            slot=opening,
            kind=SessionKind.PLENARY,
            title="Plénière d'ouverture" if offset == 0 else "Ce que nous retenons d'hier",
            room="Grande salle",
        )
        rows = [Contributor(session=plenary, role="moderator", name=FREE_SPEAKERS[2])]
        if people:
            person = ctx.rng.choice(people)
            rows.append(
                Contributor(session=plenary, role="speaker", name=person.name, person=person)
            )
        Contributor.objects.bulk_create(rows)
        workshops = TimeSlot.objects.create(
            event=event, day=day, starts=time(10, 45), ends=time(12, 15), title="Ateliers"
        )
        for position, (title, theme) in enumerate(WORKSHOPS[:3]):
            session = Session.objects.create(
                slot=workshops,
                kind=SessionKind.WORKSHOP,
                title=title,
                description=demo_texts.session_description(ctx.rng),
                room=ROOMS[position],
                capacity=15,
            )
            if theme in themes:
                session.themes.add(themes[theme])
            speaker = (
                Contributor(
                    session=session,
                    role="speaker",
                    name=orgs[position].name,
                    organisation=orgs[position],
                )
                if len(orgs) > position
                else Contributor(session=session, role="speaker", name=FREE_SPEAKERS[1])
            )
            Contributor.objects.bulk_create(
                [speaker, Contributor(session=session, role="moderator", name=FREE_SPEAKERS[0])]
            )
        lunch = TimeSlot.objects.create(event=event, day=day, starts=time(12, 15), ends=time(14, 0))
        Session.objects.create(slot=lunch, kind=SessionKind.BREAK, title="Repas partagé")
        afternoon = TimeSlot.objects.create(
            event=event, day=day, starts=time(14, 0), ends=time(16, 0)
        )
        Session.objects.create(
            slot=afternoon,
            kind=SessionKind.ROUND_TABLE,
            title="Table ronde : coopérer entre collectivités et associations",
            room="Grande salle",
        )


def _registrations(ctx: DemoContext, event: Event, users: list, count: int) -> None:
    chosen = ctx.rng.sample(users, k=min(count, len(users)))
    now = timezone.now()
    rows = []
    confirmed = 0
    for index, user in enumerate(chosen):
        seated = event.capacity is None or confirmed < event.capacity
        confirmed += seated
        rows.append(
            Registration(
                event=event,
                user=user,
                status="confirmed" if seated else "waiting",
                queued_at=now - timedelta(minutes=len(chosen) - index),
                attended=(ctx.rng.random() < 0.85) if event.is_past and seated else None,
            )
        )
    Registration.objects.bulk_create(rows, ignore_conflicts=True)
    Event.objects.filter(pk=event.pk).update(seats_taken=confirmed)
    # A few confirmed people choose a workshop of the first slot that has some.
    workshops = list(Session.objects.filter(slot__event=event, capacity__isnull=False)[:3])
    if workshops:
        seats, taken = [], dict.fromkeys((w.pk for w in workshops), 0)
        for row in rows[: min(confirmed, 30)]:
            session = ctx.rng.choice(workshops)
            if taken[session.pk] < session.capacity:
                taken[session.pk] += 1
                seats.append(
                    SessionRegistration(session=session, user=row.user, status="confirmed")
                )
        SessionRegistration.objects.bulk_create(seats, ignore_conflicts=True)
        for pk, n in taken.items():
            Session.objects.filter(pk=pk).update(seats_taken=n)


def generate(shared_ctx: DemoContext) -> None:
    # Our own random streams, seeded from the seed: whether events exist already (and are
    # skipped) never shifts what the generators after this one draw.
    fake = Faker("fr_FR")
    fake.seed_instance(shared_ctx.seed + 5)
    ctx = replace(shared_ctx, rng=random.Random(shared_ctx.seed + 5), fake=fake)
    communes = _communes()
    if not communes:
        ctx.say("Rencontres : territoires absents, lancez d'abord load_territories.")
        return
    users = list(User.objects.filter(is_active=True, joined_at__isnull=False).order_by("pk")[:400])
    themes = {t.name: t for t in Theme.objects.all()}
    people = list(Person.objects.filter(visibility="public").order_by("pk")[:50])
    orgs = list(Organisation.objects.published().order_by("pk")[:10])
    facilitator = User.objects.filter(role="facilitator").order_by("pk").first()
    created = 0
    today = timezone.localdate()
    for index, (pattern, kind, offset, days, capacity, online, count) in enumerate(EVENTS):
        commune = communes[index % len(communes)]
        title = pattern.format(c=commune.name)
        if Event.objects.filter(title=title).exists():
            continue
        first_day = today + timedelta(days=offset)
        in_person = kind != EventKind.WEBINAR
        with transaction.atomic():
            event = Event.objects.create(
                title=title,
                kind=kind,
                summary=ctx.rng.choice(
                    [
                        "Se retrouver, partager ce qui marche et ce qui coince, repartir "
                        "avec des contacts.",
                        "Une rencontre pour avancer ensemble sur des projets concrets.",
                        "Des retours d'expérience et du temps pour échanger.",
                    ]
                ),
                description=demo_texts.event_description(ctx.rng),
                status=EventStatus.PUBLISHED,
                starts_at=local_datetime(first_day, time(9, 30) if in_person else time(18, 0)),
                ends_at=local_datetime(
                    first_day + timedelta(days=days - 1), time(16, 0) if in_person else time(19, 30)
                ),
                commune=commune if in_person else None,
                address="Salle des fêtes, place de la Mairie" if in_person else "",
                latitude=commune.latitude if in_person else None,
                longitude=commune.longitude if in_person else None,
                online_url="https://meet.jit.si/maillage-demo-" + str(index) if online else "",
                capacity=capacity,
                registration_open=offset > 0,
                created_by=facilitator,
            )
            chosen = ctx.rng.sample(list(themes.values()), k=min(2, len(themes)))
            event.themes.set(chosen)
            if commune.departement_id:
                event.territories.add(commune.departement_id)
            if orgs:
                event.organisers.add(ctx.rng.choice(orgs))
            if kind in (EventKind.GATHERING, EventKind.OPEN_FORUM, EventKind.ASSEMBLY):
                _programme(ctx, event, themes, people, orgs)
            if users:
                _registrations(ctx, event, users, count)
        created += 1
    ctx.say(f"Rencontres : {created} créées, {Event.objects.count()} en tout.")


register("events", generate)
