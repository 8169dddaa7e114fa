"""The Content Security Policy of the map pages: the site's strict policy, plus

- the origin of the map tiles in `img-src` (`MAP_TILES_URL`; none if it is empty);
- for the embeddable map, `frame-ancestors` listing the sites allowed to show it in an
  iframe (`MAP_EMBED_ALLOWED_ORIGINS`), instead of the site-wide `'none'`, and no
  `X-Frame-Options: DENY`.

The policies are computed per request from the settings (Django's `csp_override` takes a
fixed mapping, so the decorator below builds it at call time).
"""

import re
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override

# A host source as CSP writes it: [scheme://]host[:port], the host possibly
# "*.example.org"; or "*" for any site. No path, quote, space or semicolon can slip into
# the header.
_ORIGIN = re.compile(r"((https?://)?(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?|\*)")


def is_origin(value: object) -> bool:
    return isinstance(value, str) and _ORIGIN.fullmatch(value) is not None


def tile_origin() -> str | None:
    """`https://tile.openstreetmap.org/{z}/{x}/{y}.png` -> `https://tile.openstreetmap.org`;
    a `{s}` subdomain becomes a wildcard."""
    url = getattr(settings, "MAP_TILES_URL", "")
    if not url:
        return None
    parts = urlsplit(url)
    host = re.sub(r"\{[a-z]\}", "*", parts.netloc)
    origin = f"{parts.scheme}://{host}"
    return origin if is_origin(origin) else None


def allowed_ancestors() -> list[str]:
    """The sites that may show the embeddable map in an iframe: this site, plus those of
    `MAP_EMBED_ALLOWED_ORIGINS` (malformed entries are dropped; `manage.py check` names
    them)."""
    extra = [o for o in getattr(settings, "MAP_EMBED_ALLOWED_ORIGINS", []) if is_origin(o)]
    return ["*"] if "*" in extra else [CSP.SELF, *extra]


def map_policy(*, embeddable: bool = False) -> dict:
    policy = {name: list(values) for name, values in settings.SECURE_CSP.items()}
    origin = tile_origin()
    if origin:
        policy["img-src"] = [*policy.get("img-src", [CSP.SELF]), origin]
    if embeddable:
        policy["frame-ancestors"] = allowed_ancestors()
    return policy


def map_csp(*, embeddable: bool = False):
    """Decorate a map view with the map's policy (see the module's docstring)."""

    def decorator(view):
        target = xframe_options_exempt(view) if embeddable else view

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return csp_override(map_policy(embeddable=embeddable))(target)(request, *args, **kwargs)

        return wrapped

    return decorator
