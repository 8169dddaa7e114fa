"""Pages of open data: the index (exports, feeds, API, licence), streamed exports, the API
documentation page, the GoGoCarto endpoint and the facilitators' GoGoCarto import."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maillage.core.permissions import require_perm

from . import gogocarto, querying, registry
from .exports import export_response, licence_headers
from .forms import ExportFilterForm, GoGoCartoImportForm
from .models import OpenDataSettings


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "opendata/index.html",
        {
            "datasets": registry.datasets(),
            "feeds": registry.feeds(),
            "licence": OpenDataSettings.current().as_dict(),
        },
    )


def _export(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    dataset = registry.dataset(key)
    if dataset is None:
        raise Http404
    form = ExportFilterForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    data = form.cleaned_data
    queryset = querying.filtered(
        dataset,
        theme=data["theme"],
        territory=data["territoire"],
        since=data["depuis"],
        until=data["jusqua"],
    )
    if queryset is None:
        queryset = dataset.queryset().none()
    return export_response(dataset, queryset, fmt)


def export_csv(request: HttpRequest, key: str) -> HttpResponse:
    return _export(request, key, "csv")


def export_json(request: HttpRequest, key: str) -> HttpResponse:
    return _export(request, key, "json")


def export_geojson(request: HttpRequest, key: str) -> HttpResponse:
    return _export(request, key, "geojson")


def api_docs(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "opendata/api_docs.html",
        {"datasets": registry.datasets(), "licence": OpenDataSettings.current().as_dict()},
    )


def gogocarto_elements(request: HttpRequest) -> HttpResponse:
    data = gogocarto.export(base_url=request.build_absolute_uri("/"))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    licence_headers(response, OpenDataSettings.current().as_dict())
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_perm("opendata.import_gogocarto")
@require_http_methods(["GET", "HEAD", "POST"])
def gogocarto_import(request: HttpRequest) -> HttpResponse:
    form = GoGoCartoImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            elements = gogocarto.parse(form.cleaned_data["file"].read())
        except gogocarto.ImportError_ as error:
            form.add_error("file", str(error))
        else:
            report = gogocarto.gogocarto_import(
                elements=elements,
                source=form.cleaned_data["source"],
                actor=request.user,
                create_themes=form.cleaned_data["create_themes"],
            )
            messages.success(
                request,
                _(
                    "Import terminé : %(created)d créées, %(updated)d mises à jour, "
                    "%(linked)d rattachées à une fiche existante."
                )
                % {"created": report.created, "updated": report.updated, "linked": report.linked},
            )
    status = 400 if request.method == "POST" and report is None else 200
    return render(
        request, "opendata/gogocarto_import.html", {"form": form, "report": report}, status=status
    )
