"""Privacy sweep: with the demo network loaded, every public page, list and JSON endpoint is
fetched as a visitor and as a member; no e-mail, phone or address may appear unless its
owner made it visible to that viewer.

Pages are found by walking the URL resolver (every parameterless GET view) and every
record's own page, so that a new view is swept without being listed here.
"""

import html
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from maillage.accounts.models import User
from maillage.directory.models import Initiative, Organisation, Person, can_see

# Pages about the viewer's own account legitimately show their own address.
SKIPPED_PREFIXES = ("/compte/", "/admin/", "/i18n/", "/charte/accepter/")
PERSONAL = ("email", "phone", "address")


def _parameterless_urls(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _parameterless_urls(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and not pattern.pattern.regex.groups:
            route = prefix + str(pattern.pattern)
            if "^" not in route and "<" not in route:
                yield "/" + route


def _forbidden_strings(viewer) -> set[str]:
    """Every personal value that `viewer` may not see, in the forms a page could show."""
    forbidden = set()
    records = list(Person.objects.select_related("user")) + list(Organisation.objects.all())
    for record in records:
        owner = record.is_owned_by(viewer)
        for field in PERSONAL:
            value = getattr(record, field)
            if not value or can_see(getattr(record, f"{field}_visibility"), viewer, owner=owner):
                continue
            for part in value.splitlines() if field == "address" else [value]:
                part = part.strip()
                if len(part) >= 8:
                    forbidden.update({part, html.escape(part)})
    return forbidden


def _pages(client) -> list[str]:
    urls = {u for u in _parameterless_urls() if not u.startswith(SKIPPED_PREFIXES)}
    for model in (Person, Organisation, Initiative):
        urls.update(r.get_absolute_url() for r in model.objects.all())
    for name in ("directory:people", "directory:organisations", "directory:initiatives"):
        urls.update(f"{reverse(name)}?page={n}" for n in range(1, 6))
    urls.add(reverse("territories:autocomplete") + "?q=al")
    return sorted(urls)


@pytest.fixture
def demo_network(transactional_db):
    call_command("load_territories", only_departements="81,11", verbosity=0)
    call_command("demo_network", people=60, organisations=40, initiatives=40, seed=11)


@pytest.mark.parametrize("viewer_kind", ["anonymous", "member"])
def test_no_page_leaks_a_personal_field(demo_network, viewer_kind):
    client = Client()
    viewer = None
    if viewer_kind == "member":
        viewer = User.objects.get(email="membre@demo.maillage.example")
        client.force_login(viewer)
    else:
        from django.contrib.auth.models import AnonymousUser

        viewer = AnonymousUser()
    forbidden = _forbidden_strings(viewer)
    assert len(forbidden) > 50, "the demo network must hold private contacts to sweep"
    # Whole values only: "2, rue Barbier" must not match inside "22, rue Barbier".
    pattern = re.compile(
        "|".join(
            rf"(?<![\w]){re.escape(v)}(?![\w])" for v in sorted(forbidden, key=len, reverse=True)
        )
    )
    pages = _pages(client)
    assert len(pages) > 100
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), url
        leaks = pattern.findall(response.content.decode())
        assert not leaks, f"{url} shows {leaks[:3]}"
