"""The read API (django-ninja): one paginated, filterable endpoint per registered dataset.

OpenAPI description at `/donnees/api/v1/openapi.json` (stable), documentation page at
`/donnees/api/`. Every response carries the data licence, in the body (`licence`) and in
the `Link: <…>; rel="license"` and `X-Data-Licence` headers. Rows come from the dataset's
`row()`: personal fields only where their owner made them public.
"""

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Query, Schema
from pydantic import Field, field_validator

from . import querying, registry
from .exports import licence_headers
from .models import OpenDataSettings

MAX_PAGE_SIZE = 200
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"

api = NinjaAPI(
    title="Maillage — API de lecture des données ouvertes",
    version="1",
    description=(
        "Les données publiques du réseau (structures, initiatives, rencontres, personnes "
        "qui ont rendu leur profil public…), sous la licence indiquée dans chaque réponse."
    ),
    urls_namespace="opendata:api",
    docs_url=None,
    openapi_url="/openapi.json",
)


class LicenceOut(Schema):
    id: str
    name: str
    url: str
    attribution: str


class FieldOut(Schema):
    name: str
    description: str


class DatasetOut(Schema):
    key: str
    label: str
    description: str
    fields: list[FieldOut]
    url: str


class DatasetsOut(Schema):
    licence: LicenceOut
    datasets: list[DatasetOut]


class PageOut(Schema):
    licence: LicenceOut
    dataset: str
    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None
    results: list[dict[str, Any]]


class ErrorOut(Schema):
    """A query parameter that does not validate (ninja's 422 body)."""

    detail: list[dict[str, Any]]


class Filters(Schema):
    theme: str | None = Field(None, max_length=80, description="identifiant de thématique")
    territory: str | None = Field(
        None,
        max_length=30,
        description="territoire : « departement:11 », « region:76 », « commune:11069 » ou un "
        "code INSEE de commune ; tout ce qui est dedans est compris",
    )
    since: str | None = Field(
        None,
        pattern=DATE_PATTERN,
        json_schema_extra={"format": "date"},
        description="à partir de cette date (incluse), AAAA-MM-JJ",
    )
    until: str | None = Field(
        None,
        pattern=DATE_PATTERN,
        json_schema_extra={"format": "date"},
        description="jusqu'à cette date (incluse), AAAA-MM-JJ",
    )
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)

    @field_validator("since", "until")
    @classmethod
    def _real_date(cls, value: str | None) -> str | None:
        # Lax pydantic dates would take "0" (a timestamp): only a calendar date passes.
        if value is not None:
            date.fromisoformat(value)
        return value

    def day(self, name: str) -> date | None:
        value = getattr(self, name)
        return date.fromisoformat(value) if value else None


def _licence(response: HttpResponse) -> dict:
    licence = OpenDataSettings.current().as_dict()
    licence_headers(response, licence)
    return licence


def _get(path: str, *, response, operation_id: str, **options):
    """A GET operation that answers HEAD too (monitors and link checkers ask with HEAD;
    ninja answers 405 to any method it was not given). HEAD stays out of the OpenAPI
    description, where it would repeat the GET under the same operation id."""

    def decorator(view):
        api.api_operation(
            ["HEAD"],
            path,
            response=response,
            operation_id=f"{operation_id}_head",
            include_in_schema=False,
        )(view)
        return api.get(path, response=response, operation_id=operation_id, **options)(view)

    return decorator


@_get("/", response=DatasetsOut, operation_id="list_datasets", summary="Les jeux de données")
def list_datasets(request: HttpRequest, response: HttpResponse):
    return {
        "licence": _licence(response),
        "datasets": [
            {
                "key": d.key,
                "label": str(d.label),
                "description": str(d.description),
                "fields": [{"name": n, "description": str(label)} for n, label in d.fields],
                "url": request.build_absolute_uri(f"{request.path.rstrip('/')}/{d.key}"),
            }
            for d in registry.datasets()
        ],
    }


def _page_url(request: HttpRequest, filters: Filters, page: int) -> str:
    params = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    params["page"] = page
    return request.build_absolute_uri(f"{request.path}?{urlencode(params)}")


def _endpoint(dataset: registry.Dataset):
    def list_records(request: HttpRequest, response: HttpResponse, filters: Query[Filters]):
        licence = _licence(response)
        queryset = querying.filtered(
            dataset,
            theme=filters.theme,
            territory=filters.territory,
            since=filters.day("since"),
            until=filters.day("until"),
        )
        count = queryset.count() if queryset is not None else 0
        start = (filters.page - 1) * filters.page_size
        records = list(queryset[start : start + filters.page_size]) if queryset is not None else []
        has_next = start + filters.page_size < count
        return {
            "licence": licence,
            "dataset": dataset.key,
            "count": count,
            "page": filters.page,
            "page_size": filters.page_size,
            "next": _page_url(request, filters, filters.page + 1) if has_next else None,
            "previous": _page_url(request, filters, filters.page - 1) if filters.page > 1 else None,
            "results": [dataset.row(record) for record in records],
        }

    list_records.__name__ = f"list_{dataset.key}"
    return list_records


_built = False


def build() -> NinjaAPI:
    """Add one endpoint per dataset (the registry is full once the apps are ready)."""
    global _built  # noqa: PLW0603 - the URLconf may be imported more than once
    if _built:
        return api
    _built = True
    for dataset in registry.datasets():
        _get(
            f"/{dataset.key}",
            response={200: PageOut, 422: ErrorOut},
            operation_id=f"list_{dataset.key}",
            summary=str(dataset.label),
            description=str(dataset.description or _("Enregistrements publics, paginés.")),
            url_name=f"list_{dataset.key}",
        )(_endpoint(dataset))
    return api
