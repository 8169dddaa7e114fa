"""Importing a messy report in a real browser.

A facilitator uploads the PDF of an open-forum synthesis as converters really write them
(private-use bullets, the network's role table flattened column after column, a person
listed twice), moves two items between the parts of the role, merges the person listed
twice, accepts; then a visitor finds nothing personal and nothing unreviewed on the
site: no imported name, address or phone on any public page or in the search, the event
and the new organisation waiting for a facilitator's decision.
"""

import re

import pytest
from playwright.sync_api import expect

from maillage.accounts.tests.factories import PASSWORD, UserFactory
from maillage.directory.models import Organisation, Person
from maillage.imports.models import DocumentImport, ImportedFollowUp
from maillage.imports.tests import documents

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

B = "\uf0b7"  # the Symbol font's bullet, as PDF converters emit it
SYNTHESIS = f"""SYNTHÈSE DES ATELIERS EN FORUM OUVERT
Forum ouvert « Habiter les Causses » — Millau, 12 avril 2025

Compte-rendu Groupe 1 : « Habiter les bourgs »

Constats
{B} Des maisons vides dans les bourgs
{B} Peu de locations à l'année

Rôle du réseau
Peut ou doit continuer à
avancer, réfléchir, mobiliser, ...
Ne peut pas ou ne doit pas aller
plus loin
Peut faire avec … citer la,
les personnes, structures,
réseaux, …

{B} Recenser les logements vacants
{B} Porter des projets immobiliers

{B} Association Toits Partagés des Causses

Suites à donner
4 personnes inscrites pour poursuivre les échanges sur ce groupe
{B} Nina Rey nina.rey@example.org 06 00 00 00 42
{B} Yves Caron (Association Toits Partagés des Causses) yves.caron@example.net
{B} N. Rey
{B} contact@habiter-causses.example.org

mailto:nina.rey@example.org
"""
PRIVATE = ["Nina Rey", "Yves Caron", "nina.rey@example.org", "yves.caron@example.net",
           "06 00 00 00 42", "contact@habiter-causses.example.org"]  # fmt: skip


def _log_in(page, live_server, user):
    page.goto(live_server.url + "/compte/login/")
    page.get_by_label("Courriel").fill(user.email)
    page.get_by_label(re.compile(r"^Mot de passe\s*:?$")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Connexion").click()
    expect(page).to_have_url(live_server.url + "/")


def _part(page, document, key):
    group_id = document.draft["groups"][0]["id"]
    return page.locator(f"#role-{group_id}-{key}")


def test_import_journey(page, live_server, charter, screenshot, tmp_path):
    facilitator = UserFactory(display_name="Sophie Animation", role="facilitator")
    _log_in(page, live_server, facilitator)
    pdf = tmp_path / "synthese-forum.pdf"
    pdf.write_bytes(documents.to_pdf(SYNTHESIS))

    # 1. Upload the PDF.
    page.goto(live_server.url + "/imports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer un compte rendu")
    page.get_by_label("Document").set_input_files(str(pdf))
    screenshot(page, "imports-01-upload")
    page.get_by_role("button", name="Lire le document").click()

    # 2. The review: no bullet glyph anywhere, the flattened table said so.
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    draft = page.locator(".review-draft")
    expect(draft).to_contain_text("les colonnes du rôle du réseau n'étaient pas séparées")
    expect(draft).not_to_contain_text(B)
    document = DocumentImport.objects.get()
    assert document.source_format == "pdf"
    continue_part = _part(page, document, "continue")
    stop_part, with_part = _part(page, document, "stop"), _part(page, document, "with")
    expect(continue_part.locator("textarea")).to_have_count(2)
    screenshot(page, "imports-02-review")

    # 3. Move two items: « Porter des projets immobiliers » is what the network must not
    # do, the association is whom it works with.
    porter = continue_part.locator(".draft-item").filter(
        has=page.locator("textarea", has_text="Porter des projets immobiliers")
    )
    porter.get_by_role("button", name="Ne peut pas ou ne doit pas aller plus loin").click()
    expect(stop_part.locator("textarea")).to_have_count(2)
    toits = (
        _part(page, document, "stop")
        .locator(".draft-item")
        .filter(has=page.locator("textarea", has_text="Association Toits Partagés"))
    )
    toits.get_by_role("button", name="Peut faire avec").click()
    expect(with_part.locator("textarea").first).to_have_value(
        "Association Toits Partagés des Causses"
    )
    expect(stop_part.locator("textarea")).to_have_value("Porter des projets immobiliers")
    expect(continue_part.locator("textarea")).to_have_value("Recenser les logements vacants")

    # 4. « N. Rey » is Nina Rey, listed twice: merge them.
    document.refresh_from_db()
    contacts = document.draft["groups"][0]["follow_up"]
    short = next(c for c in contacts if (c["name"] or {}).get("value") == "N. Rey")
    page.locator(f"#merge-{short['id']}").select_option(label="Nina Rey")
    page.locator(f"#merge-{short['id']}").locator("xpath=..").get_by_role(
        "button", name="Fusionner"
    ).click()
    expect(page.locator(".review-draft")).to_contain_text("fusionné·e avec un autre contact")
    screenshot(page, "imports-03-moved-and-merged")

    # 5. Accept.
    page.get_by_role("button", name="Tout accepter et créer").click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Import accepté")
    screenshot(page, "imports-04-accepted")
    document.refresh_from_db()
    assert document.status == "accepted"
    assert ImportedFollowUp.objects.count() == 3  # Nina Rey, Yves Caron, the address alone
    assert Person.objects.filter(name="Nina Rey").count() == 1
    assert not Person.objects.filter(name__icontains="habiter").exists()
    association = Organisation.objects.get(name="Association Toits Partagés des Causses")
    assert association.status != "published"
    event = document.event

    # 6. A visitor sees nothing personal and nothing unreviewed.
    visitor = page.context.browser.new_context(locale="fr-FR")
    public = visitor.new_page()
    for path in (event.get_absolute_url(), association.get_absolute_url()):
        response = public.goto(live_server.url + path)
        assert response.status == 404, path
    for query in (*PRIVATE, "Toits Partagés", "Habiter les Causses"):
        public.goto(live_server.url + "/recherche/?q=" + query)
        results = public.get_by_role("main")
        for secret in PRIVATE:
            expect(results).not_to_contain_text(secret)
        expect(results).not_to_contain_text("Toits Partagés des Causses")
    for path in ("/", "/agenda/", "/annuaire/structures/", "/donnees/"):
        public.goto(live_server.url + path)
        body = public.locator("body")
        for secret in PRIVATE:
            expect(body).not_to_contain_text(secret)
    screenshot(public, "imports-05-visitor-search")
    visitor.close()
