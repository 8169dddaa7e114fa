"""Pages of open forums and working groups: an event's topics and grid, a group and its
report (with history), follow-ups, and the working group's meeting, board and documents.

Every page works without JavaScript; the grid and the task board answer htmx requests
with their fragment (`#board`), so that moving a card or placing a topic does not reload
the page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maillage.events.models import Event

from . import history, services
from .forms import (
    DocumentForm,
    FollowUpForm,
    JoinForm,
    MeetingForm,
    MergeForm,
    MoveForm,
    RejectForm,
    ReportForm,
    RoomForm,
    ScheduleForm,
    SlotForm,
    TaskForm,
    TopicForm,
)
from .models import (
    FollowUp,
    Group,
    GroupDocument,
    Report,
    Room,
    Task,
    TaskStatus,
    Topic,
    TopicStatus,
)

PAGE_SIZE = 30


def _event(request: HttpRequest, pk: int) -> Event:
    return get_object_or_404(Event.objects.visible_to(request.user), pk=pk)


def _group(request: HttpRequest, pk: int) -> Group:
    return get_object_or_404(
        Group.objects.visible_to(request.user).select_related(
            "event", "topic__room", "topic__slot"
        ),
        pk=pk,
    )


def _posted(request: HttpRequest):
    """The POST data of a form submission (even an empty one), else None (unbound)."""
    return request.POST if request.method == "POST" else None


def _deny(request: HttpRequest):
    from django.contrib.auth.views import redirect_to_login

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _check(request: HttpRequest, perm: str, obj=None):
    """None if `request.user` has `perm`, else the log-in redirect (or a 403)."""
    if request.user.has_perm(perm, obj):
        return None
    return _deny(request)


# --- Lists ---------------------------------------------------------------------------


def working_groups(request: HttpRequest) -> HttpResponse:
    """The living working groups of the network (the "Agir" pillar)."""
    groups = Group.objects.visible_to(request.user).working().for_working_list()
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "forums/working_groups.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"page": page})


def event_forum(request: HttpRequest, pk: int) -> HttpResponse:
    """An event's proposed topics and groups, with the form to propose one."""
    event = _event(request, pk)
    topics = list(Topic.objects.filter(event=event).for_list().order_by("status", "created_at"))
    groups = list(
        Group.objects.filter(event=event)
        .select_related("topic__room", "topic__slot", "report")
        .with_counts()
    )
    return render(
        request,
        "forums/event_forum.html",
        {
            "event": event,
            "topics": [t for t in topics if t.status == TopicStatus.PROPOSED],
            "set_aside": [
                t for t in topics if t.status in (TopicStatus.MERGED, TopicStatus.REJECTED)
            ],
            "groups": groups,
            "form": TopicForm(),
            "accepts_topics": services.accepts_topics(event),
            "can_propose": request.user.has_perm("forums.propose_topic", event),
            "show_people": request.user.has_perm("forums.view_people"),
            "can_arrange": request.user.has_perm("forums.arrange", event),
        },
    )


@require_http_methods(["GET", "POST"])
def topic_propose(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    if denied := _check(request, "forums.propose_topic", event):
        return denied
    form = TopicForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_propose(event=event, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Merci ! Votre sujet est proposé."))
            return redirect("forums:event_forum", pk=event.pk)
    return render(
        request,
        "forums/topic_form.html",
        {"event": event, "form": form, "accepts_topics": services.accepts_topics(event)},
    )


# --- The grid (facilitators and organisers) ------------------------------------------


def _grid_context(event: Event, *, forms_for=None) -> dict:
    rooms = list(event.forum_rooms.all())
    slots = list(event.slots.all())
    topics = list(Topic.objects.filter(event=event).open().for_list().order_by("title", "pk"))
    cells = {(t.room_id, t.slot_id): t for t in topics if t.room_id and t.slot_id}
    rows = [(slot, [(room, cells.get((room.pk, slot.pk))) for room in rooms]) for slot in slots]
    forms_for = forms_for or {}
    for topic in topics:
        initial = (
            {"cell": f"{topic.room_id}:{topic.slot_id}"} if topic.room_id and topic.slot_id else {}
        )
        topic.schedule_form = forms_for.get(topic.pk) or ScheduleForm(
            initial=initial, rooms=rooms, slots=slots, prefix=f"t{topic.pk}"
        )
        topic.merge_form = MergeForm(topic=topic, prefix=f"m{topic.pk}")
        topic.merge_form.fields["into"].choices = [("", "—")] + [
            (other.pk, other.title) for other in topics if other.pk != topic.pk
        ]
    return {
        "event": event,
        "rooms": rooms,
        "slots": slots,
        "rows": rows,
        "topics": topics,
        "unplaced": [t for t in topics if not (t.room_id and t.slot_id)],
        "room_form": RoomForm(),
        "slot_form": SlotForm(event=event),
        "reject_form": RejectForm(),
    }


def _grid_response(request: HttpRequest, event: Event, *, status: int = 200, **extra):
    template = "forums/grid.html"
    if request.htmx:
        template += "#board"
    context = _grid_context(event, forms_for=extra.pop("forms_for", None))
    context.update(extra)
    return render(request, template, context, status=status)


def grid(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    if denied := _check(request, "forums.arrange", event):
        return denied
    return _grid_response(request, event)


def _grid_done(request: HttpRequest, event: Event, message: str) -> HttpResponse:
    messages.success(request, message)
    if request.htmx:
        return _grid_response(request, event)
    return redirect("forums:grid", pk=event.pk)


def _grid_error(request: HttpRequest, event: Event, error) -> HttpResponse:
    text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
    messages.error(request, text)
    if request.htmx:
        return _grid_response(request, event)
    return redirect("forums:grid", pk=event.pk)


@require_POST
def topic_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.select_related("event"), pk=pk)
    event = topic.event
    if denied := _check(request, "forums.arrange", event):
        return denied
    form = ScheduleForm(
        request.POST, rooms=event.forum_rooms.all(), slots=event.slots.all(), prefix=f"t{topic.pk}"
    )
    if not form.is_valid():
        return _grid_error(request, event, ValidationError(_("Choisissez une case de la grille.")))
    room, slot = form.cleaned_data["cell"]
    try:
        group = services.topic_schedule(topic=topic, room=room, slot=slot, actor=request.user)
    except ValidationError as error:
        return _grid_error(request, event, error)
    return _grid_done(
        request,
        event,
        _("« %(title)s » est le groupe n° %(number)s.")
        % {"title": topic.title, "number": group.number},
    )


@require_POST
def topic_reject(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.select_related("event"), pk=pk)
    if denied := _check(request, "forums.arrange", topic.event):
        return denied
    form = RejectForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.topic_reject(topic=topic, actor=request.user, reason=reason)
    except ValidationError as error:
        return _grid_error(request, topic.event, error)
    return _grid_done(request, topic.event, _("Le sujet est mis de côté."))


@require_POST
def topic_merge(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(Topic.objects.select_related("event"), pk=pk)
    if denied := _check(request, "forums.arrange", topic.event):
        return denied
    form = MergeForm(request.POST, topic=topic, prefix=f"m{topic.pk}")
    if not form.is_valid():
        return _grid_error(
            request, topic.event, ValidationError(_("Choisissez le sujet avec lequel fusionner."))
        )
    try:
        services.topic_merge(topic=topic, into=form.cleaned_data["into"], actor=request.user)
    except ValidationError as error:
        return _grid_error(request, topic.event, error)
    return _grid_done(request, topic.event, _("Les sujets sont fusionnés."))


@require_POST
def room_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    if denied := _check(request, "forums.arrange", event):
        return denied
    form = RoomForm(request.POST)
    if not form.is_valid():
        return _grid_error(request, event, ValidationError(_("Donnez un nom à la salle.")))
    try:
        services.room_add(event=event, name=form.cleaned_data["name"], actor=request.user)
    except ValidationError:
        return _grid_error(request, event, ValidationError(_("Cette salle existe déjà.")))
    return _grid_done(request, event, _("La salle est ajoutée."))


@require_POST
def room_delete(request: HttpRequest, pk: int) -> HttpResponse:
    room = get_object_or_404(Room.objects.select_related("event"), pk=pk)
    if denied := _check(request, "forums.arrange", room.event):
        return denied
    services.room_delete(room=room, actor=request.user)
    return _grid_done(request, room.event, _("La salle est retirée de la grille."))


@require_POST
def slot_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    if denied := _check(request, "forums.arrange", event):
        return denied
    form = SlotForm(request.POST, event=event)
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        return _grid_error(request, event, ValidationError(" ".join(errors)))
    try:
        services.slot_add(event=event, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        return _grid_error(request, event, error)
    return _grid_done(request, event, _("Le créneau est ajouté au programme."))


# --- A group and its report ----------------------------------------------------------


def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    user = request.user
    members = list(group.members.select_related("user"))
    followups = list(group.followups.for_list())
    my_membership = next((m for m in members if m.user_id == user.pk), None)
    my_followup = next((f for f in followups if f.user_id == user.pk), None)
    report = Report.objects.filter(group=group).select_related("updated_by").first()
    can_see_contacts = user.has_perm("forums.see_contacts", group)
    return render(
        request,
        "forums/group.html",
        {
            "group": group,
            "event": group.event,
            "report": report,
            "report_sections": history.sections(report) if report and report.version else [],
            "carriers": [m for m in members if m.is_carrier],
            "participants": [m for m in members if not m.is_carrier],
            "member_count": len(members),
            "followups": followups,
            "imported_followup_count": group.imported_followups.count(),
            "my_membership": my_membership,
            "my_followup": my_followup,
            "show_people": user.has_perm("forums.view_people"),
            "can_join": user.has_perm("forums.join", group),
            "can_edit_report": user.has_perm("forums.edit_report", group),
            "can_follow": user.has_perm("forums.follow_up", group),
            "can_work": user.has_perm("forums.work", group),
            "can_see_contacts": can_see_contacts,
            "join_form": JoinForm(),
        },
    )


@require_POST
def group_join(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    if denied := _check(request, "forums.join", group):
        return denied
    form = JoinForm(request.POST)
    carrier = form.is_valid() and form.cleaned_data["carrier"]
    services.group_join(group=group, user=request.user, carrier=carrier)
    messages.success(request, _("Vous avez rejoint le groupe."))
    return redirect(group)


@require_POST
def group_leave(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    if denied := _check(request, "forums.join", group):
        return denied
    services.group_leave(group=group, user=request.user)
    messages.success(request, _("Vous avez quitté le groupe."))
    return redirect(group)


@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    if denied := _check(request, "forums.edit_report", group):
        return denied
    report = services.report_for(group)
    stale = None
    if request.method == "POST":
        form = ReportForm(request.POST, instance=Report(group=group))
        if form.is_valid():
            try:
                services.report_save(
                    group=group,
                    actor=request.user,
                    data=form.cleaned_data,
                    base_version=form.cleaned_data["version"],
                )
            except services.StaleReport as conflict:
                stale = conflict.current
                # Keep what was typed; the next save is made knowingly over the newer one.
                data = request.POST.copy()
                data["version"] = str(stale.version)
                form = ReportForm(data, instance=Report(group=group))
                form.is_valid()
            else:
                messages.success(request, _("Le compte rendu est enregistré."))
                return redirect(group)
    else:
        form = ReportForm(instance=report, initial={"version": report.version})
    return render(
        request,
        "forums/report_form.html",
        {
            "group": group,
            "event": group.event,
            "form": form,
            "stale": stale,
            "stale_changes": history.compare(stale.content(), form.cleaned_data)
            if stale is not None
            else [],
        },
        status=409 if stale is not None else 200,
    )


def report_history(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    if denied := _check(request, "forums.view_people", group):
        return denied
    report = Report.objects.filter(group=group).first()
    revisions = list(report.revisions.select_related("author")) if report else []
    history.annotate_changes(revisions)
    return render(
        request,
        "forums/report_history.html",
        {
            "group": group,
            "event": group.event,
            "revisions": revisions,
            "can_edit_report": request.user.has_perm("forums.edit_report", group),
        },
    )


def report_revision(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    group = _group(request, pk)
    if denied := _check(request, "forums.view_people", group):
        return denied
    report = get_object_or_404(Report, group=group)
    revision = get_object_or_404(report.revisions.select_related("author"), number=number)
    previous = report.revisions.filter(number__lt=number).order_by("-number").first()
    return render(
        request,
        "forums/report_revision.html",
        {
            "group": group,
            "event": group.event,
            "report": report,
            "revision": revision,
            "previous": previous,
            "changes": history.compare(previous.content if previous else {}, revision.content),
            "can_edit_report": request.user.has_perm("forums.edit_report", group),
        },
    )


@require_POST
def report_restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    group = _group(request, pk)
    if denied := _check(request, "forums.edit_report", group):
        return denied
    try:
        report = services.report_restore(group=group, actor=request.user, number=number)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("forums:report_history", pk=group.pk)
    messages.success(
        request,
        _("La version %(old)s est rétablie : c'est maintenant la version %(new)s.")
        % {"old": number, "new": report.version},
    )
    return redirect("forums:report_history", pk=group.pk)


# --- Follow-ups ----------------------------------------------------------------------


def _has_phone(user) -> bool:
    person = getattr(user, "person", None)
    return bool(person and person.phone)


@require_http_methods(["GET", "POST"])
def followup(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    if denied := _check(request, "forums.follow_up", group):
        return denied
    existing = FollowUp.objects.filter(group=group, user=request.user).first()
    has_phone = _has_phone(request.user)
    initial = (
        {
            "share_email": existing.share_email,
            "share_phone": existing.share_phone,
            "message": existing.message,
        }
        if existing
        else {}
    )
    form = FollowUpForm(_posted(request), initial=initial, has_phone=has_phone)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_signup(
                group=group,
                user=request.user,
                share_email=form.cleaned_data["share_email"],
                share_phone=has_phone and form.cleaned_data["share_phone"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Merci ! Vous suivez ce groupe de travail."))
            return redirect("forums:working_group", pk=group.pk)
    return render(
        request,
        "forums/followup_form.html",
        {"group": group, "event": group.event, "form": form, "existing": existing},
    )


@require_POST
def followup_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    if denied := _check(request, "forums.follow_up", group):
        return denied
    services.followup_cancel(group=group, user=request.user)
    messages.success(request, _("Vous ne suivez plus ce groupe ; vos coordonnées n'y sont plus."))
    return redirect(group)


# --- The working group ---------------------------------------------------------------


def _board(group: Group) -> list[tuple]:
    tasks = list(group.tasks.for_board())
    return [
        (value, label, [t for t in tasks if t.status == value])
        for value, label in TaskStatus.choices
    ]


def _working_group_response(request: HttpRequest, group: Group, **extra) -> HttpResponse:
    user = request.user
    can_work = user.has_perm("forums.work", group)
    can_see_contacts = user.has_perm("forums.see_contacts", group)
    followups = list(group.followups.for_list())
    for followup in followups:
        followup.contacts = followup.shared_contacts() if can_see_contacts else {}
    board = _board(group)
    if can_work:
        for _value, _label, tasks in board:
            for task in tasks:
                task.moves = [(v, lbl) for v, lbl in TaskStatus.choices if v != task.status]
    context = {
        "group": group,
        "event": group.event,
        "followups": followups,
        "board": board,
        "documents": list(group.documents.select_related("added_by")),
        "can_work": can_work,
        "can_see_contacts": can_see_contacts,
        "can_close": user.has_perm("forums.close", group),
        "is_follower": any(f.user_id == user.pk for f in followups),
        "task_form": TaskForm(group=group),
        "statuses": TaskStatus,
    }
    status = extra.pop("status", 200)
    context.update(extra)
    template = "forums/working_group.html"
    if request.htmx and request.headers.get("HX-Target") == "board":
        template += "#board"
    return render(request, template, context, status=status)


def working_group(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    if denied := _check(request, "forums.view_people", group):
        return denied
    if group.working_since is None:
        raise Http404
    return _working_group_response(request, group)


def _workable(request: HttpRequest, pk: int) -> tuple[Group | None, HttpResponse | None]:
    group = _group(request, pk)
    if denied := _check(request, "forums.work", group):
        return None, denied
    return group, None


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group, denied = _workable(request, pk)
    if denied:
        return denied
    initial = {
        "at": group.next_meeting_at,
        "place": group.next_meeting_place,
        "url": group.next_meeting_url,
        "purpose": group.purpose,
    }
    form = MeetingForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.group_meeting_save(group=group, actor=request.user, **form.cleaned_data)
        messages.success(request, _("La prochaine réunion est enregistrée."))
        return redirect("forums:working_group", pk=group.pk)
    return render(request, "forums/meeting_form.html", {"group": group, "form": form})


def _back_to_board(request: HttpRequest, group: Group) -> HttpResponse:
    if request.htmx:
        return _working_group_response(request, group)
    return redirect(reverse("forums:working_group", args=[group.pk]) + "#taches")


@require_POST
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    group, denied = _workable(request, pk)
    if denied:
        return denied
    form = TaskForm(request.POST, group=group)
    if form.is_valid():
        try:
            services.task_create(group=group, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        # Show the form again with its errors and what was typed.
        return _working_group_response(request, group, task_form=form, status=400)
    messages.success(request, _("La tâche est ajoutée."))
    return _back_to_board(request, group)


def _task(request: HttpRequest, pk: int) -> tuple[Task | None, HttpResponse | None]:
    task = get_object_or_404(
        Task.objects.select_related("group__event").filter(
            group__in=Group.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    if denied := _check(request, "forums.work", task.group):
        return None, denied
    return task, None


@require_POST
def task_move(request: HttpRequest, pk: int) -> HttpResponse:
    task, denied = _task(request, pk)
    if denied:
        return denied
    form = MoveForm(request.POST)
    if form.is_valid():
        services.task_move(task=task, status=form.cleaned_data["status"], actor=request.user)
    else:
        messages.error(request, _("Colonne inconnue."))
    return _back_to_board(request, task.group)


@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task, denied = _task(request, pk)
    if denied:
        return denied
    initial = {"title": task.title, "owner": task.owner_id, "due_on": task.due_on}
    form = TaskForm(_posted(request), initial=initial, group=task.group)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_update(task=task, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La tâche est enregistrée."))
            return _back_to_board(request, task.group)
    return render(
        request, "forums/task_form.html", {"group": task.group, "task": task, "form": form}
    )


@require_POST
def task_delete(request: HttpRequest, pk: int) -> HttpResponse:
    task, denied = _task(request, pk)
    if denied:
        return denied
    group = task.group
    services.task_delete(task=task, actor=request.user)
    messages.success(request, _("La tâche est supprimée."))
    return _back_to_board(request, group)


@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    group, denied = _workable(request, pk)
    if denied:
        return denied
    form = DocumentForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(group=group, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Le document est ajouté."))
            return redirect(reverse("forums:working_group", args=[group.pk]) + "#documents")
    return render(request, "forums/document_form.html", {"group": group, "form": form})


def _document(request: HttpRequest, pk: int) -> GroupDocument:
    return get_object_or_404(
        GroupDocument.objects.select_related("group__event").filter(
            group__in=Group.objects.visible_to(request.user)
        ),
        pk=pk,
    )


def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """Files are served through this view (not /media/), after the permission check."""
    document = _document(request, pk)
    if denied := _check(request, "forums.view_people", document.group):
        return denied
    if document.is_link:
        return redirect(document.url)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    name = document.file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


@require_POST
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    if denied := _check(request, "forums.work", document.group):
        return denied
    group = document.group
    services.document_delete(document=document, actor=request.user)
    messages.success(request, _("Le document est retiré."))
    return redirect(reverse("forums:working_group", args=[group.pk]) + "#documents")


@require_POST
def group_close(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    if denied := _check(request, "forums.close", group):
        return denied
    reopen = request.POST.get("reopen") == "1"
    services.group_close(group=group, actor=request.user, reopen=reopen)
    if reopen:
        messages.success(request, _("Le groupe de travail est rouvert."))
    else:
        messages.success(request, _("Le groupe de travail est clos ; son compte rendu reste."))
    return redirect(group)
