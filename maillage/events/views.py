"""Pages of the agenda: lists, month calendar, event and programme, registrations,
participants (facilitators), iCal feeds."""

import calendar
import csv
from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maillage.core.permissions import require_perm
from maillage.directory.models import Organisation, Person, Theme
from maillage.territories.models import Territory

from . import ical, services
from .forms import AgendaFilterForm, EventForm, MonthForm, RegistrationForm, SessionForm
from .models import (
    Event,
    Registration,
    RegistrationStatus,
    Session,
    SessionRegistration,
    local_zone,
)
from .publish import event_jsonld

PAGE_SIZE = 20
# The "all events" feed keeps a year of past events, for calendars that show history.
FEED_PAST = timedelta(days=365)


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _list(request: HttpRequest, *, past: bool) -> HttpResponse:
    form = AgendaFilterForm(request.GET)
    events = Event.objects.visible_to(request.user)
    events = events.past() if past else events.upcoming()
    events = form.filter(events).for_list()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "events/agenda.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {"page": page, "form": form, "past": past, "feed_url": _feed_url_for(form)},
    )


def agenda(request: HttpRequest) -> HttpResponse:
    return _list(request, past=False)


def past(request: HttpRequest) -> HttpResponse:
    return _list(request, past=True)


def _feed_url_for(form: AgendaFilterForm) -> str:
    """The iCal feed matching the criteria (a theme or a territory), else the full one."""
    from django.urls import reverse

    data = getattr(form, "cleaned_data", {})
    if data.get("territoire"):
        territory = data["territoire"]
        return reverse("events:feed_territory", args=[territory.kind, territory.code])
    if data.get("theme"):
        return reverse("events:feed_theme", args=[data["theme"].slug])
    return reverse("events:feed_all")


def month_calendar(request: HttpRequest) -> HttpResponse:
    """A month as a grid of weeks, each day listing the events that cover it."""
    year, month = MonthForm(request.GET).month()
    form = AgendaFilterForm(request.GET)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    first, last = weeks[0][0], weeks[-1][-1]
    zone = local_zone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    events = form.filter(Event.objects.visible_to(request.user).overlapping(start, end))
    by_day: dict = {}
    for event in events.select_related("commune").order_by("starts_at", "pk"):
        day = max(timezone.localtime(event.starts_at).date(), first)
        until = min(timezone.localtime(event.ends_at).date(), last)
        while day <= until:
            by_day.setdefault(day, []).append(event)
            day += timedelta(days=1)
    today = timezone.localdate()
    grid = [
        [
            {
                "date": day,
                "in_month": day.month == month,
                "today": day == today,
                "events": by_day.get(day, []),
            }
            for day in week
        ]
        for week in weeks
    ]
    previous = (datetime(year, month, 1) - timedelta(days=1)).strftime("%Y-%m")  # noqa: DTZ001
    following = (datetime(year, month, 28) + timedelta(days=7)).strftime("%Y-%m")  # noqa: DTZ001
    template = "events/calendar.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "weeks": grid,
            "month_start": first.replace(year=year, month=month, day=1),
            "previous": previous,
            "following": following,
            "form": form,
        },
    )


def _programme(event: Event) -> list[tuple]:
    """[(day, [slot, …]), …] with their sessions, contributors and themes (4 queries)."""
    sessions = Session.objects.prefetch_related("contributors", "themes").order_by(
        "room", "title", "pk"
    )
    slots = list(event.slots.prefetch_related(Prefetch("sessions", queryset=sessions)))
    days: dict = {}
    for slot in slots:
        days.setdefault(slot.day, []).append(slot)
    return list(days.items())


def _linkable(programme, viewer) -> tuple[set[int], set[int]]:
    """The contributors' people and organisations whose page `viewer` may open."""
    people, organisations = set(), set()
    for _day, slots in programme:
        for slot in slots:
            for session in slot.sessions.all():
                for contributor in session.contributors.all():
                    if contributor.person_id:
                        people.add(contributor.person_id)
                    if contributor.organisation_id:
                        organisations.add(contributor.organisation_id)
    if people:
        people = set(
            Person.objects.visible_to(viewer).filter(pk__in=people).values_list("pk", flat=True)
        )
    if organisations:
        organisations = set(
            Organisation.objects.visible_to(viewer)
            .filter(pk__in=organisations)
            .values_list("pk", flat=True)
        )
    return people, organisations


def _event_or_404(request: HttpRequest, pk: int) -> Event:
    return get_object_or_404(Event.objects.visible_to(request.user).for_list(), pk=pk)


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    programme = _programme(event)
    people, organisations = _linkable(programme, request.user)
    registration = None
    seats: dict[int, SessionRegistration] = {}
    if request.user.is_authenticated:
        registration = Registration.objects.filter(
            event=event, user=request.user, status__in=["confirmed", "waiting"]
        ).first()
        seats = {
            seat.session_id: seat
            for seat in SessionRegistration.objects.active().filter(
                user=request.user, session__slot__event=event
            )
        }
    for _day, slots in programme:
        for slot in slots:
            for session in slot.sessions.all():
                session.my_seat = seats.get(session.pk)
    is_facilitator = request.user.has_perm("events.manage")
    counts = event.registrations.aggregate(
        waiting=Count("pk", filter=Q(status="waiting")),
        confirmed=Count("pk", filter=Q(status="confirmed")),
    )
    return render(
        request,
        "events/event.html",
        {
            "event": event,
            "programme": programme,
            "linked_people": people,
            "linked_organisations": organisations,
            "registration": registration,
            "counts": counts,
            # The video link: for confirmed participants and the facilitators only.
            "show_online_link": bool(event.online_url)
            and (is_facilitator or (registration is not None and registration.is_confirmed)),
            "can_register": request.user.has_perm("events.register"),
            "can_manage": is_facilitator,
            "form": RegistrationForm(),
            "jsonld": event_jsonld(event, request),
        },
    )


def programme(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable programme: no menu, no forms (see events/print.css)."""
    event = _event_or_404(request, pk)
    programme = _programme(event)
    return render(request, "events/programme.html", {"event": event, "programme": programme})


@require_perm("events.register")
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.public(), pk=pk)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Votre inscription n'a pas pu être enregistrée."))
        return redirect(event)
    try:
        outcome = services.registration_create(
            event=event,
            user=request.user,
            needs=form.cleaned_data["needs"],
            base_url=_base_url(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(event)
    if outcome.registration.is_confirmed:
        messages.success(request, _("Vous êtes inscrit·e. Un courriel de confirmation suit."))
    else:
        messages.success(
            request,
            _(
                "La rencontre est complète : vous êtes sur la liste d'attente et recevrez un "
                "courriel si une place se libère."
            ),
        )
    return redirect(event)


@require_perm("events.register")
@require_POST
def unregister(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel one's own registration (the signed link does the same from an e-mail)."""
    event = get_object_or_404(Event.objects.public(), pk=pk)
    registration = get_object_or_404(Registration.objects.active(), event=event, user=request.user)
    services.registration_cancel(
        registration=registration, actor=request.user, base_url=_base_url(request)
    )
    messages.success(request, _("Votre inscription est annulée."))
    return redirect(event)


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """Cancellation by the signed link of the e-mail, without logging in. GET asks for
    confirmation (mail scanners follow links); POST cancels."""
    registration = services.registration_from_token(token)
    if registration is None:
        return render(request, "events/cancel.html", {"invalid": True}, status=404)
    if request.method == "POST" and registration.status != RegistrationStatus.CANCELLED:
        services.registration_cancel(
            registration=registration, actor=registration.user, base_url=_base_url(request)
        )
        messages.success(request, _("Votre inscription est annulée."))
        return redirect(registration.event)
    return render(request, "events/cancel.html", {"registration": registration})


@require_perm("events.register")
@require_POST
def session_register(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        Session.objects.select_related("slot__event").exclude(slot__event__status="draft"), pk=pk
    )
    try:
        outcome = services.session_registration_create(
            session=session, user=request.user, base_url=_base_url(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if outcome.registration.is_confirmed:
            messages.success(request, _("Vous êtes inscrit·e à cet atelier."))
        else:
            messages.success(request, _("L'atelier est complet : vous êtes sur liste d'attente."))
    return redirect(session.slot.event)


@require_perm("events.register")
@require_POST
def session_unregister(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Session.objects.select_related("slot__event"), pk=pk)
    seat = get_object_or_404(
        SessionRegistration.objects.active(), session=session, user=request.user
    )
    services.session_registration_cancel(seat=seat, actor=request.user, base_url=_base_url(request))
    messages.success(request, _("Vous n'êtes plus inscrit·e à cet atelier."))
    return redirect(session.slot.event)


# --- Facilitators --------------------------------------------------------------------


@require_perm("events.manage")
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        event = services.event_save(form=form, actor=request.user, base_url=_base_url(request))
        messages.success(request, _("La rencontre est enregistrée ; ajoutez son programme."))
        return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": None})


@require_perm("events.manage")
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        services.event_save(form=form, actor=request.user, base_url=_base_url(request))
        messages.success(request, _("La rencontre est enregistrée."))
        return redirect(event)
    return render(request, "events/event_form.html", {"form": form, "event": event})


def _session_form(request, *, event: Event, session: Session | None) -> HttpResponse:
    form = SessionForm(request.POST or None, instance=session, event=event)
    if request.method == "POST" and form.is_valid():
        services.session_save(
            form=form, event=event, actor=request.user, base_url=_base_url(request)
        )
        messages.success(request, _("Le programme est mis à jour."))
        return redirect(event)
    return render(
        request, "events/session_form.html", {"form": form, "event": event, "session": session}
    )


@require_perm("events.manage")
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_form(request, event=get_object_or_404(Event, pk=pk), session=None)


@require_perm("events.manage")
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(
        Session.objects.select_related("slot__event").prefetch_related("contributors"), pk=pk
    )
    return _session_form(request, event=session.slot.event, session=session)


@require_perm("events.manage")
@require_POST
def session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(Session.objects.select_related("slot__event"), pk=pk)
    event = session.slot.event
    services.session_delete(session=session, actor=request.user)
    messages.success(request, _("La séquence est retirée du programme."))
    return redirect(event)


def _participants(event: Event) -> list[Registration]:
    """Active registrations, confirmed first, each with `.event_seats` (its workshops)."""
    registrations = list(
        event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("user")
        .order_by("status", "queued_at", "pk")
    )
    seats: dict[int, list] = {}
    for seat in (
        SessionRegistration.objects.active()
        .filter(session__slot__event=event)
        .select_related("session")
        .order_by("session__slot__day", "session__slot__starts", "pk")
    ):
        seats.setdefault(seat.user_id, []).append(seat)
    for registration in registrations:
        registration.event_seats = seats.get(registration.user_id, [])
    return registrations


@require_perm("events.view_participants")
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    return render(
        request,
        "events/participants.html",
        {"event": event, "registrations": _participants(event)},
    )


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ would be run as a formula by a spreadsheet.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_perm("events.view_participants")
def participants_csv(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="participants-{event.pk}.csv"'
    response.write("\ufeff")  # so that spreadsheets read the accents right
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Nom"),
            _("Adresse électronique"),
            _("Statut"),
            _("Inscription"),
            _("Besoins particuliers"),
            _("Présence"),
            _("Ateliers"),
        ]
    )
    attended = {True: _("présent·e"), False: _("absent·e"), None: ""}
    for registration in _participants(event):
        writer.writerow(
            [
                _csv_cell(cell)
                for cell in [
                    registration.user.display_name or registration.user.get_short_name(),
                    registration.user.email,
                    registration.get_status_display(),
                    timezone.localtime(registration.created_at).strftime("%d/%m/%Y %H:%M"),
                    registration.needs,
                    attended[registration.attended],
                    ", ".join(
                        f"{seat.session.title} ({seat.get_status_display()})"
                        for seat in registration.event_seats
                    ),
                ]
            ]
        )
    return response


@require_perm("events.view_participants")
@require_POST
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event, pk=pk)
    present = {int(v) for v in request.POST.getlist("present") if v.isdigit() and len(v) < 19}
    count = services.attendance_mark(event=event, present_ids=present, actor=request.user)
    messages.success(request, _("Présences enregistrées : %(n)s.") % {"n": count})
    return redirect("events:participants", pk=event.pk)


# --- iCal feeds ----------------------------------------------------------------------


def _feed(request: HttpRequest, events, *, name: str, filename: str) -> HttpResponse:
    body = ical.calendar_bytes(
        events.prefetch_related("themes").select_related("commune"),
        name=name,
        base_url=_base_url(request),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _feed_events():
    return Event.objects.public().filter(ends_at__gte=timezone.now() - FEED_PAST)


def feed_all(request: HttpRequest) -> HttpResponse:
    from django.conf import settings

    return _feed(request, _feed_events(), name=settings.SITE_NAME, filename="agenda.ics")


def feed_theme(request: HttpRequest, slug: str) -> HttpResponse:
    theme = get_object_or_404(Theme, slug=slug)
    return _feed(
        request,
        _feed_events().with_theme(theme),
        name=theme.name,
        filename=f"agenda-{theme.slug}.ics",
    )


def feed_territory(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    territory = get_object_or_404(Territory, kind=kind, code=code)
    return _feed(
        request,
        _feed_events().in_territory(territory),
        name=territory.name,
        filename=f"agenda-{territory.kind}-{territory.code}.ics",
    )


def feed_event(request: HttpRequest, pk: int) -> HttpResponse:
    events = Event.objects.public().filter(pk=pk)
    event = events.first()
    if event is None:
        raise Http404
    return _feed(request, events, name=event.title, filename=f"rencontre-{event.pk}.ics")
