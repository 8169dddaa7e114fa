"""The directory in a real browser: a member fills in a profile and proposes an initiative,
a facilitator validates it, a visitor finds it by territory and reads its charter."""

import re
import warnings
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from maillage.accounts.tests.factories import PASSWORD, UserFactory
from maillage.directory.models import Initiative, Person
from maillage.directory.tests.factories import InitiativeFactory, ThemeFactory
from maillage.territories.models import Territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Cantine solidaire de Limoux"
HERAULT_TITLE = "Jardin partagé de Béziers"
DRIVES = "La coopération entre voisins et une alimentation locale accessible à tous."
SEEKS = "Des partenaires pour une légumerie dans la Haute Vallée de l'Aude."
OFFERS = "Animation de réunions, comptabilité associative."
EMAIL = "camille.perso@example.org"
CHARTER = {
    "Tâches concrètes": "Éplucher les légumes, servir les repas, faire la vaisselle.",
    "Temps demandé": "Une demi-journée par mois",
    "Limites de l'engagement": "Pas de responsabilité financière ni d'astreinte.",
    "Comment se retirer": "Prévenir l'équipe par courriel deux semaines avant.",
}
# What the picker waits for from htmx before falling back on the no-JavaScript path.
SUGGESTION_WAIT_MS = 5_000


def _label(text: str) -> re.Pattern:
    """A field's label, exactly: Django follows it with « : »."""
    return re.compile(rf"^{re.escape(text)}\s*:?$")


def _new_page(browser):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(20_000)
    return context, context.new_page()


def _log_in(page, live_server, user):
    page.goto(live_server.url + "/compte/login/")
    page.get_by_label("Courriel").fill(user.email)
    page.get_by_label(_label("Mot de passe")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Connexion").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("banner").get_by_role("button", name="Se déconnecter")).to_be_visible()


def _pick_territory(page, label: str, text: str, choice: str) -> bool:
    """Type `text` in the picker labelled `label` and tick `choice` among the suggestions
    htmx brings. Returns False when none came: the text then stays in the search box and
    the form's submission resolves it (the no-JavaScript path)."""
    search = page.get_by_label(_label(label))
    picker = page.locator(".territory-picker").filter(has=search)
    search.fill(text)
    suggestion = picker.locator(".territory-suggestions").get_by_label(choice, exact=True)
    try:
        suggestion.wait_for(state="visible", timeout=SUGGESTION_WAIT_MS)
    except PlaywrightError:
        warnings.warn(
            f"no htmx suggestion for « {text} »: the no-JavaScript path resolves it",
            stacklevel=2,
        )
        return False
    # click(), not check(): htmx replaces the box at once, so check() could not see it ticked.
    suggestion.click()
    # htmx moves the picked territory among the chosen ones and empties the search box.
    expect(picker.locator(".territory-selected").get_by_label(choice)).to_be_checked()
    expect(search).to_have_value("")
    return True


def test_directory_journey(browser, page, live_server, charter, screenshot):
    call_command("load_territories", only_departements="11,34", verbosity=0, stdout=StringIO())
    beziers = Territory.objects.get(kind="commune", code="34032")
    # The seeded themes are flushed with the transactional database: put two back.
    food = ThemeFactory(name="Alimentation", slug="alimentation")
    ThemeFactory(name="Cohésion sociale", slug="cohesion-sociale")
    herault = InitiativeFactory(title=HERAULT_TITLE, commune=beziers)
    herault.territories.add(beziers)
    member = UserFactory(display_name="Camille Membre")
    facilitator = UserFactory(display_name="Sophie Animation", role="facilitator")

    # 1. The member fills in their profile.
    _log_in(page, live_server, member)
    page.goto(live_server.url + "/annuaire/mon-profil/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon profil")
    page.get_by_label("Ce qui m'anime").fill(DRIVES)
    page.get_by_label("Ce que je cherche").fill(SEEKS)
    page.get_by_label("Ce que je peux apporter").fill(OFFERS)
    _pick_territory(page, "Territoires d'action", "Carcassonne", "Carcassonne (11000)")
    page.get_by_label(_label("Adresse électronique")).fill(EMAIL)
    page.get_by_label("Qui voit l'adresse électronique").select_option(label="Privé")
    screenshot(page, "directory-01-profile-form")
    page.get_by_role("button", name="Enregistrer mon profil").click()

    expect(page).to_have_url(re.compile(r"/annuaire/personnes/\d+/$"))
    main = page.get_by_role("main")
    expect(main).to_contain_text("Votre profil est enregistré.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Camille Membre")
    for heading, text in [
        ("Ce qui m'anime", DRIVES),
        ("Ce que je cherche", SEEKS),
        ("Ce que je peux apporter", OFFERS),
    ]:
        section = main.locator("section").filter(
            has=page.get_by_role("heading", name=heading, exact=True)
        )
        expect(section).to_contain_text(text)
    expect(main.locator(".tag-territory")).to_have_text(["Carcassonne (11)"])
    screenshot(page, "directory-02-profile")
    person = Person.objects.get(user=member)
    assert person.email == EMAIL
    assert person.email_visibility == "private"
    assert [t.code for t in person.territories.all()] == ["11069"]

    # 2. The member proposes an initiative, with its engagement charter.
    page.goto(live_server.url + "/annuaire/initiatives/proposer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposer une initiative")
    page.get_by_label("Titre").fill(TITLE)
    page.get_by_label("Résumé").fill("Des repas à prix libre, cuisinés avec les producteurs.")
    page.get_by_label("Description").fill("Chaque jeudi midi à la salle des fêtes.")
    page.get_by_label("Avancement").select_option(label="En cours")
    page.get_by_label("Alimentation").check()
    page.get_by_label("Cohésion sociale").check()
    for label, text in CHARTER.items():
        page.get_by_label(_label(label)).fill(text)
    _pick_territory(page, "Commune principale", "Limoux", "Limoux (11300)")
    _pick_territory(page, "Territoires d'action", "Aude", "Aude (département)")
    screenshot(page, "directory-03-initiative-form")
    page.get_by_role("main").get_by_role("button", name="Enregistrer").click()

    expect(page).to_have_url(re.compile(r"/annuaire/initiatives/\d+/$"))
    main = page.get_by_role("main")
    expect(main.get_by_role("status")).to_contain_text(
        "Votre proposition sera publiée après validation par l'équipe d'animation."
    )
    expect(main).to_contain_text("En attente de validation")
    screenshot(page, "directory-04-initiative-proposed")
    initiative = Initiative.objects.get(title=TITLE)
    assert initiative.status == "proposed"
    assert initiative.created_by == member
    assert initiative.commune.code == "11206"
    assert [t.label for t in initiative.territories.all()] == ["Aude (département)"]
    assert food in initiative.themes.all()

    # 3. A facilitator validates the proposal.
    context, moderator = _new_page(browser)
    try:
        _log_in(moderator, live_server, facilitator)
        moderator.goto(live_server.url + "/annuaire/moderation/")
        expect(moderator.get_by_role("heading", level=1)).to_have_text("Modération de l'annuaire")
        proposal = moderator.get_by_role("listitem").filter(
            has=moderator.get_by_role("link", name=TITLE)
        )
        expect(proposal).to_contain_text("Limoux (11)")
        expect(proposal).to_contain_text("proposée par Camille Membre")
        screenshot(moderator, "directory-05-moderation")
        proposal.get_by_role("button", name="Valider").click()
        expect(moderator.get_by_role("status")).to_contain_text(f"« {TITLE} » est publi")
        expect(moderator.get_by_role("link", name=TITLE)).to_have_count(0)
        screenshot(moderator, "directory-06-moderation-validated")
    finally:
        context.close()
    initiative.refresh_from_db()
    assert initiative.status == "published"

    # 4. A visitor finds it among the initiatives of the Aude and reads its charter.
    context, visitor = _new_page(browser)
    try:
        visitor.goto(live_server.url + "/annuaire/initiatives/")
        results = visitor.locator("#results")
        expect(results.get_by_role("link", name=HERAULT_TITLE)).to_be_visible()
        expect(results.get_by_role("link", name=TITLE)).to_be_visible()
        if not _pick_territory(visitor, "Territoire", "Aude", "Aude (département)"):
            visitor.get_by_role("search").get_by_role("button", name="Filtrer").click()
        results = visitor.locator("#results")
        expect(results.get_by_role("link", name=HERAULT_TITLE)).to_have_count(0)
        expect(results.get_by_role("link", name=TITLE)).to_be_visible()
        expect(results).to_contain_text("1 résultat")
        expect(visitor).to_have_url(re.compile(r"territoire="))
        screenshot(visitor, "directory-07-initiatives-aude")

        results.get_by_role("link", name=TITLE).click()
        expect(visitor).to_have_url(live_server.url + initiative.get_absolute_url())
        expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
        charter_section = visitor.locator("section.engagement-charter")
        expect(charter_section.get_by_role("heading")).to_have_text(
            "Rejoindre : la charte d'engagement"
        )
        for label, text in CHARTER.items():
            expect(charter_section).to_contain_text(label)
            expect(charter_section).to_contain_text(text)
        expect(visitor.get_by_role("main")).not_to_contain_text("En attente de validation")
        screenshot(visitor, "directory-08-initiative-charter")
    finally:
        context.close()
