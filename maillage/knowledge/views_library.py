"""Pages of the library's resources (documents, links, videos) and collections (with
their PDF booklet). Sheets, grids and the lists are in `views.py`."""

from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from maillage.core.documents import render_pdf
from maillage.core.permissions import require_perm

from . import services
from .embeds import video_embed
from .forms import CollectForm, CollectionForm, ResourceForm
from .models import Collection, ExperienceSheet, Resource
from .views import (
    PAGE_SIZE,
    _assessment_table,
    _attach_from,
    _context_of,
    _pdf_response,
    _pk,
    _resource,
    _sheet,
)

# --- Resources --------------------------------------------------------------------


def resource(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(
        Resource.objects.visible_to(request.user)
        .select_related("initiative", "event", "sheet", "group__event", "created_by")
        .for_list(),
        pk=pk,
    )
    embed = video_embed(record.url) if record.kind == Resource.Kind.VIDEO else None
    visible_sheets = ExperienceSheet.objects.visible_to(request.user)
    response = render(
        request,
        "knowledge/resource.html",
        {
            "resource": record,
            "embed": embed,
            "sheet_visible": record.sheet_id and visible_sheets.filter(pk=record.sheet_id).exists(),
            "group_visible": record.group_id
            and (
                record.group.event.status != "draft"
                or request.user.has_perm("knowledge.manage_collections")
            ),
            "collections": record.collections.all(),
            "collect_form": CollectForm()
            if request.user.has_perm("knowledge.manage_collections")
            else None,
            "can_edit": request.user.has_perm("knowledge.change_resource", record),
        },
    )
    if embed:
        # Frame only this video's player, on this page only.
        policy = {name: list(values) for name, values in settings.SECURE_CSP.items()}
        policy["frame-src"] = [embed.origin]
        response._csp_config = policy
    return response


def resource_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file, from the media storage, as an attachment: only after the visibility
    check (files are stored under random names and never linked to directly)."""
    record = _resource(request, pk)
    if record.kind != Resource.Kind.DOCUMENT or not record.file:
        raise Http404
    try:
        handle = record.file.storage.open(record.file.name, "rb")
    except OSError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=record.file_name or "document",
        content_type=record.content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _resource_form_page(request, record: Resource | None):
    form = ResourceForm(
        request.POST or None,
        request.FILES or None,
        instance=record,
        actor=request.user,
        attach=_attach_from(request) if record is None else {},
        initial={"published_on": timezone.localdate()} if record is None else None,
    )
    if request.method == "POST" and form.is_valid():
        resource = form.save(commit=False)
        resource.embed_url = form.embed.url if form.embed else ""
        if resource.kind == Resource.Kind.DOCUMENT:
            resource.url = ""
        try:
            resource = services.resource_save(
                resource=resource,
                actor=request.user,
                checked=getattr(form, "checked", None),
                themes=form.cleaned_data["themes"],
                territories=form.cleaned_data["territories"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La ressource est enregistrée."))
            return redirect(resource)
    return render(
        request,
        "knowledge/resource_form.html",
        {
            "form": form,
            "record": record,
            "title": _("Modifier la ressource") if record else _("Partager une ressource"),
        },
    )


@require_perm("knowledge.add_resource")
@require_http_methods(["GET", "HEAD", "POST"])
def resource_create(request: HttpRequest) -> HttpResponse:
    return _resource_form_page(request, None)


@require_perm("knowledge.change_resource", lambda request, pk: get_object_or_404(Resource, pk=pk))
@require_http_methods(["GET", "HEAD", "POST"])
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _resource_form_page(request, get_object_or_404(Resource, pk=pk))


@require_POST
@require_perm("knowledge.change_resource", lambda request, pk: get_object_or_404(Resource, pk=pk))
def resource_delete(request: HttpRequest, pk: int) -> HttpResponse:
    services.resource_delete(resource=get_object_or_404(Resource, pk=pk), actor=request.user)
    messages.success(request, _("La ressource est supprimée."))
    return redirect("knowledge:resources")


# --- Collections ------------------------------------------------------------------


def _collection_sheets(request, collection: Collection) -> list[ExperienceSheet]:
    """The sheets of a collection that the reader may see, in the curator's order."""
    return list(
        ExperienceSheet.objects.visible_to(request.user)
        .filter(collectionsheet__collection=collection)
        .order_by("collectionsheet__position", "collectionsheet__pk")
        .for_page()
    )


def collections(request: HttpRequest) -> HttpResponse:
    visible = ExperienceSheet.objects.visible_to(request.user)
    queryset = (
        Collection.objects.select_related("curated_by")
        .annotate(sheet_count=Count("sheets", filter=Q(sheets__in=visible), distinct=True))
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "knowledge/collections.html",
        {"page": page, "can_manage": request.user.has_perm("knowledge.manage_collections")},
    )


def collection(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Collection.objects.select_related("curated_by"), pk=pk)
    return render(
        request,
        "knowledge/collection.html",
        {
            "collection": record,
            "sheets": _collection_sheets(request, record),
            "resources": Resource.objects.visible_to(request.user)
            .filter(collections=record)
            .for_list(),
            "can_manage": request.user.has_perm("knowledge.manage_collections"),
        },
    )


def _collection_form_page(request, record: Collection | None):
    form = CollectionForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        collection = form.save(commit=False)
        if record is None:
            collection.curated_by = request.user
        collection.save()
        messages.success(request, _("La collection est enregistrée."))
        return redirect(collection)
    return render(request, "knowledge/collection_form.html", {"form": form, "record": record})


@require_perm("knowledge.manage_collections")
@require_http_methods(["GET", "HEAD", "POST"])
def collection_create(request: HttpRequest) -> HttpResponse:
    return _collection_form_page(request, None)


@require_perm("knowledge.manage_collections")
@require_http_methods(["GET", "HEAD", "POST"])
def collection_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _collection_form_page(request, get_object_or_404(Collection, pk=pk))


@require_POST
@require_perm("knowledge.manage_collections")
def sheet_collect(request: HttpRequest, pk: int) -> HttpResponse:
    record = _sheet(request, pk)
    form = CollectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une collection."))
        return redirect(record)
    collection = form.cleaned_data["collection"]
    try:
        added = services.collection_add_sheet(
            collection=collection, sheet=record, actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(record)
    if added:
        messages.success(request, _("La fiche est ajoutée à « %(c)s ».") % {"c": collection})
    else:
        messages.info(request, _("La fiche était déjà dans « %(c)s ».") % {"c": collection})
    return redirect(collection)


@require_POST
@require_perm("knowledge.manage_collections")
def resource_collect(request: HttpRequest, pk: int) -> HttpResponse:
    record = _resource(request, pk)
    form = CollectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une collection."))
        return redirect(record)
    collection = form.cleaned_data["collection"]
    collection.resources.add(record)
    collection.save(update_fields=["updated_at"])
    messages.success(request, _("La ressource est ajoutée à « %(c)s ».") % {"c": collection})
    return redirect(collection)


@require_POST
@require_perm("knowledge.manage_collections")
def collection_remove(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Collection, pk=pk)
    sheet_pk, resource_pk = _pk(request.POST.get("fiche")), _pk(request.POST.get("ressource"))
    if sheet_pk:
        sheet = get_object_or_404(ExperienceSheet, pk=sheet_pk)
        services.collection_remove_sheet(collection=record, sheet=sheet, actor=request.user)
    elif resource_pk:
        record.resources.remove(get_object_or_404(Resource, pk=resource_pk))
    else:
        messages.error(request, _("Rien à retirer."))
    return redirect(record)


def collection_booklet(request: HttpRequest, pk: int) -> HttpResponse:
    """The collection as a PDF booklet: its presentation, then every sheet the reader may
    see, each with its assessments and its resources (and their licences)."""
    record = get_object_or_404(Collection.objects.select_related("curated_by"), pk=pk)
    sheets = _collection_sheets(request, record)
    visible_resources = Resource.objects.visible_to(request.user)
    by_sheet = defaultdict(list)
    for item in visible_resources.filter(sheet__in=[s.pk for s in sheets]):
        by_sheet[item.sheet_id].append(item)
    entries = [
        {
            **_context_of(request, s),
            "sheet": s,
            "resources": by_sheet[s.pk],
            "assessments": _assessment_table(s),
        }
        for s in sheets
    ]
    context = {
        "booklet": record,
        "entries": entries,
        "resources": visible_resources.filter(collections=record),
    }
    pdf = render_pdf("knowledge/pdf.html", context, request=request)
    return _pdf_response(pdf, record.title)
