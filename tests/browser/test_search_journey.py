"""Search in a real browser, then the map with the same criteria: type words (results
follow with htmx), narrow by type, theme and département with the facets, open the map
from the results, zoom into a cluster, open the popup of an upcoming event, copy the
embed snippet. No Content Security Policy violation on the way.

The map's own journey (list beside the map, embedded page, the page without JavaScript)
is in test_map_journey.py; this one checks what joins search and map.
"""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from maillage.directory.tests.factories import InitiativeFactory, ThemeFactory
from maillage.events.tests.factories import EventFactory
from maillage.territories.models import Territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Initiatives about the energy transition on communes of the Aude, and elsewhere.
ENERGY_IN_AUDE = {
    "11069": ["Centrale solaire citoyenne de Carcassonne", "Énergie partagée de la Cité"],
    "11206": ["Centrale villageoise de Limoux"],
    "11262": ["Coopérative d'énergie de Narbonne"],
}
ENERGY_ELSEWHERE = {"34172": ["Énergies citoyennes de Montpellier"]}
FOOD_IN_AUDE = {"11069": ["Cantine solidaire de Carcassonne"]}
EVENT = "Rencontre de la transition énergétique"
DRAFT_EVENT = "Brouillon de rencontre sur l'énergie"
MAX_CLICKS = 8

CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def _network() -> None:
    call_command("load_territories", only_departements="11,34", verbosity=0, stdout=StringIO())
    energy = ThemeFactory(name="Énergie", slug="energie")
    food = ThemeFactory(name="Alimentation", slug="alimentation")
    for places, theme, summary in (
        (ENERGY_IN_AUDE, energy, "Produire une énergie locale et citoyenne."),
        (ENERGY_ELSEWHERE, energy, "Produire une énergie locale et citoyenne."),
        (FOOD_IN_AUDE, food, "Des repas de saison pour les écoles."),
    ):
        for code, titles in places.items():
            commune = Territory.objects.get(kind="commune", code=code)
            for title in titles:
                initiative = InitiativeFactory(
                    title=title,
                    summary=summary,
                    commune=commune,
                    latitude=commune.latitude,
                    longitude=commune.longitude,
                )
                initiative.themes.add(theme)
    carcassonne = Territory.objects.get(kind="commune", code="11069")
    soon = timezone.now() + timedelta(days=12)
    for title, status in ((EVENT, "published"), (DRAFT_EVENT, "draft")):
        event = EventFactory(
            title=title,
            summary="Une journée sur l'énergie citoyenne dans l'Aude.",
            status=status,
            starts_at=soon,
            ends_at=soon + timedelta(hours=6),
            commune=carcassonne,
            latitude=carcassonne.latitude,
            longitude=carcassonne.longitude,
        )
        event.themes.add(energy)


def _console_error(message, errors: list[str]) -> None:
    if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
        errors.append(f"{message.text} ({message.location.get('url')})")


def _loads(page) -> int:
    return int(page.locator("#map").get_attribute("data-loaded") or 0)


def _wait_for_data(page, after: int) -> None:
    page.wait_for_function(
        "n => Number(document.getElementById('map').dataset.loaded || 0) > n", arg=after
    )


def _hits(page):
    return page.locator(".search-hit h3")


def test_search_then_map_journey(browser, live_server, settings, screenshot):
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

    # 1. Words typed in the box: the results follow (htmx), accents folded, the event
    # found with the initiatives, never the draft.
    page.goto(live_server.url + "/recherche/")
    page.locator("#search-q").press_sequentially("energie", delay=40)  # keyup: htmx
    expect(page).to_have_url(re.compile(r"q=energie"))
    expect(page.locator(".result-count")).to_have_text("6 résultats")
    expect(_hits(page).filter(has_text=EVENT)).to_have_count(1)
    expect(page.locator("#search-results")).not_to_contain_text(DRAFT_EVENT)
    screenshot(page, "search-01-results")

    # 2. Facets: the events only, then back; the Aude; the theme. Each in the URL.
    facets = page.locator(".search-facets")
    facets.get_by_role("link", name="Rencontres").click()
    expect(page).to_have_url(re.compile(r"type=event"))
    expect(page.locator(".result-count")).to_have_text("1 résultat")
    page.get_by_role("link", name="Retirer le critère Rencontres").click()
    expect(page.locator(".result-count")).to_have_text("6 résultats")
    facets.get_by_role("link", name=re.compile(r"^Occitanie")).click()  # région, then
    expect(page.locator(".result-count")).to_have_text("6 résultats")
    facets.get_by_role("link", name=re.compile(r"^Aude")).click()  # its département
    expect(page).to_have_url(re.compile(r"territoire=\d+"))
    expect(page.locator(".result-count")).to_have_text("5 résultats")  # not Montpellier
    facets.get_by_role("link", name="Énergie").click()
    expect(page).to_have_url(re.compile(r"theme=energie"))
    expect(page.locator(".result-count")).to_have_text("5 résultats")
    expect(page.locator(".search-chips li")).to_have_count(2)
    screenshot(page, "search-02-facets")

    # 3. The map with the same criteria: the Aude's energy points (the map has no words:
    # the food initiative of Carcassonne is not there either, by its theme).
    page.get_by_role("link", name="Voir ces critères sur la carte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Carte du réseau")
    expect(page).to_have_url(re.compile(r"/carte/\?.*theme=energie"))
    _wait_for_data(page, 0)
    expect(page.locator("#results h2")).to_have_text("5 fiches dans cette zone")
    expect(page.locator("#results")).not_to_contain_text("Cantine solidaire")
    expect(page.locator("#results")).not_to_contain_text("Montpellier")
    expect(page.locator(".map-cluster").first).to_be_visible()
    screenshot(page, "search-03-map-with-criteria")

    # 4. Zoom into the cluster of Carcassonne: its three entries share the commune's
    # centre, so at the last zoom its popup lists them; the event's link leads to it.
    popup = page.locator(".leaflet-popup-content")
    for _ in range(MAX_CLICKS):
        before = _loads(page)
        page.locator(".map-cluster").first.click()
        page.wait_for_function(
            "n => Number(document.getElementById('map').dataset.loaded || 0) > n"
            " || document.querySelector('.leaflet-popup-content')",
            arg=before,
        )
        if popup.count():
            break
        page.wait_for_timeout(300)  # the end of the zoom animation
    expect(popup).to_contain_text(EVENT)
    link = popup.get_by_role("link", name=EVENT)
    expect(link).to_have_attribute("href", re.compile(r"^/agenda/\d+/$"))
    event_url = link.get_attribute("href")
    page.wait_for_timeout(400)  # the popup's fade-in
    screenshot(page, "search-04-zoomed-cluster-popup")

    # 5. The embed snippet keeps the criteria and the view.
    page.keyboard.press("Escape")
    page.get_by_text("Intégrer cette carte sur un autre site").click()
    page.get_by_role("button", name="Copier le code").click()
    expect(page.locator("#map-embed-status")).to_have_text("Code copié.")
    snippet = page.evaluate("navigator.clipboard.readText()")
    assert snippet.startswith('<iframe src="' + live_server.url + "/carte/embed?")
    assert "theme=energie" in snippet and "territoire=" in snippet and "zoom=" in snippet
    screenshot(page, "search-05-embed-snippet")

    # 6. The popup's link opens the event.
    page.goto(live_server.url + event_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(EVENT)

    violations = page.evaluate("window.__cspViolations")
    assert not violations, violations
    assert not errors, errors
    context.close()
