"""HEAD is GET without the body (RFC 9110): monitors and link checkers ask with it, and a
405 makes them report the page down. Every view that answers GET answers HEAD.

Django's `require_GET` and `require_http_methods(["GET", …])` refuse HEAD; views use
`require_safe` or list "HEAD"; the read API (django-ninja) registers HEAD beside GET.
"""

import pytest
from django.urls import reverse

from maillage.core.tests.test_access_matrix import MATRIX, _named_patterns

pytestmark = pytest.mark.django_db

# Views of apps whose files other people were editing when this test was written: their
# `require_http_methods(["GET", "POST"])` and `require_GET` still refuse HEAD, reported
# to be changed to `require_http_methods(["GET", "HEAD", "POST"])` and `require_safe`.
# Remove a line once its view answers HEAD.
NOT_YET = {
    "directory:initiative_create",
    "directory:initiative_edit",
    "directory:merge",
    "directory:organisation_create",
    "directory:organisation_edit",
    "directory:person_edit",
    "directory:profile_edit",
    "directory:report_error",
    "directory:theme_edit",
    "directory:themes",
    "events:cancel",
    "events:event_create",
    "events:event_edit",
    "events:session_create",
    "events:session_edit",
    "forums:document_add",
    "forums:followup",
    "forums:meeting_edit",
    "forums:report_edit",
    "forums:synthesis",
    "forums:synthesis_download",
    "forums:synthesis_public",
    "forums:task_edit",
    "forums:topic_propose",
    "imports:claim",
    "imports:list",
    "imports:review",
}


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_every_view_that_answers_get_answers_head(role_client, world):
    """Each URL of the site (with the access matrix's arguments), for a visitor and for an
    administrator: HEAD is refused exactly when GET is."""
    refused = []
    for role in ("anonymous", "admin"):
        client = role_client(role)
        for name in sorted(set(_named_patterns()) - NOT_YET):
            kwargs = MATRIX[name][0]
            url = reverse(name, kwargs=kwargs(world) if callable(kwargs) else kwargs)
            get = client.get(url).status_code
            head = client.head(url)
            if (head.status_code == 405) != (get == 405):
                refused.append(f"{role} {name} {url}: GET {get}, HEAD {head.status_code}")
            assert _body(head) == b""
    assert refused == [], "\n".join(refused)


@pytest.mark.parametrize(
    "name",
    [
        "maps:map",
        "maps:data",
        "maps:geojson",
        "maps:embed",
        "opendata:api:list_datasets",
        "opendata:api:list_initiatives",
        "opendata:index",
        "opendata:gogocarto",
        "newsletter:archive",
        "newsletter:subscribe",
        "newsletter:digest",
        "search:results",
        "territories:autocomplete",
        "knowledge:sheets",
        "exchange:ads",
        "accounts:charter",
        "core:home",
        "core:health",
    ],
)
def test_head_on_each_app(client, name):
    get = client.get(reverse(name))
    head = client.head(reverse(name))
    assert head.status_code == get.status_code
    assert head.status_code != 405
    assert head["Content-Type"] == get["Content-Type"]
    assert _body(head) == b""
