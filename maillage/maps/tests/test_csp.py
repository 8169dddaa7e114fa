"""The map's security headers: the embeddable map may be framed by the sites of
MAP_EMBED_ALLOWED_ORIGINS and no other; everything else keeps the strict policy."""

import pytest
from django.core.checks import run_checks
from django.test import Client
from django.urls import reverse

from maillage.maps.csp import is_origin, tile_origin

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.strip().split(" ", 1)[0]: part.strip().split(" ", 1)[1]
        for part in header.split(";")
        if part.strip()
    }


def test_embed_is_framed_by_this_site_only_by_default(settings):
    settings.MAP_EMBED_ALLOWED_ORIGINS = []
    response = Client().get(reverse("maps:embed"))
    assert response.status_code == 200
    assert directives(response)["frame-ancestors"] == "'self'"
    assert "X-Frame-Options" not in response


def test_embed_frame_ancestors_follow_the_setting(settings):
    settings.MAP_EMBED_ALLOWED_ORIGINS = [
        "https://partenaire.example.org",
        "https://*.reseau-voisin.example.net",
    ]
    response = Client().get(reverse("maps:embed"), {"type": "initiative"})
    assert directives(response)["frame-ancestors"] == (
        "'self' https://partenaire.example.org https://*.reseau-voisin.example.net"
    )
    # Everything else in the policy stays strict.
    assert directives(response)["script-src"].startswith("'self'")
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_malformed_origins_never_reach_the_header(settings):
    settings.MAP_EMBED_ALLOWED_ORIGINS = ["https://ok.example.org", "https://x.org; script-src *"]
    response = Client().get(reverse("maps:embed"))
    assert directives(response)["frame-ancestors"] == "'self' https://ok.example.org"
    errors = [e.id for e in run_checks() if e.id.startswith("maps.")]
    assert errors == ["maps.E002"]


def test_other_pages_cannot_be_framed(settings):
    settings.MAP_EMBED_ALLOWED_ORIGINS = ["https://partenaire.example.org"]
    for name in ("maps:map", "core:home"):
        response = Client().get(reverse(name))
        assert directives(response)["frame-ancestors"] == "'none'"
        assert response["X-Frame-Options"] == "DENY"


def test_tiles_are_allowed_on_map_pages_only(settings):
    settings.MAP_TILES_URL = "https://{s}.tuiles.example.org/{z}/{x}/{y}.png"
    assert tile_origin() == "https://*.tuiles.example.org"
    for name in ("maps:map", "maps:embed"):
        assert "https://*.tuiles.example.org" in directives(Client().get(reverse(name)))["img-src"]
    assert "tuiles" not in Client().get(reverse("core:home"))["Content-Security-Policy"]
    settings.MAP_TILES_URL = ""
    assert directives(Client().get(reverse("maps:map")))["img-src"] == "'self' data:"


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("https://partenaire.example.org", True),
        ("http://localhost:8000", True),
        ("*.example.org", True),
        ("*", True),
        ("https://example.org/chemin", False),
        ("https://example.org;", False),
        ("'unsafe-inline'", False),
        ("", False),
        (None, False),
    ],
)
def test_is_origin(value, valid):
    assert is_origin(value) is valid
