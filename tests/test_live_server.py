"""The open data as `make run` serves it: every export, the read API and the GoGoCarto
export, downloaded over HTTP from a real WSGI server.

Django's test client hands the response object back as it is; the development server
(wsgiref) refuses a header whose name or value is not exactly a `str` and answers 500
(« Header names/values must be of type str »). `live_server` is that same server:
`LiveServerThread` serves with `django.core.servers.basehttp.WSGIRequestHandler`, whose
`ServerHandler` is wsgiref's, as `manage.py runserver` does.
"""

import csv
import io
import json
import urllib.request

import pytest
from django.urls import reverse

from maillage.directory.tests.factories import (
    InitiativeFactory,
    OrganisationFactory,
    aude_and_herault,
)
from maillage.opendata import registry
from maillage.opendata.models import OpenDataSettings

pytestmark = pytest.mark.django_db(transaction=True)

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "geojson": "application/geo+json",
}


def fetch(url: str, method: str = "GET") -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, method=method)  # noqa: S310 - the live server
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return response.status, dict(response.headers), response.read()


@pytest.fixture
def records():
    places = aude_and_herault()
    InitiativeFactory(title="Jardin partagé de Limoux", commune=places["limoux"])
    OrganisationFactory(name="Épicerie solidaire", commune=places["carcassonne"])


def test_every_open_data_download_answers_on_a_real_server(live_server, records):
    # No admin has chosen a licence: the settings row does not exist (the case that broke).
    assert not OpenDataSettings.objects.exists()
    datasets = registry.datasets()
    assert datasets
    for dataset in datasets:
        for fmt, content_type in CONTENT_TYPES.items():
            url = live_server.url + reverse(f"opendata:export_{fmt}", args=[dataset.key])
            status, headers, body = fetch(url)
            assert status == 200, url
            assert headers["Content-Type"] == content_type, url
            assert headers["X-Data-Licence"] == "ODbL-1.0"
            assert headers["Link"].endswith('; rel="license"')
            if fmt == "csv":
                columns = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
                assert columns == [name for name, _label in dataset.fields]
            else:
                assert json.loads(body)["licence"]["id"] == "ODbL-1.0"

    api = live_server.url + reverse("opendata:api:list_datasets")
    status, headers, body = fetch(api)
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    assert headers["X-Data-Licence"] == "ODbL-1.0"
    assert {d["key"] for d in json.loads(body)["datasets"]} == {d.key for d in datasets}
    for dataset in datasets:
        url = live_server.url + reverse(f"opendata:api:list_{dataset.key}")
        status, headers, body = fetch(url)
        assert status == 200, url
        assert headers["Content-Type"].startswith("application/json")
        assert "results" in json.loads(body)
    status, headers, body = fetch(live_server.url + "/donnees/api/v1/openapi.json")
    assert status == 200 and json.loads(body)["info"]["version"] == "1"

    status, headers, body = fetch(live_server.url + reverse("opendata:gogocarto"))
    assert status == 200
    assert headers["Content-Type"] == "application/json"
    assert headers["Access-Control-Allow-Origin"] == "*"
    data = json.loads(body)
    assert data["licence"].startswith("https://opendatacommons.org/")
    assert [e["name"] for e in data["data"]] == ["Jardin partagé de Limoux"]

    status, headers, _body = fetch(live_server.url + reverse("opendata:index"))
    assert status == 200 and headers["Content-Type"].startswith("text/html")


def test_head_answers_on_a_real_server(live_server, records):
    """Monitors ask with HEAD: the map, the API and the letter's pages answer it."""
    for name in ("maps:map", "opendata:api:list_datasets", "newsletter:archive", "core:home"):
        status, headers, body = fetch(live_server.url + reverse(name), method="HEAD")
        assert status == 200, name
        assert body == b""
