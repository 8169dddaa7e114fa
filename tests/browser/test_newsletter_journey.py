"""The newsletter in a real browser: a visitor subscribes and confirms by the e-mail link,
a facilitator writes, previews and sends a letter, the visitor receives it and
unsubscribes in one click."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from maillage.accounts.tests.factories import PASSWORD, UserFactory
from maillage.directory.tests.factories import InitiativeFactory, ThemeFactory
from maillage.newsletter.models import Subscriber

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISITOR = "claude.visiteur@example.org"


def _label(text: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(text)}\s*:?$")


def _link(body: str, path: str) -> str:
    return re.search(rf"https?://\S+{path}\S+/", body).group(0)


def test_newsletter_journey(browser, live_server, charter, screenshot):
    food = ThemeFactory(name="Alimentation", slug="alimentation")
    InitiativeFactory(title="Cantine solidaire de Limoux").themes.add(food)
    facilitator = UserFactory(display_name="Sophie Animation", role="facilitator")

    # A visitor subscribes, choosing a theme.
    visitor = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    visitor.set_default_timeout(20_000)
    page = visitor.new_page()
    page.goto(live_server.url + "/lettre/abonnement/")
    page.get_by_label(_label("Votre adresse électronique")).fill(VISITOR)
    page.get_by_label("Alimentation").check()
    screenshot(page, "newsletter-01-subscribe")
    page.get_by_role("button", name="M'abonner").click()
    expect(page.get_by_role("heading", name="Vérifiez votre boîte aux lettres")).to_be_visible()
    assert not Subscriber.objects.exists()

    # … and confirms by the link of the e-mail.
    (confirmation,) = mail.outbox
    page.goto(_link(confirmation.body, "/lettre/confirmation/"))
    page.get_by_role("button", name="Oui, je confirme mon abonnement").click()
    expect(page.get_by_text(f"C'est fait : {VISITOR} recevra")).to_be_visible()
    screenshot(page, "newsletter-02-confirmed")

    # A facilitator writes the letter, previews it and sends it.
    desk = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    desk.set_default_timeout(20_000)
    writer = desk.new_page()
    writer.goto(live_server.url + "/compte/login/")
    writer.get_by_label("Courriel").fill(facilitator.email)
    writer.get_by_label(_label("Mot de passe")).fill(PASSWORD)
    writer.get_by_role("main").get_by_role("button", name="Connexion").click()
    expect(writer).to_have_url(live_server.url + "/")
    writer.goto(live_server.url + "/lettre/redaction/nouvelle/")
    writer.get_by_label(_label("Objet")).fill("La lettre du printemps")
    writer.get_by_label(_label("Éditorial")).fill("**Bonjour** à toutes et à tous !")
    writer.get_by_role("button", name="Enregistrer et voir l'aperçu").click()
    expect(writer.get_by_role("link", name="Cantine solidaire de Limoux")).to_be_visible()
    screenshot(writer, "newsletter-03-preview")
    writer.get_by_role("button", name="Envoyer la lettre").click()
    expect(writer.get_by_text("La lettre est programmée")).to_be_visible()
    screenshot(writer, "newsletter-04-desk")

    # The visitor receives it, with the one-click unsubscribe headers and link.
    (letter,) = [m for m in mail.outbox if m.to == [VISITOR] and m is not confirmation]
    assert letter.subject == "La lettre du printemps"
    assert "Cantine solidaire de Limoux" in letter.body
    assert letter.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = _link(letter.body, "/lettre/desabonnement/")
    assert letter.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"

    # The archived letter is public.
    page.goto(live_server.url + "/lettre/")
    page.get_by_role("link", name="La lettre du printemps").click()
    expect(page.locator(".letter-editorial strong")).to_have_text("Bonjour")
    screenshot(page, "newsletter-05-archive")

    # One click on the link of the letter, and it is over.
    page.goto(unsubscribe)
    page.get_by_role("button", name="Oui, me désabonner").click()
    expect(page.get_by_text(f"C'est fait : {VISITOR} ne recevra plus")).to_be_visible()
    screenshot(page, "newsletter-06-unsubscribed")
    assert not Subscriber.objects.active().exists()
    visitor.close()
    desk.close()
