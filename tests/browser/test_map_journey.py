"""The map in a real browser: open it, zoom into a cluster, open a popup, follow the list
beside the map, copy the embed snippet, open the embedded map; and the page without
JavaScript. No Content Security Policy violation on the way."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from maillage.directory.tests.factories import (
    InitiativeFactory,
    OrganisationFactory,
    PersonFactory,
)
from maillage.territories.models import Territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records on real communes of the Aude, the Hérault and the Tarn.
PLACES = {
    "11069": ["Cantine solidaire de Carcassonne", "Repair café de la Cité", "Tiers-lieu du Canal"],
    "11206": ["Centrale villageoise de Limoux"],
    "11262": ["Covoiturage solidaire de Narbonne", "Budget participatif de Narbonne"],
    "34032": ["Jardin partagé de Béziers"],
    "34172": ["Conseil citoyen de Montpellier", "Épicerie coopérative de Montpellier"],
    "81004": ["Haies et chemins d'Albi", "Régie alimentaire d'Albi"],
    "81065": ["Tiers-lieu de Castres"],
}
TOTAL = 13  # 12 initiatives and an organisation; never the private person
PRIVATE_NAME = "Pia Privée"
MAX_CLICKS = 8

# Records every Content Security Policy violation the page reports.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def _network() -> None:
    call_command("load_territories", only_departements="11,34,81", verbosity=0, stdout=StringIO())
    for code, titles in PLACES.items():
        commune = Territory.objects.get(kind="commune", code=code)
        for title in titles:
            InitiativeFactory(
                title=title, commune=commune, latitude=commune.latitude, longitude=commune.longitude
            )
    castres = Territory.objects.get(kind="commune", code="81065")
    OrganisationFactory(
        name="Association des jardins de Castres",
        commune=castres,
        latitude=castres.latitude,
        longitude=castres.longitude,
    )
    private = PersonFactory(name=PRIVATE_NAME, visibility="private", on_map=True)
    private.territories.add(castres)


def _console_error(message, errors: list[str]) -> None:
    # The browser asks for /favicon.ico on its own; the site has none (yet).
    if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
        errors.append(f"{message.text} ({message.location.get('url')})")


def _loads(page) -> int:
    return int(page.locator("#map").get_attribute("data-loaded") or 0)


def _wait_for_data(page, after: int) -> None:
    page.wait_for_function(
        "n => Number(document.getElementById('map').dataset.loaded || 0) > n", arg=after
    )


def _zoom(page) -> int:
    return int(re.search(r"zoom=(\d+)", page.locator("#map-embed-code").input_value()).group(1))


def test_map_journey(browser, live_server, settings, screenshot):
    settings.MAP_TILES_URL = ""  # no background tiles: the tests run offline
    _network()
    context = browser.new_context(
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
    )
    context.set_default_timeout(20_000)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: _console_error(msg, errors))
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))

    # 1. The map opens on France, with clusters and the list of what is in view.
    page.goto(live_server.url + "/carte/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Carte du réseau")
    _wait_for_data(page, 0)
    expect(page.locator(".map-cluster").first).to_be_visible()
    expect(page.locator("#results h2")).to_have_text(f"{TOTAL} fiches dans cette zone")
    expect(page.locator("#results")).not_to_contain_text(PRIVATE_NAME)
    screenshot(page, "map-01-overview")

    # 2. Zoom into a cluster until single points show.
    start_zoom = _zoom(page)
    for click in range(MAX_CLICKS):
        if click and page.locator(".map-point").count():
            break
        before = _loads(page)
        page.locator(".map-cluster").first.click()  # the largest
        _wait_for_data(page, before)
        page.wait_for_timeout(300)  # the end of the zoom animation
    assert _zoom(page) > start_zoom
    expect(page.locator(".map-point").first).to_be_visible()
    screenshot(page, "map-02-zoomed-into-a-cluster")

    # 3. A popup links to the record's page.
    point = page.locator(".map-point").first
    title = point.get_attribute("title")
    point.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(title)
    link = popup.get_by_role("link", name=title)
    expect(link).to_have_attribute("href", re.compile(r"^/annuaire/(initiatives|structures)/\d+/$"))
    page.wait_for_timeout(400)  # the popup's fade-in
    screenshot(page, "map-03-popup")

    # 4. The list beside the map follows the viewport.
    page.keyboard.press("Escape")
    for _ in range(MAX_CLICKS):
        if int(page.locator("#map").get_attribute("data-total")) < TOTAL:
            break
        before = _loads(page)
        page.get_by_role("button", name="Zoom avant").click()
        _wait_for_data(page, before)
    in_view = int(page.locator("#map").get_attribute("data-total"))
    assert 0 < in_view < TOTAL
    expect(page.locator("#results h2")).to_have_text(
        re.compile(rf"^{in_view} fiches? dans cette zone$")
    )
    expect(page.locator("#results li")).to_have_count(in_view)

    # 5. Copy the embed snippet: an iframe of the embeddable map at this view.
    page.get_by_text("Intégrer cette carte sur un autre site").click()
    page.get_by_role("button", name="Copier le code").click()
    expect(page.locator("#map-embed-status")).to_have_text("Code copié.")
    snippet = page.evaluate("navigator.clipboard.readText()")
    assert snippet.startswith('<iframe src="' + live_server.url + "/carte/embed?")
    assert "zoom=" in snippet and 'title="Carte : ' in snippet
    screenshot(page, "map-04-embed-snippet")

    # 6. The embedded map alone, as a partner site would show it.
    embed_url = re.search(r'src="([^"]+)"', snippet).group(1).replace("&amp;", "&")
    page.goto(embed_url)
    _wait_for_data(page, 0)
    expect(page.locator(".map-point, .map-cluster").first).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Voir la carte complète"))).to_be_visible()
    screenshot(page, "map-05-embed")

    # 7. Filters: the Tarn only, then one type.
    page.goto(live_server.url + "/carte/?territoire_search=Tarn")
    _wait_for_data(page, 0)
    expect(page.locator("#results h2")).to_have_text("4 fiches dans cette zone")
    before = _loads(page)
    page.get_by_label("Type").select_option(label="Structures")
    _wait_for_data(page, before)
    expect(page.locator("#results h2")).to_have_text("1 fiche dans cette zone")
    screenshot(page, "map-06-filtered")

    violations = page.evaluate("window.__cspViolations")
    assert not violations, violations
    csp = [e for e in errors if "Content Security Policy" in e]
    assert not csp, csp
    assert not errors, errors
    context.close()


def test_map_without_javascript(browser, live_server, settings, screenshot):
    settings.MAP_TILES_URL = ""
    _network()
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/carte/")
    results = page.locator("#results")
    expect(results).to_contain_text(f"{TOTAL} fiches")
    expect(results).not_to_contain_text(PRIVATE_NAME)
    expect(page.get_by_text("La carte interactive demande JavaScript")).to_be_visible()
    page.get_by_label("Type").select_option(label="Structures")
    page.get_by_role("button", name="Afficher").click()
    expect(results).to_contain_text("1 fiche")
    expect(results.get_by_role("link", name="Association des jardins de Castres")).to_be_visible()
    screenshot(page, "map-07-without-javascript")
    context.close()
