"""An open forum in a real browser, from the programme to the synthesis: a facilitator
creates the forum and its programme, three members register (the third lands on the
waiting list and is promoted when another cancels), they propose topics, the facilitator
places them in the grid, members join groups, a carrier writes the report, two people
sign up to follow up, and the facilitator generates the synthesis, whose PDF is rendered
to an image and saved with the screenshots."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from maillage.accounts.tests.factories import PASSWORD, UserFactory
from maillage.core.documents import pdf_page_count, pdf_page_png, pdf_text
from maillage.directory.models import Person
from maillage.events.models import Event, Registration
from maillage.forums.models import FollowUp, Group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
TITLE = "Forum ouvert : bouger et se nourrir autour de Limoux"
TOPIC_1 = "Covoiturage solidaire en zone rurale"
QUESTION_1 = "Comment se déplacer sans voiture quand on habite à vingt kilomètres du bourg ?"
TOPIC_2 = "Une régie agricole pour les cantines"
QUESTION_2 = "Comment une commune rurale peut-elle produire les légumes de ses cantines ?"
REPORT = {
    "Constats": "Les arrêts de covoiturage posés il y a trois ans sont peu utilisés.",
    "Propositions": "Une « tournée du marché » le jeudi, testée pendant trois mois.",
    "Points de vigilance": "Régler l'assurance des bénévoles avant de communiquer.",
    "Le réseau peut ou doit continuer à": "Animer un réseau des initiatives de mobilité.",
    "Le réseau ne peut pas ou ne doit pas aller plus loin sur": "Organiser les trajets.",
    "Le réseau peut travailler avec": "La communauté de communes, les centres sociaux.",
    "Personne ressource": "Thomas Roux, conseiller mobilité",
    "Notes libres": "Quatorze personnes dans le groupe.",
}


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


def _member(name: str, email: str, phone: str):
    user = UserFactory(display_name=name, email=email)
    Person.objects.create(user=user, name=name, email=email, phone=phone, visibility="members")
    return user


def _flat(text: str) -> str:
    return "".join(text.split())


def test_forum_journey(browser, page, live_server, charter, screenshot):
    facilitator = UserFactory(display_name="Sophie Animation", role="facilitator")
    alice = _member("Alice Porteuse", "alice.porteuse@example.org", "06 11 11 11 11")
    bruno = _member("Bruno Covoit", "bruno.covoit@example.org", "06 22 22 22 22")
    chloe = _member("Chloé Maraîchère", "chloe.maraichere@example.org", "06 33 33 33 33")
    day = timezone.localdate() + timedelta(days=7)
    members = {}
    try:
        # 1. The facilitator creates the open forum, two seats, and its programme.
        _log_in(page, live_server, facilitator)
        page.goto(live_server.url + "/agenda/nouvelle/")
        page.get_by_label(_label("Titre")).fill(TITLE)
        page.get_by_label(_label("Type")).select_option(label="Forum ouvert")
        page.get_by_label(_label("En bref")).fill("Chacun·e propose les sujets du jour.")
        page.get_by_label(_label("État")).select_option(label="Publiée")
        page.get_by_label(_label("Début")).fill(f"{day:%Y-%m-%d}T09:00")
        page.get_by_label(_label("Fin")).fill(f"{day:%Y-%m-%d}T17:00")
        page.get_by_label(_label("Adresse du lieu")).fill("Salle des fêtes de Limoux")
        page.get_by_label(_label("Nombre de places")).fill("2")
        screenshot(page, "forum-01-event-form")
        page.get_by_role("main").get_by_role("button", name="Enregistrer").click()
        expect(page).to_have_url(re.compile(r"/agenda/\d+/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        event = Event.objects.get(title=TITLE)
        event_url = live_server.url + event.get_absolute_url()

        page.goto(live_server.url + f"/agenda/{event.pk}/programme/ajouter/")
        page.get_by_label(_label("Type")).select_option(label="Plénière")
        page.get_by_label(_label("Titre")).fill("Ouverture : on construit l'ordre du jour")
        page.get_by_label(_label("Heure de début")).fill("09:00")
        page.get_by_label(_label("Heure de fin")).fill("10:00")
        page.get_by_role("main").get_by_role("button", name="Enregistrer").click()
        expect(page).to_have_url(event_url)
        expect(page.locator(".programme")).to_contain_text("Ouverture : on construit")

        # The grid: two rooms and the slot of the groups.
        page.goto(live_server.url + f"/groupes/rencontre/{event.pk}/grille/")
        for room in ("Grande salle", "Salle du conseil"):
            page.get_by_label(_label("Nouvelle salle")).fill(room)
            page.get_by_role("button", name="Ajouter la salle").click()
            expect(page.get_by_role("main")).to_contain_text(room)
        page.get_by_label(_label("Début")).fill("10:30")
        page.get_by_label(_label("Fin")).fill("12:00")
        page.get_by_role("button", name="Ajouter le créneau").click()
        expect(page.locator(".forum-grid")).to_be_visible()

        # 2. Three members register for two seats; the third waits.
        for user in (alice, bruno, chloe):
            context, member_page = _new_page(browser)
            members[user.pk] = (context, member_page)
            _log_in(member_page, live_server, user)
            member_page.goto(event_url)
            box = member_page.locator("#inscription")
            box.get_by_role("button", name=re.compile("^M'inscrire")).click()
        chloe_page = members[chloe.pk][1]
        expect(chloe_page.get_by_role("status")).to_contain_text("liste d'attente")
        screenshot(chloe_page, "forum-02-waiting-list")
        assert Registration.objects.get(event=event, user=chloe).status == "waiting"

        # Bruno cancels: Chloé gets his seat and an e-mail.
        bruno_page = members[bruno.pk][1]
        bruno_page.goto(event_url)
        bruno_page.get_by_role("button", name="Annuler mon inscription").click()
        expect(bruno_page.get_by_role("status")).to_contain_text("Votre inscription est annulée.")
        assert Registration.objects.get(event=event, user=chloe).status == "confirmed"
        assert any(chloe.email in m.to for m in mail.outbox[-2:])
        chloe_page.goto(event_url)
        expect(chloe_page.locator("#inscription")).to_contain_text(
            "Vous êtes inscrit·e à cette rencontre."
        )

        # 3. Alice and Chloé propose topics.
        for user, title, question in ((alice, TOPIC_1, QUESTION_1), (chloe, TOPIC_2, QUESTION_2)):
            member_page = members[user.pk][1]
            member_page.goto(live_server.url + f"/groupes/rencontre/{event.pk}/proposer/")
            member_page.get_by_label(_label("Titre du sujet")).fill(title)
            member_page.get_by_label(_label("Question posée")).fill(question)
            member_page.get_by_role("main").get_by_role("button", name="Proposer").click()
            expect(member_page.get_by_role("status")).to_contain_text("Votre sujet est proposé")
        screenshot(chloe_page, "forum-03-topics")

        # 4. The facilitator places each topic in a room: they become groups 1 and 2.
        page.goto(live_server.url + f"/groupes/rencontre/{event.pk}/grille/")
        for title, room in ((TOPIC_1, "Grande salle"), (TOPIC_2, "Salle du conseil")):
            # By its heading: the other card's merge list names this topic too.
            card = page.locator(".topic-admin").filter(
                has=page.get_by_role("heading", name=title, level=3)
            )
            card.get_by_label(_label("Salle et créneau")).select_option(
                label=f"{room} — {day:%d/%m} 10:30–12:00"
            )
            card.get_by_role("button", name="Retenir et placer").click()
            expect(page.locator(".forum-grid")).to_contain_text(title)
        screenshot(page, "forum-04-grid")
        group_1 = Group.objects.get(event=event, title=TOPIC_1)
        group_2 = Group.objects.get(event=event, title=TOPIC_2)
        assert group_1.members.get().user == alice  # the proposer carries the group

        # 5. Bruno joins Alice's group, Alice joins Chloé's.
        for user, group in ((bruno, group_1), (alice, group_2)):
            member_page = members[user.pk][1]
            member_page.goto(live_server.url + group.get_absolute_url())
            member_page.get_by_role("button", name="Rejoindre le groupe").click()
            expect(member_page.get_by_role("main")).to_contain_text("Vous participez à ce groupe.")

        # 6. Alice, who carries group 1, writes its report.
        alice_page = members[alice.pk][1]
        alice_page.goto(live_server.url + group_1.get_absolute_url())
        alice_page.get_by_role(
            "link", name=re.compile("^(Écrire|Compléter) le compte rendu$")
        ).click()
        for label, text in REPORT.items():
            alice_page.get_by_label(_label(label)).fill(text)
        screenshot(alice_page, "forum-05-report-form")
        alice_page.get_by_role("main").get_by_role("button", name="Enregistrer").click()
        expect(alice_page.get_by_role("status")).to_contain_text("Le compte rendu est enregistré.")
        expect(alice_page.locator("#compte-rendu")).to_contain_text(REPORT["Constats"])

        # 7. Bruno (his e-mail) and Chloé (her phone) sign up to follow up group 1.
        for user, box in ((bruno, "adresse électronique"), (chloe, "téléphone")):
            member_page = members[user.pk][1]
            member_page.goto(live_server.url + group_1.get_absolute_url())
            member_page.get_by_role("link", name="Je souhaite poursuivre le travail").click()
            member_page.get_by_label(re.compile(f"^Partager mon {box}")).check()
            member_page.get_by_role("main").get_by_role(
                "button", name="Je poursuis avec ce groupe"
            ).click()
            expect(member_page.get_by_role("status")).to_contain_text("Vous suivez ce groupe")
        screenshot(members[chloe.pk][1], "forum-06-working-group")
        assert FollowUp.objects.filter(group=group_1).count() == 2

        # 8. The facilitator generates the synthesis, and downloads its PDF.
        page.goto(event_url)
        page.get_by_role("link", name="Générer la synthèse").click()
        expect(page).to_have_url(live_server.url + f"/groupes/rencontre/{event.pk}/synthese/")
        main = page.get_by_role("main")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Synthèse")
        expect(main).to_contain_text(TOPIC_1)
        expect(main).to_contain_text(TOPIC_2)
        expect(main).to_contain_text("2 personnes se sont inscrites pour poursuivre")
        expect(main).to_contain_text(bruno.email)
        expect(main).to_contain_text("06 33 33 33 33")
        screenshot(page, "forum-07-synthesis")
        downloads = page.get_by_role("navigation", name="Télécharger la synthèse")
        with page.expect_download() as download_info:
            downloads.get_by_role("paragraph").filter(has_text="version complète").get_by_role(
                "link", name="PDF"
            ).click()
        pdf = Path(download_info.value.path()).read_bytes()
        assert download_info.value.suggested_filename.endswith(".pdf")
        text = _flat(pdf_text(pdf))
        for expected in (TOPIC_1, TOPIC_2, QUESTION_2, REPORT["Propositions"], bruno.email):
            assert _flat(expected) in text
        assert "0633333333" in text  # Chloé shared her phone…
        for hidden in (chloe.email, "0622222222", alice.email, "0611111111"):
            assert hidden not in text  # …and nothing else was shared.
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for number in range(min(pdf_page_count(pdf), 3)):
            (SCREENSHOTS / f"forum-08-synthesis-pdf-page-{number + 1}.png").write_bytes(
                pdf_page_png(pdf, page=number)
            )

        # The public version names nobody and shows no contact.
        page.get_by_role("link", name="Voir la version publique").click()
        expect(page).to_have_url(re.compile(r"/synthese/publique/$"))
        public = _flat(page.get_by_role("main").inner_text())
        assert _flat(TOPIC_1) in public and _flat(REPORT["Constats"]) in public
        for hidden in (bruno.email, "0633333333", "BrunoCovoit", "AlicePorteuse"):
            assert hidden not in public
    finally:
        for context, _member_page in members.values():
            context.close()
