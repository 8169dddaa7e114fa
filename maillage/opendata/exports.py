"""CSV, JSON and GeoJSON exports of a dataset, streamed (constant memory at any size:
the queryset is read by chunks of 500 with its prefetches).

Every export carries the network's licence in its headers (`Link: <…>; rel="license"`
and `X-Data-Licence`); JSON and GeoJSON also carry it in the body (`licence`, a foreign
member for GeoJSON as RFC 7946 allows). A CSV has no place for it: the headers and the
open-data page state it.
"""

import csv
import json
from collections.abc import Iterator

from django.http import StreamingHttpResponse

from maillage.core import csv as spreadsheet

from .models import OpenDataSettings
from .registry import Dataset

CHUNK = 500


class _Echo:
    def write(self, value: str) -> str:
        return value


def _rows(dataset: Dataset, queryset) -> Iterator[tuple[object, dict]]:
    for record in queryset.iterator(chunk_size=CHUNK):
        yield record, dataset.row(record)


def licence_headers(response, licence: dict) -> None:
    response["Link"] = f'<{licence["url"]}>; rel="license"'
    response["X-Data-Licence"] = licence["id"]


def csv_stream(dataset: Dataset, queryset) -> Iterator[str]:
    """Comma-separated, UTF-8 with a BOM, numbers with a decimal point; cells written by
    `core.csv` (numbers stay numbers, text that would run as a formula is quoted)."""
    writer = csv.writer(_Echo())
    columns = [name for name, _label in dataset.fields]
    yield spreadsheet.BOM + writer.writerow(columns)
    for _record, row in _rows(dataset, queryset):
        yield writer.writerow(spreadsheet.row(row.get(name) for name in columns))


def json_stream(dataset: Dataset, queryset, licence: dict) -> Iterator[str]:
    head = {"dataset": dataset.key, "licence": licence}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "results": ['
    first = True
    for _record, row in _rows(dataset, queryset):
        yield ("" if first else ",") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "]}"


def _geometry(dataset: Dataset, record) -> dict | None:
    point = dataset.point(record) if dataset.point else None
    if not point or point[0] is None or point[1] is None:
        return None
    return {"type": "Point", "coordinates": [round(point[0], 6), round(point[1], 6)]}


def geojson_stream(dataset: Dataset, queryset, licence: dict) -> Iterator[str]:
    """An RFC 7946 FeatureCollection; records without coordinates have a null geometry."""
    yield (
        json.dumps({"type": "FeatureCollection", "licence": licence}, ensure_ascii=False)[:-1]
        + ', "features": ['
    )
    first = True
    for record, row in _rows(dataset, queryset):
        feature = {
            "type": "Feature",
            "id": row.get("id"),
            "geometry": _geometry(dataset, record),
            "properties": row,
        }
        yield ("" if first else ",") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}"


def export_response(dataset: Dataset, queryset, fmt: str) -> StreamingHttpResponse:
    licence = OpenDataSettings.current().as_dict()
    if fmt == "csv":
        stream, content_type = csv_stream(dataset, queryset), "text/csv; charset=utf-8"
    elif fmt == "geojson":
        stream, content_type = geojson_stream(dataset, queryset, licence), "application/geo+json"
    else:
        stream, content_type = json_stream(dataset, queryset, licence), "application/json"
    response = StreamingHttpResponse(stream, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{dataset.key}.{fmt}"'
    licence_headers(response, licence)
    return response
