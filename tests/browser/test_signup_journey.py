"""A visitor joins the network in a real browser: sign-up, e-mail, charter, log-in."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from maillage.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Claire Duval"
EMAIL = "claire.duval@example.org"
PASSWORD = "une-phrase-de-passe-longue"
CONFIRMATION_LINK = re.compile(r"https?://\S+?(/compte/confirm-email/[^\s/]+/)")


def _password_field(page):
    # "Mot de passe :" must not also match "Mot de passe (confirmation) :".
    return page.get_by_label(re.compile(r"^Mot de passe\s*:?$"))


def test_signup_journey(page, live_server, charter, screenshot):
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("Accueil"))
    screenshot(page, "signup-01-home")

    page.get_by_role("main").get_by_role("link", name="Rejoindre le réseau").click()
    expect(page).to_have_url(re.compile(r"/compte/signup/$"))
    page.get_by_label("Votre nom").fill(NAME)
    page.get_by_label("Courriel").fill(EMAIL)
    _password_field(page).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    screenshot(page, "signup-02-form")

    outbox_before = len(mail.outbox)
    page.get_by_role("main").get_by_role("button", name="Création de compte").click()
    expect(page).to_have_url(re.compile(r"/compte/confirm-email/$"))
    expect(page.get_by_role("main")).to_contain_text(EMAIL)
    screenshot(page, "signup-03-verification-sent")

    assert len(mail.outbox) == outbox_before + 1
    message = mail.outbox[-1]
    assert message.to == [EMAIL]
    match = CONFIRMATION_LINK.search(message.body)
    assert match, message.body
    page.goto(live_server.url + match.group(1))
    screenshot(page, "signup-04-confirm-email")
    page.get_by_role("main").get_by_role("button").click()

    expect(page).to_have_url(re.compile(r"/charte/accepter/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("La charte du réseau")
    page.get_by_label("J'ai lu la charte du réseau").check()
    screenshot(page, "signup-05-charter")
    page.get_by_role("button", name="J'accepte la charte").click()

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("main")).to_contain_text(f"Bonjour {NAME}")
    screenshot(page, "signup-06-logged-in")
    assert User.objects.get(email=EMAIL).is_member

    page.get_by_role("banner").get_by_role("button", name="Se déconnecter").click()
    if urlsplit(page.url).path.startswith("/compte/logout/"):
        # allauth asks for confirmation when the log-out is not a POST from the site.
        page.get_by_role("main").get_by_role("button").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Se connecter")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Bonjour")

    page.goto(live_server.url + "/compte/login/")
    page.get_by_label("Courriel").fill(EMAIL)
    _password_field(page).fill(PASSWORD)
    screenshot(page, "signup-07-login")
    page.get_by_role("main").get_by_role("button", name="Connexion").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("main")).to_contain_text(f"Bonjour {NAME}")
    screenshot(page, "signup-08-logged-in-again")


def test_pages_load_without_console_errors_or_csp_violations(page, live_server, charter):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))

    for path in ("/", "/compte/signup/", "/compte/login/"):
        response = page.goto(live_server.url + path)
        assert response is not None and response.ok, path
        page.wait_for_load_state("networkidle")
        assert page.evaluate("typeof window.htmx") == "object", path

    csp = [e for e in errors if "Content Security Policy" in e]
    assert not csp, csp
    assert not errors, errors


def test_tab_first_focuses_the_skip_link(page, live_server, charter):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Aller au contenu")
    expect(focused).to_have_attribute("href", "#contenu")
    expect(focused).to_be_in_viewport()


def test_home_page_on_a_phone(browser, live_server, charter, screenshot):
    context = browser.new_context(
        locale="fr-FR",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        expect(
            page.get_by_role("main").get_by_role("link", name="Rejoindre le réseau")
        ).to_be_visible()
        # Nothing may stick out sideways on a small screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "signup-mobile-home")
    finally:
        context.close()
