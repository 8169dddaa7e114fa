"""The library in a real browser: a member writes an experience sheet about a project
that failed, another member assesses it against the network's grid, a facilitator adds
it to a collection and exports the booklet (its first page is saved as a screenshot)."""

import re
import warnings
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from maillage.accounts.tests.factories import PASSWORD, UserFactory
from maillage.core.documents import pdf_page_png, pdf_text
from maillage.directory.tests.factories import ThemeFactory, aude_and_herault
from maillage.knowledge import services
from maillage.knowledge.models import Assessment, Collection, ExperienceSheet
from maillage.knowledge.tests.factories import ResourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Une régie maraîchère municipale qui n'a pas tenu"
OBSTACLE = "Un seul maraîcher pour tout : son arrêt maladie a tout arrêté"
TIP = "Prévoir deux postes, ou un partenariat avec une ferme voisine"
GRID = "Grille des bonnes pratiques"
COLLECTION = "Se nourrir localement : réussites et échecs"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _label(text: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(text)}\s*:?$")


def _new_page(browser):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", accept_downloads=True)
    context.set_default_timeout(20_000)
    return context, context.new_page()


def _log_in(page, live_server, user):
    page.goto(live_server.url + "/compte/login/")
    page.get_by_label("Courriel").fill(user.email)
    page.get_by_label(_label("Mot de passe")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Connexion").click()
    expect(page).to_have_url(live_server.url + "/")


def _pick_territory(page, label: str, text: str, choice: str) -> None:
    """Pick a territory among htmx's suggestions, or leave the text for the form to resolve
    (the no-JavaScript path)."""
    search = page.get_by_label(_label(label))
    picker = page.locator(".territory-picker").filter(has=search)
    search.fill(text)
    suggestion = picker.locator(".territory-suggestions").get_by_label(choice, exact=True)
    try:
        suggestion.wait_for(state="visible", timeout=5_000)
    except PlaywrightError:
        warnings.warn(f"no htmx suggestion for « {text} »", stacklevel=2)
        return
    suggestion.click()
    expect(picker.locator(".territory-selected").get_by_label(choice)).to_be_checked()


def test_library_journey(browser, live_server, charter, screenshot):
    aude_and_herault()
    ThemeFactory(name="Alimentation", slug="alimentation")
    author = UserFactory(display_name="Camille Membre")
    assessor = UserFactory(display_name="Bruno Voisin")
    facilitator = UserFactory(display_name="Sophie Animation", role="facilitator")
    services.grid_save(
        actor=facilitator,
        name=GRID,
        defined_by_name="Le groupe de travail « Capitaliser »",
        criteria=[
            ("Reproductible ailleurs", "Un autre territoire pourrait-il le refaire ?"),
            ("Implication des habitant·es", "Ont-ils et elles pris part aux décisions ?"),
        ],
    )

    # 1. A member writes the sheet of a failed project and publishes it.
    context, page = _new_page(browser)
    try:
        _log_in(page, live_server, author)
        page.goto(live_server.url + "/bibliotheque/fiches/nouvelle/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Écrire une fiche d'expérience")
        page.get_by_label(_label("Titre")).fill(TITLE)
        page.get_by_label("En bref").fill("Deux saisons de légumes pour la cantine, puis l'arrêt.")
        page.get_by_label("Ça n'a pas marché").check()
        page.get_by_label("Le contexte").fill(
            "Une commune de 3 000 habitant·es, 350 repas par jour."
        )
        page.get_by_label("Ce qui a été fait").fill("Achat de 3 hectares, une serre, un maraîcher.")
        page.get_by_label("Les résultats").fill("40 % des légumes de la cantine pendant deux ans.")
        page.get_by_label("Ce que nous ferions autrement").fill("Associer les agents dès le début.")
        page.get_by_label("Alimentation").check()
        _pick_territory(page, "Territoires", "Limoux", "Limoux (11)")
        obstacles = page.locator("fieldset").filter(has_text="Les obstacles rencontrés")
        obstacles.get_by_label("Texte").first.fill(OBSTACLE)
        obstacles.get_by_label("Qui le dit (facultatif)").first.fill("La mairie")
        tips = page.locator("fieldset").filter(has_text="Les astuces")
        tips.get_by_label("Texte").first.fill(TIP)
        screenshot(page, "library-01-sheet-form")
        page.get_by_role("button", name="Enregistrer et publier").click()
        expect(page).to_have_url(re.compile(r"/bibliotheque/fiches/\d+/$"))
        main = page.get_by_role("main")
        expect(main).to_contain_text("Ça n'a pas marché — et voici ce que nous en avons appris.")
        expect(main).to_contain_text(OBSTACLE)
        expect(main).to_contain_text("Limoux")
        screenshot(page, "library-02-sheet")
    finally:
        context.close()
    sheet = ExperienceSheet.objects.get(title=TITLE)
    assert sheet.is_published and sheet.outcome == "failure" and sheet.created_by == author
    assert [t.code for t in sheet.territories.all()] == ["11206"]

    # 2. Another member assesses it against the grid.
    context, page = _new_page(browser)
    try:
        _log_in(page, live_server, assessor)
        page.goto(live_server.url + sheet.get_absolute_url())
        page.get_by_role("link", name=f"Évaluer avec « {GRID} »").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
        first = page.locator("fieldset").filter(has_text="Reproductible ailleurs")
        first.get_by_label("Plutôt").check()
        first.get_by_label("Pourquoi ce niveau ? (facultatif)").fill("Avec deux postes, oui.")
        second = page.locator("fieldset").filter(has_text="Implication des habitant·es")
        second.get_by_label("Pas du tout").check()
        page.get_by_label("Commentaire général (facultatif)").fill("Un échec très instructif.")
        screenshot(page, "library-03-assessment-form")
        page.get_by_role("button", name="Enregistrer mon évaluation").click()
        evaluations = page.locator("#evaluations")
        expect(evaluations).to_contain_text("Reproductible ailleurs")
        expect(evaluations).to_contain_text("Avec deux postes, oui.")
        expect(evaluations).to_contain_text("Bruno Voisin")
        expect(evaluations).to_contain_text(
            "grille définie par Le groupe de travail « Capitaliser »"
        )
        screenshot(page, "library-04-assessed")
    finally:
        context.close()
    assert Assessment.objects.get().assessor == assessor

    # 3. A facilitator makes a collection, adds the sheet and exports the booklet.
    context, page = _new_page(browser)
    try:
        _log_in(page, live_server, facilitator)
        page.goto(live_server.url + "/bibliotheque/collections/nouvelle/")
        page.get_by_label("Titre").fill(COLLECTION)
        page.get_by_label("Présentation").fill(
            "Ce que nos réussites et nos échecs nous apprennent."
        )
        page.get_by_role("main").get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(COLLECTION)
        page.goto(live_server.url + sheet.get_absolute_url())
        page.get_by_label("Collection").select_option(label=COLLECTION)
        page.get_by_role("button", name="Ajouter à la collection").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(COLLECTION)
        expect(page.get_by_role("main").get_by_role("link", name=TITLE)).to_be_visible()
        screenshot(page, "library-05-collection")
        with page.expect_download() as info:
            page.get_by_role("link", name="Télécharger le livret PDF").click()
        pdf = Path(info.value.path()).read_bytes()
    finally:
        context.close()
    assert Collection.objects.get().sheets.get() == sheet
    text = " ".join(pdf_text(pdf).split())
    assert COLLECTION in text and TITLE in text and OBSTACLE in text
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "library-06-booklet-page-1.png").write_bytes(pdf_page_png(pdf, 0))
    (SCREENSHOTS / "library-07-booklet-page-2.png").write_bytes(pdf_page_png(pdf, 1))

    # 4. A visitor browses the library: the failure is there, each resource with its licence.
    ResourceFactory(
        title="Guide de la restauration collective locale",
        licence="etalab-2.0",
        author="Ministère de l'Agriculture",
        sheet=sheet,
    )
    context, page = _new_page(browser)
    try:
        page.goto(live_server.url + "/bibliotheque/")
        main = page.get_by_role("main")
        expect(main.get_by_role("link", name=TITLE)).to_be_visible()
        expect(main).to_contain_text("Licence : Licence Ouverte 2.0")
        screenshot(page, "library-08-home")
        page.goto(live_server.url + "/bibliotheque/fiches/?issue=failure")
        expect(page.locator("#results")).to_contain_text("1 résultat")
        screenshot(page, "library-09-failures")
    finally:
        context.close()
