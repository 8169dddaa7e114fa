"""The site's URLs plus the "naive" map endpoint, for benchmarks/map_bench.py only.

The naive endpoint answers a viewport the way collaborative-map tools do: every raw point
in the bounds, as JSON, for the browser to cluster. It reads the same narrow, indexed
`MapPoint` table as the real endpoint (a generous comparison: no join on the directory's
wide tables), with the same visibility, so that the difference is the clustering alone.
"""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, JsonResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from maillage.maps import grid
from maillage.maps.clusters import DetailUrls
from maillage.maps.forms import MapViewportForm
from maillage.maps.models import KIND_SLUGS, MapPoint


def naive(request: HttpRequest) -> JsonResponse:
    form = MapViewportForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": form.errors}, status=400)
    urls = DetailUrls()
    bbox = form.cleaned_data["bbox"]
    rows = (
        MapPoint.objects.visible_to(AnonymousUser())
        # The (x, y) index narrows to the box (to 64 pixels at zoom 18), then the exact
        # bounds: the naive way gets the same index as the map.
        .in_cells(grid.cell_range(bbox, grid.MAX_ZOOM))
        .in_bbox(bbox)
        .values_list("kind", "object_id", "title", "latitude", "longitude")
    )
    points = [
        {
            "lat": round(lat, 5),
            "lon": round(lon, 5),
            "kind": KIND_SLUGS[kind],
            "id": object_id,
            "title": title,
            "url": urls(kind, object_id),
        }
        for kind, object_id, title, lat, lon in rows.iterator(chunk_size=5000)
    ]
    return JsonResponse({"points": points}, json_dumps_params={"separators": (",", ":")})


urlpatterns = [path("bench/carte-naive/", naive, name="map_naive"), *site_urlpatterns]
