"""Experience sheets: writing, drafts and publication, the service imports call,
assessments shown criterion by criterion, printable page and PDF, lists and filters."""

import io

import pytest
from django.urls import reverse

from maillage.accounts.tests.factories import UserFactory
from maillage.core.demo import make_context
from maillage.core.documents import pdf_text
from maillage.directory.tests.factories import (
    InitiativeFactory,
    OrganisationFactory,
    PersonFactory,
    ThemeFactory,
    aude_and_herault,
)
from maillage.knowledge import services
from maillage.knowledge.models import (
    Assessment,
    ExperienceSheet,
    Origin,
    Outcome,
    Rating,
    SheetItem,
)

from .factories import GridFactory, SheetFactory

pytestmark = pytest.mark.django_db


def _formset(prefix: str, rows: list[tuple[str, str]], extra: int = 1) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows) + extra), f"{prefix}-INITIAL_FORMS": "0"}
    for i, (text, actor) in enumerate(rows):
        data[f"{prefix}-{i}-text"] = text
        data[f"{prefix}-{i}-actor_name"] = actor
    return data


def _sheet_post(**extra) -> dict:
    data = {
        "title": "  Une ressourcerie   qui a fermé ",
        "summary": "Trois ans d'activité puis la fermeture.",
        "outcome": "failure",
        "context": "Un bourg de 2 000 habitant·es.",
        "actions": "Collecte, tri, revente.",
        "results": "Fermeture au bout de trois ans.",
        "differently": "Chercher un local moins cher.",
        "visibility": "public",
        "territories_search": "",
        **_formset("obstacles", [("Le loyer du local", "La trésorière")]),
        **_formset("tips", [("Mutualiser le camion", "")]),
    }
    data.update(extra)
    return data


def test_a_member_writes_a_draft_then_publishes_it(client, member):
    client.force_login(member)
    response = client.post(reverse("knowledge:sheet_create"), _sheet_post())
    sheet = ExperienceSheet.objects.get()
    assert response.status_code == 302 and response["Location"] == sheet.get_absolute_url()
    assert sheet.title == "Une ressourcerie qui a fermé"
    assert not sheet.is_published and sheet.origin == Origin.MEMBER
    assert sheet.created_by == member
    [obstacle] = sheet.obstacles()
    assert (obstacle.text, obstacle.actor_name) == ("Le loyer du local", "La trésorière")
    assert [t.text for t in sheet.tips()] == ["Mutualiser le camion"]
    # A draft is the author's: others do not even know it exists.
    client.logout()
    assert client.get(sheet.get_absolute_url()).status_code == 404
    assert "ressourcerie" not in client.get(reverse("knowledge:sheets")).content.decode()
    client.force_login(member)
    client.post(reverse("knowledge:sheet_publish", args=[sheet.pk]))
    client.logout()
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert "Ça n&#x27;a pas marché — et voici ce que nous en avons appris." in page
    assert "Le loyer du local" in page and "La trésorière" in page


def test_bad_input_gives_form_errors_not_500(client, member):
    client.force_login(member)
    huge = str(2**70)
    response = client.post(
        reverse("knowledge:sheet_create"),
        _sheet_post(title="  ", outcome="bravo", initiative=huge, event="abc", themes=[huge]),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"title", "outcome", "initiative", "event", "themes"} <= set(errors)
    assert not ExperienceSheet.objects.exists()
    # A mangled formset is an error too.
    data = _sheet_post()
    data["obstacles-TOTAL_FORMS"] = "zzz"
    assert client.post(reverse("knowledge:sheet_create"), data).status_code == 200
    assert client.get(reverse("knowledge:sheet", args=[2**40])).status_code == 404
    assert client.get(f"/bibliotheque/fiches/{huge}/").status_code == 404


def test_only_the_author_and_facilitators_edit(client, member, owner, facilitator):
    sheet = SheetFactory(created_by=owner)
    url = reverse("knowledge:sheet_edit", args=[sheet.pk])
    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(facilitator)
    data = _sheet_post(title="Titre revu", outcome="mixed")
    assert client.post(url, data).status_code == 302
    sheet.refresh_from_db()
    assert (sheet.title, sheet.outcome) == ("Titre revu", "mixed")


def test_sheet_create_service_keeps_obstacles_and_tips_per_actor():
    """What the imports call: structured items, each with an optional actor."""
    places = aude_and_herault()
    organisation = OrganisationFactory(status="published")
    person = PersonFactory()
    initiative = InitiativeFactory(status="published")
    theme = ThemeFactory()
    sheet = services.sheet_create(
        actor=None,
        title="Chantier participatif",
        outcome=Outcome.MIXED,
        origin=Origin.IMPORT,
        source="compte-rendu-2025.docx",
        initiative=initiative,
        themes=[theme],
        territories=[places["limoux"]],
        people=[person],
        obstacles=[
            services.ItemInput("Les assurances", organisation=organisation),
            services.ItemInput("Le calendrier", actor_name="Mairie de Limoux"),
            "   ",
        ],
        tips=["Un référent par chantier", services.ItemInput("Des repas partagés", person=person)],
        publish=True,
    )
    assert sheet.origin == Origin.IMPORT and sheet.is_published and sheet.published_at
    items = list(sheet.items.order_by("position"))
    assert [(i.kind, i.text) for i in items] == [
        ("obstacle", "Les assurances"),
        ("obstacle", "Le calendrier"),
        ("tip", "Un référent par chantier"),
        ("tip", "Des repas partagés"),
    ]
    assert items[0].actor == organisation and items[1].actor == "Mairie de Limoux"
    assert items[3].actor == person
    assert list(sheet.territories.all()) == [places["limoux"]]
    with pytest.raises(TypeError):
        services.sheet_create(actor=None, title="x", outcome="success", colour="red")


def test_editing_keeps_the_actors_an_import_linked(client, facilitator):
    organisation = OrganisationFactory(status="published")
    sheet = services.sheet_create(
        actor=None,
        title="Importée",
        outcome="success",
        origin=Origin.IMPORT,
        obstacles=[services.ItemInput("Un obstacle", organisation=organisation)],
        publish=True,
    )
    item = sheet.items.get()
    client.force_login(facilitator)
    data = _sheet_post(title="Importée")
    data.update(_formset("obstacles", [("Un obstacle reformulé", "")]))
    data["obstacles-0-item"] = str(item.pk)
    assert client.post(reverse("knowledge:sheet_edit", args=[sheet.pk]), data).status_code == 302
    [again] = sheet.items.filter(kind="obstacle")
    assert again.text == "Un obstacle reformulé" and again.organisation == organisation
    assert sheet.items.filter(kind="tip").count() == 1


def test_another_member_assesses_against_the_grid(client, member, owner):
    sheet = SheetFactory(created_by=owner, outcome="failure")
    grid = GridFactory(criteria=["Reproductible", "Coût maîtrisé"])
    first, second = grid.criteria.all()
    url = reverse("knowledge:sheet_assess", args=[sheet.pk, grid.pk])
    # The author does not assess their own experience.
    client.force_login(owner)
    assert client.get(url).status_code == 403
    client.force_login(member)
    # A missing level and an impossible one are form errors.
    response = client.post(url, {f"level_{first.pk}": "9", f"comment_{first.pk}": "x"})
    assert response.status_code == 200 and not Assessment.objects.exists()
    assert {f"level_{first.pk}", f"level_{second.pk}"} <= set(response.context["form"].errors)
    response = client.post(
        url,
        {
            f"level_{first.pk}": "4",
            f"comment_{first.pk}": "Facile à refaire ailleurs",
            f"level_{second.pk}": "2",
            "comment": "Très instructif",
        },
    )
    assert response.status_code == 302
    # Changing one's mind replaces the assessment rather than adding one.
    client.post(url, {f"level_{first.pk}": "3", f"level_{second.pk}": "2"})
    assert Assessment.objects.count() == 1 and Rating.objects.count() == 2
    other = UserFactory(display_name="Bruno Voisin")
    client.force_login(other)
    client.post(url, {f"level_{first.pk}": "1", f"level_{second.pk}": "2"})
    client.logout()
    page = client.get(sheet.get_absolute_url()).content.decode()
    # Per criterion, every level given and who gave it; never one averaged score.
    assert "Reproductible" in page and "Coût maîtrisé" in page
    assert "Plutôt" in page and "Pas du tout" in page and "Bruno Voisin" in page
    assert "grille définie par L&#x27;équipe d&#x27;animation" in page
    assert "Moyenne" not in page and "/ 4" not in page


def test_a_draft_cannot_be_assessed(client, member, owner):
    sheet = SheetFactory(created_by=owner, status="draft")
    grid = GridFactory()
    client.force_login(member)
    assert (
        client.get(reverse("knowledge:sheet_assess", args=[sheet.pk, grid.pk])).status_code == 404
    )


def test_printable_page_and_pdf(client):
    aude = aude_and_herault()["aude"]
    initiative = InitiativeFactory(status="published", title="Régie agricole de Limoux")
    sheet = services.sheet_create(
        actor=None,
        title="Une régie qui n'a pas tenu",
        outcome="failure",
        initiative=initiative,
        territories=[aude],
        obstacles=["Un seul maraîcher"],
        tips=["Deux postes au moins"],
        publish=True,
    )
    page = client.get(reverse("knowledge:sheet_print", args=[sheet.pk])).content.decode()
    assert "Un seul maraîcher" in page and "print.css" in page and "pillars-nav" not in page
    response = client.get(reverse("knowledge:sheet_pdf", args=[sheet.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = " ".join(pdf_text(response.content).split())
    assert "Une régie qui n'a pas tenu" in text
    # Always with its context: territory and initiative.
    assert "Aude" in text and "Régie agricole de Limoux" in text
    assert "Un seul maraîcher" in text and "Deux postes au moins" in text


def test_list_filters_by_outcome_theme_territory_and_date(client):
    places = aude_and_herault()
    theme = ThemeFactory(name="Alimentation", slug="alimentation")
    failed = SheetFactory(title="Échec à Limoux", outcome="failure")
    failed.territories.add(places["limoux"])
    failed.themes.add(theme)
    SheetFactory(title="Réussite à Béziers", outcome="success").territories.add(places["beziers"])
    url = reverse("knowledge:sheets")

    def titles(**params):
        page = client.get(url, params).context["page"]
        return {s.title for s in page}

    assert titles(issue="failure") == {"Échec à Limoux"}
    assert titles(theme="alimentation") == {"Échec à Limoux"}
    assert titles(territoire=places["aude"].pk) == {"Échec à Limoux"}
    assert titles(territoire=places["herault"].pk) == {"Réussite à Béziers"}
    assert titles(depuis="2999-01-01") == set()
    # Nonsense criteria are ignored with an error, never a 500.
    response = client.get(url, {"issue": "zzz", "depuis": "hier", "territoire": str(2**70)})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 2
    # htmx gets the results fragment only.
    fragment = client.get(url, {"issue": "failure"}, headers={"HX-Request": "true"})
    assert b"<html" not in fragment.content and b"\xc3\x89chec \xc3\xa0 Limoux" in fragment.content


def test_sheet_list_query_count(client, member, django_assert_max_num_queries):
    places = aude_and_herault()
    theme = ThemeFactory()
    initiative = InitiativeFactory(status="published")
    for n in range(12):
        sheet = SheetFactory(initiative=initiative, outcome=["success", "failure"][n % 2])
        sheet.themes.add(theme)
        sheet.territories.add(places["carcassonne"])
    client.force_login(member)
    # 13: 12 for the list, 1 for the header's notification badge (then cached).
    with django_assert_max_num_queries(13):
        response = client.get(reverse("knowledge:sheets"))
    assert len(response.context["page"].object_list) == 12


def test_sheet_page_query_count(client, member, django_assert_max_num_queries):
    sheet = SheetFactory()
    grid = GridFactory(criteria=["a", "b", "c"])
    for _ in range(4):
        services.assessment_save(
            sheet=sheet,
            grid=grid,
            assessor=UserFactory(),
            ratings={c.pk: (2, "ok") for c in grid.criteria.all()},
        )
    for n in range(5):
        SheetItem.objects.create(sheet=sheet, kind="tip", text=f"astuce {n}")
    client.force_login(member)
    with django_assert_max_num_queries(25):
        assert client.get(sheet.get_absolute_url()).status_code == 200


def test_library_home_counts_only_what_the_reader_may_see(client, member):
    SheetFactory(outcome="failure")
    SheetFactory(outcome="failure", visibility="members")
    SheetFactory(outcome="failure", status="draft")
    counts = {v: n for v, _label, n in client.get(reverse("knowledge:home")).context["outcomes"]}
    assert counts["failure"] == 1
    client.force_login(member)
    counts = {v: n for v, _label, n in client.get(reverse("knowledge:home")).context["outcomes"]}
    assert counts["failure"] == 2


def test_demo_has_sheets_of_every_outcome_and_is_idempotent():
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("demo")
    from maillage.knowledge import demo

    for _ in range(5):
        UserFactory()
    UserFactory(role="facilitator")
    InitiativeFactory(status="published")
    ctx = make_context(seed=3, sizes={}, stdout=io.StringIO())
    demo.generate(ctx)
    outcomes = set(ExperienceSheet.objects.published().values_list("outcome", flat=True))
    assert outcomes == set(Outcome.values)
    assert Assessment.objects.exists() and Rating.objects.exists()
    from maillage.knowledge.models import Collection, Resource

    assert Collection.objects.get().sheets.count() >= 2
    assert Resource.objects.filter(kind="document").get().file_name.endswith(".pdf")
    counts = (ExperienceSheet.objects.count(), Resource.objects.count(), Assessment.objects.count())
    demo.generate(make_context(seed=3, sizes={}, stdout=io.StringIO()))
    assert counts == (
        ExperienceSheet.objects.count(),
        Resource.objects.count(),
        Assessment.objects.count(),
    )


def test_a_sheet_drawn_from_a_group_report(client, member):
    from maillage.forums.models import Report
    from maillage.forums.tests.factories import accepted_group

    group = accepted_group(title="Les cantines et les producteurs")
    Report.objects.update_or_create(
        group=group,
        defaults={
            "question": "Comment rapprocher cantines et producteurs ?",
            "findings": "Nous avons réuni cuisiniers et maraîchers.",
            "vigilance": "- Les volumes\n- Les prix",
            "proposals": "• Un contrat pluriannuel",
        },
    )
    client.force_login(member)
    url = reverse("knowledge:sheet_from_group", args=[group.pk])
    response = client.get(url)
    form = response.context["form"]
    assert form["context"].value() == "Comment rapprocher cantines et producteurs ?"
    assert form["group"].value() == group.pk
    assert [f["text"].value() for f in response.context["obstacles"]][:2] == [
        "Les volumes",
        "Les prix",
    ]
    data = _sheet_post(title="Cantines et producteurs", group=str(group.pk))
    data.update(_formset("tips", [("Un contrat pluriannuel", "")]))
    assert client.post(url, data).status_code == 302
    sheet = ExperienceSheet.objects.get()
    assert sheet.origin == Origin.GROUP_REPORT and sheet.group == group
    assert (
        "Les cantines et les producteurs" in client.get(sheet.get_absolute_url()).content.decode()
    )
    assert client.get(reverse("knowledge:sheet_from_group", args=[2**62])).status_code == 404


def test_search_finds_sheets_by_their_obstacles_and_respects_drafts(member):
    from maillage.search.query import Filters, Search, Viewer

    sheet = services.sheet_create(
        actor=member,
        title="Un tiers-lieu rural",
        outcome="failure",
        obstacles=["Les normes incendie du bâtiment"],
    )
    anonymous, author = Viewer(), Viewer(member=True, user_id=member.pk)
    assert Search("incendie", viewer=author).document_ids() == {("sheet", sheet.pk)}
    assert Search("incendie", viewer=anonymous).document_ids() == set()
    services.sheet_publish(sheet=sheet, actor=member)
    found = Search("incendie", viewer=anonymous, filters=Filters(kind="sheet", status="failure"))
    assert found.document_ids() == {("sheet", sheet.pk)}


def test_personal_data_export_and_erase(member):
    from maillage.accounts import personal_data

    sheet = SheetFactory(created_by=member, title="Ma fiche")
    grid = GridFactory()
    other = SheetFactory()
    services.assessment_save(
        sheet=other,
        grid=grid,
        assessor=member,
        ratings={c.pk: (3, "bien") for c in grid.criteria.all()},
        comment="Mon avis",
    )
    [provider] = [p for p in personal_data.providers() if p.name == "bibliotheque"]
    exported = provider.export(member)
    assert exported["sheets"][0]["title"] == "Ma fiche"
    assert exported["assessments"][0]["comment"] == "Mon avis"
    provider.erase(member)
    sheet.refresh_from_db()
    assert sheet.created_by is None and not Assessment.objects.exists()
