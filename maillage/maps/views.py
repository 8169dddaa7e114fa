"""The map pages and their data.

- `map_page` (/carte/): the filters, the map, the list of what is in view (an htmx-style
  fragment the script refreshes as the map moves; without JavaScript, the whole list)
  and the snippet to embed the map elsewhere;
- `data` (/carte/donnees/): clusters and points for a viewport, as JSON;
- `geojson` (/carte/points.geojson): the public points, RFC 7946, page by page;
- `embed` (/carte/embed): the map alone, for an iframe on the sites allowed by
  `MAP_EMBED_ALLOWED_ORIGINS`.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from . import grid
from .clusters import DetailUrls, MapQuery, answer, count_in_view
from .csp import map_csp
from .forms import FRANCE_BBOX, GeoJSONForm, MapEmbedForm, MapViewportForm
from .models import KIND_SLUGS, Kind, MapPoint

LIST_PAGE_SIZE = 30
# On SQLite, above this many points in view, the list walks the title index rather than
# the bounding-box one (see MapQuery.points): about where both cost the same. PostgreSQL
# makes that choice itself from its statistics (and a hint would only mislead it).
LIST_BOX_INDEX_BELOW = 5000
GEOJSON_PAGE_SIZE = 5000
_COMPACT = {"separators": (",", ":"), "ensure_ascii": False}
# Where the map opens on a territory, by its kind.
_TERRITORY_ZOOM = {"commune": 12, "arrondissement": 13, "epci": 10, "departement": 8, "region": 7}


def _query_data(request: HttpRequest):
    """The GET parameters, or None when one holds a NUL character (which PostgreSQL
    refuses in any text, and no honest URL contains)."""
    for key, values in request.GET.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return None
    return request.GET


def _bound(form_class, request: HttpRequest):
    """The form bound to the GET parameters; invalid if they cannot be read at all."""
    data = _query_data(request)
    form = form_class(data if data is not None else {})
    if data is None:
        form.is_valid()
        form.add_error(None, _("Paramètres invalides."))
    return form


def _bad_request(form=None) -> JsonResponse:
    errors = {}
    if form is not None:
        errors = {
            field: [error["message"] for error in field_errors]
            for field, field_errors in form.errors.get_json_data().items()
        }
    messages = [message for field_messages in errors.values() for message in field_messages]
    return JsonResponse(
        {"error": " ".join(messages) or _("Paramètres invalides."), "errors": errors},
        status=400,
        json_dumps_params=_COMPACT,
    )


def _filtered_points(form, viewer):
    data = form.cleaned_data
    points = MapPoint.objects.visible_to(viewer).of_kind(form.kind)
    points = points.with_theme(data.get("theme")).in_territory(data.get("territoire"))
    around = form.around
    if around:
        points = points.around(around.latitude, around.longitude, around.radius_km)
    return points


def _initial_view(form, request: HttpRequest) -> dict:
    """Where the map opens: the circle searched around, the viewport of the URL, the
    chosen territory, or France."""
    if form.is_valid():
        around = form.around
        if around:
            return {"around": [around.latitude, around.longitude, around.radius_km]}
        if "bbox" in form.fields and request.GET.get("bbox"):
            return {"bbox": list(form.cleaned_data["bbox"])}
        if form.cleaned_data.get("centre") and form.cleaned_data.get("zoom") is not None:
            return {"centre": list(form.cleaned_data["centre"]), "zoom": form.cleaned_data["zoom"]}
        territory = form.cleaned_data.get("territoire")
        if territory is not None and territory.has_coordinates:
            zoom = _TERRITORY_ZOOM.get(territory.kind, 5)
            return {"centre": [territory.latitude, territory.longitude], "zoom": zoom}
    return {"bbox": list(FRANCE_BBOX)}


def _config(request: HttpRequest, form, *, embed: bool) -> dict:
    """What the map's script needs, given to it as JSON (`json_script`)."""
    criteria = form.criteria() if form.is_valid() else {}
    return {
        "dataUrl": reverse("maps:data"),
        "listUrl": reverse("maps:map"),
        "mapUrl": request.build_absolute_uri(reverse("maps:map")),
        "embedUrl": request.build_absolute_uri(reverse("maps:embed")),
        "criteria": criteria,
        "embed": embed,
        "view": _initial_view(form, request),
        "maxZoom": grid.MAX_ZOOM,
        "tiles": {
            "url": getattr(settings, "MAP_TILES_URL", ""),
            "attribution": getattr(settings, "MAP_TILES_ATTRIBUTION", ""),
        },
        "text": {
            "kinds": {KIND_SLUGS[kind]: str(kind.label) for kind in Kind},
            # [one, several] (the script picks): « 1 fiche », « 2 fiches ».
            "cluster": [
                ngettext("%(count)s fiche ici : zoomer", "%(count)s fiches ici : zoomer", n)
                for n in (1, 2)
            ],
            "stack": [
                ngettext("%(count)s fiche à cet endroit", "%(count)s fiches à cet endroit", n)
                for n in (1, 2)
            ],
            "more": [
                ngettext(
                    "… et %(count)s autre : voir la liste",
                    "… et %(count)s autres : voir la liste",
                    n,
                )
                for n in (1, 2)
            ],
            "open": _("Voir la fiche"),
            "loading": _("Chargement de la carte…"),
            "error": _("La carte n'a pas pu être chargée."),
            "inView": [
                ngettext("%(count)s fiche dans cette zone", "%(count)s fiches dans cette zone", n)
                for n in (1, 2)
            ],
            "truncated": _("Seuls les plus grands groupes sont affichés : zoomez."),
            "locating": _("Recherche de votre position…"),
            "located": _("Position trouvée."),
            "noLocation": _("Votre position n'est pas disponible."),
            "copied": _("Code copié."),
            "copyFailed": _("Copiez le code à la main."),
            "mapLabel": _("Carte du réseau"),
            "zoomIn": _("Zoom avant"),
            "zoomOut": _("Zoom arrière"),
        },
    }


def _embed_snippet(request: HttpRequest, criteria: dict) -> str:
    url = request.build_absolute_uri(reverse("maps:embed"))
    if criteria:
        url = f"{url}?{urlencode(criteria)}"
    title = _("Carte : %(site)s") % {"site": settings.SITE_NAME}
    return (
        f'<iframe src="{escape(url)}" title="{escape(title)}" width="100%" height="480" '
        f'loading="lazy"></iframe>'
    )


class _Counted:
    """A queryset whose count is already known (from the map's clusters), for the
    paginator: it need not count 300,000 rows again."""

    def __init__(self, queryset, count: int) -> None:
        self.queryset, self._count = queryset, count
        self.ordered = True

    def count(self) -> int:
        return self._count

    def __getitem__(self, index):
        return self.queryset[index]


def _map_query(form, viewer) -> MapQuery:
    cleaned = form.cleaned_data
    return MapQuery(
        viewer=viewer,
        cells=cleaned["cells"],
        kind=form.kind,
        theme=cleaned.get("theme"),
        territory=cleaned.get("territoire"),
        around=form.around,
    )


@require_safe
@map_csp()
def map_page(request: HttpRequest) -> HttpResponse:
    form = _bound(MapViewportForm, request)
    in_view = bool(request.GET.get("bbox"))
    if form.is_valid():
        if not in_view:  # without a viewport (no JavaScript): the whole world
            form.cleaned_data["cells"] = grid.CellRange(0, 0, 0, 3, 3)
        query = _map_query(form, request.user)
        count = count_in_view(query)
        box_index = connection.vendor != "sqlite" or count < LIST_BOX_INDEX_BELOW
        listed = query.points(box_index=box_index).for_list()
        points = _Counted(listed, count)
    else:
        points = MapPoint.objects.none()
    page = Paginator(points, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    criteria = form.criteria() if form.is_valid() else {}
    context = {
        "form": form,
        "page": page,
        "in_view": in_view,
        "config": _config(request, form, embed=False),
        "embed_snippet": _embed_snippet(request, criteria),
        "geojson_url": reverse("maps:geojson") + (f"?{urlencode(criteria)}" if criteria else ""),
    }
    template = "maps/map.html#results" if request.htmx else "maps/map.html"
    return render(request, template, context, status=200 if form.is_valid() else 400)


@require_safe
def data(request: HttpRequest) -> JsonResponse:
    params = _query_data(request)
    if params is None:
        return _bad_request()
    form = MapViewportForm(params)
    if not form.is_valid():
        return _bad_request(form)
    viewer = AnonymousUser() if form.cleaned_data.get("public") else request.user
    return JsonResponse(answer(_map_query(form, viewer)), json_dumps_params=_COMPACT)


@require_safe
def geojson(request: HttpRequest) -> JsonResponse:
    """The public points (whoever asks), RFC 7946, `GEOJSON_PAGE_SIZE` at a time in the
    order of their ids; `links` gives the next page (`apres=<last id>`)."""
    params = _query_data(request)
    if params is None:
        return _bad_request()
    form = GeoJSONForm(params)
    if not form.is_valid():
        return _bad_request(form)
    points = _filtered_points(form, AnonymousUser())
    if form.cleaned_data.get("bbox"):
        points = points.in_bbox(form.cleaned_data["bbox"])
    after = form.cleaned_data.get("apres") or 0
    rows = list(
        points.filter(pk__gt=after)
        .order_by("pk")
        .values("pk", "kind", "object_id", "title", "latitude", "longitude")[
            : GEOJSON_PAGE_SIZE + 1
        ]
    )
    more = len(rows) > GEOJSON_PAGE_SIZE
    rows = rows[:GEOJSON_PAGE_SIZE]
    urls = DetailUrls()
    features = [
        {
            "type": "Feature",
            "id": f"{KIND_SLUGS[row['kind']]}-{row['object_id']}",
            "geometry": {
                "type": "Point",
                "coordinates": [round(row["longitude"], 6), round(row["latitude"], 6)],
            },
            "properties": {
                "kind": KIND_SLUGS[row["kind"]],
                "title": row["title"],
                "url": request.build_absolute_uri(urls(row["kind"], row["object_id"])),
            },
        }
        for row in rows
    ]
    collection = {"type": "FeatureCollection", "features": features}
    if more:
        query = {**form.criteria(), "apres": rows[-1]["pk"]}
        if form.cleaned_data.get("bbox"):
            query["bbox"] = ",".join(str(v) for v in form.cleaned_data["bbox"])
        collection["links"] = [
            {
                "rel": "next",
                "type": "application/geo+json",
                "href": request.build_absolute_uri(f"{reverse('maps:geojson')}?{urlencode(query)}"),
            }
        ]
    response = JsonResponse(
        collection, content_type="application/geo+json", json_dumps_params=_COMPACT
    )
    # Open data: other sites may read it from the browser (public points only, whoever
    # asks, so no cookie matters).
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@map_csp(embeddable=True)
def embed(request: HttpRequest) -> HttpResponse:
    """The map alone, with the criteria of the URL, showing public points only."""
    form = _bound(MapEmbedForm, request)
    config = _config(request, form, embed=True)
    config["criteria"] = {**config["criteria"], "public": "1"}
    criteria = form.criteria() if form.is_valid() else {}
    full_map = reverse("maps:map") + (f"?{urlencode(criteria)}" if criteria else "")
    return render(
        request,
        "maps/embed.html",
        {"form": form, "config": config, "full_map_url": full_map},
        status=200 if form.is_valid() else 400,
    )
