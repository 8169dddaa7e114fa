"""Pages of the library: the front page and lists, experience sheets, grids and assessments.
Resources and collections (with the PDF booklet) are in `views_library.py`."""

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from maillage.core.documents import render_pdf
from maillage.core.forms import MAX_ID
from maillage.core.permissions import require_perm

from . import services
from .forms import (
    AssessmentForm,
    CollectForm,
    CriterionFormSet,
    GridForm,
    ItemFormSet,
    ResourceFilterForm,
    SheetFilterForm,
    SheetForm,
)
from .models import (
    Collection,
    EvaluationGrid,
    ExperienceSheet,
    Level,
    Origin,
    Outcome,
    Rating,
    Resource,
    SheetItem,
)

PAGE_SIZE = 24


def _pk(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and int(text) <= MAX_ID else None


def _attach_from(request) -> dict:
    """The records a new sheet or resource is attached to, from the links of their pages
    (`?initiative=`, `?rencontre=`, `?groupe=`, `?fiche=`): ids only, the forms check
    that the viewer may see them."""
    attach = {}
    pairs = (
        ("initiative", "initiative"),
        ("rencontre", "event"),
        ("fiche", "sheet"),
        ("groupe", "group"),
    )
    for key, name in pairs:
        pk = _pk(request.GET.get(key))
        if pk:
            attach[name] = pk
    return attach


def _sheet(request, pk: int) -> ExperienceSheet:
    return get_object_or_404(ExperienceSheet.objects.visible_to(request.user), pk=pk)


def _resource(request, pk: int) -> Resource:
    return get_object_or_404(Resource.objects.visible_to(request.user), pk=pk)


def _editable_sheet(request, pk):
    return get_object_or_404(ExperienceSheet, pk=pk)


# --- Lists ------------------------------------------------------------------------


def _filtered(queryset, form, *, date_field_filter):
    # An invalid criterion is shown as an error on the form and ignored; valid ones apply.
    form.is_valid()
    data = form.cleaned_data
    if data.get("q"):
        queryset = queryset.filter(title__icontains=data["q"])
    if data.get("theme"):
        queryset = queryset.with_theme(data["theme"])
    if data.get("territoire"):
        queryset = queryset.in_territory(data["territoire"])
    if data.get("depuis"):
        queryset = date_field_filter(queryset, data["depuis"])
    return queryset


def _list_page(request, queryset, form, **context):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, **context}
    template = "knowledge/list.html#results" if request.htmx else "knowledge/list.html"
    return render(request, template, context)


def home(request: HttpRequest) -> HttpResponse:
    sheets = ExperienceSheet.objects.visible_to(request.user).published()
    counts = dict(sheets.values_list("outcome").annotate(n=Count("pk")).order_by())
    outcomes = [(value, label, counts.get(value, 0)) for value, label in Outcome.choices]
    return render(
        request,
        "knowledge/home.html",
        {
            "outcomes": outcomes,
            "latest_sheets": sheets.for_list()[:6],
            "latest_resources": Resource.objects.visible_to(request.user).for_list()[:6],
            "collections": Collection.objects.all()[:6],
            "grids": EvaluationGrid.objects.filter(is_active=True),
        },
    )


def sheets(request: HttpRequest) -> HttpResponse:
    form = SheetFilterForm(request.GET)
    queryset = _filtered(
        ExperienceSheet.objects.visible_to(request.user),
        form,
        date_field_filter=lambda qs, day: qs.since(day),
    )
    if form.cleaned_data.get("issue"):
        queryset = queryset.with_outcome(form.cleaned_data["issue"])
    return _list_page(
        request,
        queryset.for_list(),
        form,
        title=_lazy("Fiches d'expérience"),
        lead=_lazy(
            "Ce que les membres du réseau ont tenté, ce qui a marché et ce qui n'a pas marché "
            "— et ce qu'ils et elles en ont appris."
        ),
        action_url=reverse("knowledge:sheets"),
        card_template="knowledge/_sheet_card.html",
        create_url=reverse("knowledge:sheet_create"),
        create_label=_lazy("Écrire une fiche"),
    )


def resources(request: HttpRequest) -> HttpResponse:
    form = ResourceFilterForm(request.GET)
    queryset = _filtered(
        Resource.objects.visible_to(request.user),
        form,
        date_field_filter=lambda qs, day: qs.since(day),
    )
    if form.cleaned_data.get("type"):
        queryset = queryset.of_kind(form.cleaned_data["type"])
    if form.cleaned_data.get("licence"):
        queryset = queryset.filter(licence=form.cleaned_data["licence"])
    return _list_page(
        request,
        queryset.for_list(),
        form,
        title=_lazy("Ressources"),
        lead=_lazy(
            "Documents, liens et vidéos partagés par le réseau, chacun avec sa licence : ce "
            "que vous avez le droit d'en faire."
        ),
        action_url=reverse("knowledge:resources"),
        card_template="knowledge/_resource_card.html",
        create_url=reverse("knowledge:resource_create"),
        create_label=_lazy("Partager une ressource"),
    )


# --- Sheets -----------------------------------------------------------------------


def _assessment_table(sheet: ExperienceSheet):
    """Per grid, per criterion: every level given, with its comment, and how many chose
    each level. Never one averaged score."""
    ratings = (
        Rating.objects.filter(assessment__sheet=sheet)
        .select_related("criterion", "assessment__assessor", "assessment__grid")
        .order_by("criterion__position", "criterion__pk", "assessment__created_at")
    )
    grids: dict[int, dict] = {}
    for rating in ratings:
        grid = rating.assessment.grid
        entry = grids.setdefault(grid.pk, {"grid": grid, "criteria": {}, "assessments": {}})
        criterion = entry["criteria"].setdefault(
            rating.criterion.pk, {"criterion": rating.criterion, "ratings": [], "counts": Counter()}
        )
        criterion["ratings"].append(rating)
        criterion["counts"][rating.level] += 1
        entry["assessments"][rating.assessment.pk] = rating.assessment
    tables = []
    for entry in grids.values():
        rows = []
        for criterion in entry["criteria"].values():
            spread = [(label, criterion["counts"].get(value, 0)) for value, label in Level.choices]
            rows.append({**criterion, "spread": spread})
        tables.append(
            {
                "grid": entry["grid"],
                "rows": rows,
                "assessments": list(entry["assessments"].values()),
            }
        )
    return tables


def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(ExperienceSheet.objects.visible_to(request.user).for_page(), pk=pk)
    can_collect = request.user.has_perm("knowledge.manage_collections")
    return render(
        request,
        "knowledge/sheet.html",
        {
            **_print_context(request, record),
            "grids": EvaluationGrid.objects.filter(is_active=True)
            if request.user.has_perm("knowledge.assess_sheet", record)
            else [],
            "collections": record.collections.all(),
            "collect_form": CollectForm() if can_collect and record.is_published else None,
            "can_edit": request.user.has_perm("knowledge.change_sheet", record),
        },
    )


def _item_initial(sheet: ExperienceSheet | None, kind: str) -> list[dict]:
    if sheet is None:
        return []
    return [
        {"text": i.text, "actor_name": i.actor_name, "item": i.pk}
        for i in sheet.items.filter(kind=kind)
    ]


def _items_from(formset, sheet: ExperienceSheet | None) -> list[services.ItemInput]:
    existing = {i.pk: i for i in sheet.items.all()} if sheet else {}
    items = []
    for data in formset.cleaned_data:
        if not data or not (data.get("text") or "").strip():
            continue
        before = existing.get(data.get("item"))
        items.append(
            services.ItemInput(
                text=data["text"],
                actor_name=data.get("actor_name", ""),
                person=before.person if before else None,
                organisation=before.organisation if before else None,
            )
        )
    return items


def _lines(text: str) -> list[dict]:
    """A report's paragraph as one item per non-empty line (list marks dropped)."""
    rows = (line.strip().lstrip("-•*").strip() for line in (text or "").splitlines())
    return [{"text": row} for row in rows if row][:20]


def _sheet_form_page(
    request, record: ExperienceSheet | None, *, draft=None, origin=None, attach=None
):
    """The sheet form: `record` to change one; else a new sheet, prefilled from `draft`
    (an unsaved sheet, e.g. drawn from a group's report) with its `origin`."""
    data = request.POST if request.method == "POST" else None
    prefill = getattr(draft, "prefill", {})
    form = SheetForm(data, instance=record or draft, actor=request.user, attach=attach)
    obstacles = ItemFormSet(
        data,
        prefix="obstacles",
        initial=_item_initial(record, SheetItem.Kind.OBSTACLE) or prefill.get("obstacles", []),
    )
    tips = ItemFormSet(
        data,
        prefix="tips",
        initial=_item_initial(record, SheetItem.Kind.TIP) or prefill.get("tips", []),
    )
    if request.method == "POST" and all([form.is_valid(), obstacles.is_valid(), tips.is_valid()]):
        cleaned = form.cleaned_data
        fields = {
            name: cleaned.get(name)
            for name in services.SHEET_TEXT_FIELDS
            if name in form.fields and name not in ("title", "outcome")
        }
        m2m = {name: cleaned[name] for name in services.SHEET_M2M if name in form.fields}
        try:
            if record is None:
                record = services.sheet_create(
                    actor=request.user,
                    origin=origin or Origin.MEMBER,
                    title=cleaned["title"],
                    outcome=cleaned["outcome"],
                    obstacles=_items_from(obstacles, None),
                    tips=_items_from(tips, None),
                    publish="publish" in request.POST,
                    **m2m,
                    **fields,
                )
            else:
                services.sheet_update(
                    sheet=record,
                    actor=request.user,
                    title=cleaned["title"],
                    outcome=cleaned["outcome"],
                    obstacles=_items_from(obstacles, record),
                    tips=_items_from(tips, record),
                    m2m=m2m,
                    **fields,
                )
                if "publish" in request.POST:
                    services.sheet_publish(sheet=record, actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if record.is_published:
                messages.success(request, _("La fiche est publiée."))
            else:
                messages.success(
                    request,
                    _("Brouillon enregistré : vous seul·e et l'équipe d'animation le voyez."),
                )
            return redirect(record)
    return render(
        request,
        "knowledge/sheet_form.html",
        {
            "form": form,
            "obstacles": obstacles,
            "tips": tips,
            "record": record,
            "title": _("Modifier la fiche") if record else _("Écrire une fiche d'expérience"),
        },
    )


@require_perm("knowledge.add_sheet")
@require_http_methods(["GET", "HEAD", "POST"])
def sheet_create(request: HttpRequest) -> HttpResponse:
    return _sheet_form_page(request, None, attach=_attach_from(request))


@require_perm("knowledge.add_sheet")
@require_http_methods(["GET", "HEAD", "POST"])
def sheet_from_group(request: HttpRequest, group_pk: int) -> HttpResponse:
    """A new sheet drawn from a group's report: its question as the context, its findings
    as what was done, its points of vigilance as obstacles and its proposals as tips."""
    from maillage.forums.models import Group, Report

    group = get_object_or_404(
        Group.objects.visible_to(request.user).select_related("event"), pk=group_pk
    )
    report = Report.objects.filter(group=group).first()
    draft = ExperienceSheet(
        title=group.title[:200],
        context=(report.question if report else "") or group.question,
        actions=report.findings if report else "",
        group=group,
        event=group.event,
        source=_("Compte rendu du groupe « %(group)s »") % {"group": group.title[:200]},
    )
    draft.prefill = {
        "obstacles": _lines(report.vigilance) if report else [],
        "tips": _lines(report.proposals) if report else [],
    }
    return _sheet_form_page(request, None, draft=draft, origin=Origin.GROUP_REPORT)


@require_perm("knowledge.change_sheet", lambda request, pk: _editable_sheet(request, pk))
@require_http_methods(["GET", "HEAD", "POST"])
def sheet_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _sheet_form_page(request, get_object_or_404(ExperienceSheet, pk=pk))


@require_POST
@require_perm("knowledge.change_sheet", lambda request, pk: _editable_sheet(request, pk))
def sheet_publish(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(ExperienceSheet, pk=pk)
    if request.POST.get("action") == "unpublish":
        services.sheet_unpublish(sheet=record, actor=request.user)
        messages.success(request, _("La fiche est redevenue un brouillon."))
    else:
        services.sheet_publish(sheet=record, actor=request.user)
        messages.success(request, _("La fiche est publiée."))
    return redirect(record)


def _print_context(request, record):
    return {
        "sheet": record,
        "resources": Resource.objects.visible_to(request.user).filter(sheet=record),
        "assessments": _assessment_table(record),
        **_context_of(request, record),
    }


def _context_of(request, record: ExperienceSheet) -> dict:
    """The sheet's context as this reader may see it: people whose profile they may see,
    published organisations and initiative, and who said each obstacle and tip."""
    viewer = request.user

    def shown(actor):
        if actor is None:
            return None
        if hasattr(actor, "is_visible_to"):
            return actor if actor.is_visible_to(viewer) else None
        return actor if getattr(actor, "is_published", True) else None

    items = []
    for item in record.items.all():
        item.shown_actor = shown(item.organisation) or shown(item.person) or item.actor_name
        items.append(item)
    initiative = record.initiative
    if initiative and not (initiative.is_published or viewer.has_perm("directory.moderate")):
        initiative = None
    event = (
        record.event
        if record.event
        and (record.event.status != "draft" or getattr(viewer, "is_facilitator", False))
        else None
    )
    group = (
        record.group
        if record.group
        and (record.group.event.status != "draft" or getattr(viewer, "is_facilitator", False))
        else None
    )
    return {
        "group": group,
        "people": [p for p in record.people.all() if p.is_visible_to(viewer)],
        "organisations": [o for o in record.organisations.all() if o.is_published],
        "contact": shown(record.contact_person),
        "obstacles": [i for i in items if i.kind == SheetItem.Kind.OBSTACLE],
        "tips": [i for i in items if i.kind == SheetItem.Kind.TIP],
        "initiative": initiative,
        "event": event,
    }


def sheet_print(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(ExperienceSheet.objects.visible_to(request.user).for_page(), pk=pk)
    return render(request, "knowledge/sheet_print.html", _print_context(request, record))


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = (slugify(name)[:80] or "document") + ".pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(ExperienceSheet.objects.visible_to(request.user).for_page(), pk=pk)
    context = {"booklet": None, "entries": [_print_context(request, record)]}
    pdf = render_pdf("knowledge/pdf.html", context, request=request)
    return _pdf_response(pdf, record.title)


@require_http_methods(["GET", "HEAD", "POST"])
def sheet_assess(request: HttpRequest, pk: int, grid_pk: int) -> HttpResponse:
    record = _sheet(request, pk)
    grid = get_object_or_404(EvaluationGrid.objects.filter(is_active=True), pk=grid_pk)
    if not request.user.has_perm("knowledge.assess_sheet", record):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    mine = record.assessments.filter(grid=grid, assessor=request.user).first()
    initial = {}
    if mine:
        initial["comment"] = mine.comment
        for rating in mine.ratings.all():
            initial[f"level_{rating.criterion_id}"] = rating.level
            initial[f"comment_{rating.criterion_id}"] = rating.comment
    form = AssessmentForm(request.POST or None, grid=grid, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_save(
                sheet=record,
                grid=grid,
                assessor=request.user,
                ratings=form.ratings(),
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Merci : votre évaluation est enregistrée."))
            return redirect(f"{record.get_absolute_url()}#evaluations")
    return render(request, "knowledge/assess.html", {"sheet": record, "grid": grid, "form": form})


# --- Grids ------------------------------------------------------------------------


def grids(request: HttpRequest) -> HttpResponse:
    queryset = EvaluationGrid.objects.prefetch_related("criteria").annotate(
        assessment_count=Count("assessments")
    )
    if not request.user.has_perm("knowledge.manage_grids"):
        queryset = queryset.filter(is_active=True)
    return render(
        request,
        "knowledge/grids.html",
        {"grids": queryset, "can_manage": request.user.has_perm("knowledge.manage_grids")},
    )


def grid(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(EvaluationGrid.objects.prefetch_related("criteria"), pk=pk)
    visible = ExperienceSheet.objects.visible_to(request.user)
    assessed = visible.filter(assessments__grid=record).distinct().for_list()
    return render(
        request,
        "knowledge/grid.html",
        {
            "grid": record,
            "assessed": assessed[:50],
            "can_manage": request.user.has_perm("knowledge.manage_grids"),
        },
    )


def _grid_form_page(request, record: EvaluationGrid | None):
    data = request.POST if request.method == "POST" else None
    initial = {"defined_by_name": request.user.get_short_name()}
    if record:
        initial = {
            "name": record.name,
            "description": record.description,
            "defined_by_name": record.defined_by_name,
            "is_active": record.is_active,
        }
    form = GridForm(data, initial=initial)
    criteria = CriterionFormSet(
        data,
        prefix="criteria",
        initial=[{"name": c.name, "description": c.description} for c in record.criteria.all()]
        if record
        else [],
    )
    if request.method == "POST" and form.is_valid() and criteria.is_valid():
        rows = [(d.get("name", ""), d.get("description", "")) for d in criteria.cleaned_data if d]
        try:
            record = services.grid_save(
                actor=request.user, grid=record, criteria=rows, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La grille est enregistrée."))
            return redirect(record)
    return render(
        request,
        "knowledge/grid_form.html",
        {"form": form, "criteria": criteria, "record": record},
    )


@require_perm("knowledge.manage_grids")
@require_http_methods(["GET", "HEAD", "POST"])
def grid_create(request: HttpRequest) -> HttpResponse:
    return _grid_form_page(request, None)


@require_perm("knowledge.manage_grids")
@require_http_methods(["GET", "HEAD", "POST"])
def grid_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _grid_form_page(request, get_object_or_404(EvaluationGrid, pk=pk))
