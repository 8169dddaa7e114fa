"""Importing a report in a real browser: a facilitator uploads an open-forum synthesis,
reads the source beside the draft, corrects a group's title, accepts, then finds the new
event, its groups and the follow-ups in the site."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from maillage.accounts.tests.factories import PASSWORD, UserFactory
from maillage.imports.models import DocumentImport, ImportedFollowUp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "samples" / "synthese-forum-ouvert.txt"
NEW_TITLE = "Partager nos ressources et nos outils"


def _log_in(page, live_server, user):
    page.goto(live_server.url + "/compte/login/")
    page.get_by_label("Courriel").fill(user.email)
    page.get_by_label(re.compile(r"^Mot de passe\s*:?$")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Connexion").click()
    expect(page).to_have_url(live_server.url + "/")


def test_import_journey(page, live_server, charter, screenshot):
    facilitator = UserFactory(display_name="Sophie Animation", role="facilitator")
    _log_in(page, live_server, facilitator)

    # 1. Upload the report.
    page.goto(live_server.url + "/imports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer un compte rendu")
    page.get_by_label("Document").set_input_files(str(SAMPLE))
    screenshot(page, "imports-01-upload")
    page.get_by_role("button", name="Lire le document").click()

    # 2. The review page: the source, numbered, beside the draft.
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    expect(page.locator("#l10")).to_contain_text("Compte-rendu Groupe 1")
    draft = page.locator(".review-draft")
    expect(draft).to_contain_text("5 personne(s) annoncée(s) pour la suite, 4 contact(s)")
    expect(draft).to_contain_text("listé·e deux fois")
    document = DocumentImport.objects.get()
    title_id = document.draft["groups"][0]["title"]["id"]
    field = page.locator(f"#v-{title_id}")
    expect(field).to_have_value("Partager nos ressources")
    screenshot(page, "imports-02-review")
    page.screenshot(
        path=str(screenshot(page, "imports-02-review").with_name("imports-02-review-top.png"))
    )

    # 3. Correct one item, then accept the whole.
    field.fill(NEW_TITLE)
    page.get_by_role("button", name="Tout accepter et créer").click()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Import accepté")
    expect(main).to_contain_text("Théo Garnier")
    screenshot(page, "imports-03-accepted")
    assert ImportedFollowUp.objects.count() == 15

    # 4. The new event, its groups and follow-ups are in the site.
    main.get_by_role(
        "link", name="Rencontres du réseau Territoires Solidaires du Sud-Ouest"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Rencontres du réseau Territoires Solidaires du Sud-Ouest"
    )
    screenshot(page, "imports-04-event")
    page.go_back()
    page.get_by_role("main").get_by_role("link", name=re.compile(NEW_TITLE)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(NEW_TITLE)
    expect(page.get_by_role("main")).to_contain_text("Rendre visibles les ressources")
    expect(page.get_by_role("main")).to_contain_text("Hélène Marchal")
    screenshot(page, "imports-05-group")
