"""Exchange in a real browser: a member posts a need, another member's offer is
suggested with its reason, a facilitator introduces them and both receive the e-mail;
the atlas renders with its filters."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from maillage.accounts.tests.factories import PASSWORD, UserFactory
from maillage.directory.tests.factories import (
    InitiativeFactory,
    OrganisationFactory,
    PersonFactory,
    ThemeFactory,
    aude_and_herault,
)
from maillage.exchange.models import Ad, Introduction
from maillage.exchange.tests.factories import consent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _label(text: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(text)}\s*:?$")


def _log_in(browser, live_server, user):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(live_server.url + "/compte/login/")
    page.get_by_label("Courriel").fill(user.email)
    page.get_by_label(_label("Mot de passe")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Connexion").click()
    expect(page).to_have_url(live_server.url + "/")
    return context, page


def _member(name, email, **profile):
    places = profile.pop("places", [])
    user = UserFactory(display_name=name, email=email)
    consent(user, suggestable=True, introductions=True)
    person = PersonFactory(user=user, name=name, visibility="members", **profile)
    person.territories.set(places)
    return person


def test_exchange_journey(browser, live_server, charter, screenshot):
    places = aude_and_herault()
    theme = ThemeFactory(name="Gouvernance partagée", slug="gouvernance-partagee")
    nadia = _member("Nadia Roux", "nadia@example.org", places=[places["carcassonne"]])
    olivier = _member(
        "Olivier Garcia",
        "olivier@example.org",
        offers="Facilitation de réunions, intelligence collective",
        places=[places["limoux"]],
    )
    olivier.themes.add(theme)
    facilitator = UserFactory(display_name="Sophie Animation", role="facilitator")
    organisation = OrganisationFactory(name="Tiers-lieu de Limoux", commune=places["limoux"])
    organisation.themes.add(theme)
    initiative = InitiativeFactory(
        title="Conseil citoyen de Carcassonne", commune=places["carcassonne"]
    )
    initiative.themes.add(theme)
    initiative.carrier_people.add(nadia)

    # A member posts a need.
    context, page = _log_in(browser, live_server, nadia.user)
    page.goto(live_server.url + "/echanges/")
    page.get_by_role("link", name="Publier une annonce").first.click()
    page.get_by_label("Je cherche").check()
    page.get_by_label(_label("Titre")).fill("Quelqu'un pour animer nos réunions")
    page.get_by_label(_label("Texte")).fill(
        "Notre conseil citoyen cherche une personne pour l'animation de réunions publiques."
    )
    page.get_by_label("Gouvernance partagée").check()
    # The commune picker: the typed name is resolved on submission (with or without htmx).
    page.get_by_label(_label("Commune")).fill("Carcassonne")
    screenshot(page, "exchange-01-ad-form")
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quelqu'un pour animer nos réunions")
    ad = Ad.objects.get()
    assert ad.author == nadia.user

    # Olivier's offer is suggested, with its reason.
    suggestion = page.locator(".suggestion").filter(has_text="Olivier Garcia")
    expect(suggestion).to_contain_text(
        "Votre annonce cherche : Quelqu'un pour animer nos réunions — Olivier Garcia "
        "propose : Facilitation de réunions"
    )
    expect(suggestion).to_contain_text("même département (Aude)")
    screenshot(page, "exchange-02-ad-with-suggestion")
    context.close()

    # The facilitator introduces them; both get the e-mail.
    context, page = _log_in(browser, live_server, facilitator)
    page.goto(live_server.url + "/echanges/mises-en-relation/")
    row = page.locator("tr").filter(has_text="Olivier Garcia")
    expect(row).to_contain_text("Nadia Roux")
    screenshot(page, "exchange-03-pairs")
    mail.outbox.clear()
    row.get_by_role("link", name="Présenter").click()
    page.get_by_label(_label("Mot d'introduction")).fill(
        "Nadia cherche une animation pour le conseil citoyen, Olivier anime des réunions."
    )
    page.get_by_role("button", name="Envoyer la mise en relation").click()
    expect(page.locator(".messages")).to_contain_text("Mise en relation envoyée")
    assert Introduction.objects.filter(
        person_a__in=[nadia, olivier], person_b__in=[nadia, olivier]
    ).exists()
    received = {m.to[0]: m for m in mail.outbox}
    assert set(received) == {"nadia@example.org", "olivier@example.org"}
    assert "olivier@example.org" not in received["nadia@example.org"].body
    assert "conseil citoyen" in received["olivier@example.org"].body

    # The atlas renders, with its filters.
    page.goto(live_server.url + "/echanges/atlas/")
    expect(page.locator("#atlas.atlas-ready")).to_be_visible()
    assert int(page.locator("#atlas").get_attribute("data-nodes")) >= 6
    screenshot(page, "exchange-04-atlas")
    page.get_by_label("Thématique").select_option(label="Gouvernance partagée")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"theme=gouvernance-partagee"))
    expect(page.locator("#atlas.atlas-ready")).to_be_visible()
    expect(page.locator(".figures-table")).to_contain_text("Ponts entre territoires")
    screenshot(page, "exchange-05-atlas-filtered")
    context.close()
