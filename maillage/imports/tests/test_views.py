"""Upload, review and accept through HTTP; hostile uploads save nothing."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillage.directory.models import Organisation, Person
from maillage.events.models import Event, Session
from maillage.imports import review
from maillage.imports.models import DocumentImport, ImportedContact, ImportedFollowUp

from . import documents, hostile
from .factories import review_import

SAMPLES = Path(__file__).resolve().parents[4] / "shared" / "samples"
LIST = reverse("imports:list")


def _sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def _upload(client, data: bytes, name: str):
    return client.post(LIST, {"file": SimpleUploadedFile(name, data)})


@pytest.fixture
def fclient(client, facilitator):
    client.force_login(facilitator)
    return client


def _keep_all(document) -> dict:
    """The review form as the page sends it: every value and every item kept."""
    data = {}
    for _key, node in review.walk(document.draft):
        data[f"seen-{node['id']}"] = "1"
        if not node.get("dropped"):
            data[f"keep-{node['id']}"] = "on"
        if "value" in node:
            data[f"v-{node['id']}"] = review.display(node)
    return data


@pytest.mark.django_db
def test_upload_builds_a_draft_to_review(fclient):
    response = _upload(fclient, _sample("synthese-forum-ouvert.txt"), "synthese.txt")
    document = DocumentImport.objects.get()
    assert response.status_code == 302
    assert response.url == document.get_absolute_url()
    assert document.status == "review"
    assert document.kind == "open_forum_synthesis"
    page = fclient.get(document.get_absolute_url())
    content = page.content.decode()
    assert page.status_code == 200
    assert 'id="l10"' in content  # the source, line by line
    assert "Partager nos ressources" in content
    assert "5 personne(s) annoncée(s) pour la suite, 4 contact(s)" in content
    assert "listé·e deux fois" in content
    # Nothing is created before the facilitator accepts.
    assert Event.objects.count() == 0
    assert not Person.objects.filter(imported=True).exists()


@pytest.mark.django_db
def test_pasted_text(fclient):
    text = _sample("journee-lancement.txt").decode()
    response = fclient.post(LIST, {"text": text})
    assert response.status_code == 302
    assert DocumentImport.objects.get().kind == "launch_report"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data,name,message",
    [
        (b"", "vide.txt", "vide"),
        (None, "image.txt", "n&#x27;est pas un document"),
        ("bomb", "rapport.docx", "bombe"),
        ("entities", "rapport.docx", "entités"),
        ("pdf", "rapport.pdf", "abîmé"),
        ("loop", "rapport.pdf", "."),
    ],
)
def test_hostile_uploads_get_a_message_and_save_nothing(fclient, data, name, message):
    data = {
        None: hostile.png_bytes,
        "bomb": hostile.zip_bomb_docx,
        "entities": hostile.entity_bomb_docx,
        "pdf": hostile.malformed_pdf,
        "loop": hostile.looping_pdf,
    }.get(data, lambda: data)()
    response = (
        _upload(fclient, data, name)
        if data
        else fclient.post(LIST, {"file": SimpleUploadedFile(name, b"")})
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert DocumentImport.objects.count() == 0


@pytest.mark.django_db
def test_neither_file_nor_text(fclient):
    response = fclient.post(LIST, {})
    assert response.status_code == 400
    assert "Choisissez un fichier" in response.content.decode()


@pytest.mark.django_db
def test_the_same_document_again_creates_nothing_twice(fclient):
    data = _sample("synthese-forum-ouvert.txt")
    _upload(fclient, data, "a.txt")
    document = DocumentImport.objects.get()
    fclient.post(reverse("imports:accept", args=[document.pk]), _keep_all(document))
    # The same report, as a Word document this time.
    response = _upload(fclient, documents.to_docx(data.decode()), "b.docx")
    assert response.status_code == 302
    assert response.url == document.get_absolute_url()
    assert DocumentImport.objects.count() == 1
    # Accepting twice does not create a second event either.
    fclient.post(reverse("imports:accept", args=[document.pk]), {})
    assert Event.objects.count() == 1


@pytest.mark.django_db
def test_accept_creates_event_groups_reports_followups_and_private_contacts(fclient):
    from maillage.directory.tests.factories import OrganisationFactory, PersonFactory
    from maillage.forums.models import Group

    known = PersonFactory(name="Karim B.", email="K.Benali@example.net")
    lavaur = OrganisationFactory(name="Mairie  de LAVAUR")
    _upload(fclient, _sample("synthese-forum-ouvert.txt"), "synthese.txt")
    document = DocumentImport.objects.get()
    response = fclient.post(reverse("imports:accept", args=[document.pk]), _keep_all(document))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == "accepted"
    event = document.event
    assert event.title == "Rencontres du réseau Territoires Solidaires du Sud-Ouest"
    assert event.address == "Albi"
    assert str(event.starts_at.date()) == "2025-03-14"
    groups = list(Group.objects.filter(event=event).order_by("number"))
    assert [g.number for g in groups] == [1, 2, 3, 4]
    first = groups[0].report
    assert "Rendre visibles les ressources" in first.proposals
    assert first.network_stop == "- Gérer un réseau social maison"
    assert first.resource_person_name == "Hélène Marchal"
    assert first.resource_person is not None
    assert groups[1].report.network_stop == ""  # "Non rempli" stays empty
    assert "Les cantines scolaires" in groups[1].report.findings
    # Follow-ups: 14 people and one organisation; Sonia Ferrand once.
    assert ImportedFollowUp.objects.filter(group=groups[2]).count() == 4
    assert ImportedFollowUp.objects.count() == 15
    assert Person.objects.filter(name="Sonia Ferrand").count() == 1
    # Matched by e-mail (case folded), not duplicated; matched organisation by name.
    assert Person.objects.filter(email__iexact="k.benali@example.net").count() == 1
    assert ImportedFollowUp.objects.filter(person=known).exists()
    assert Organisation.objects.filter(search_name="mairie de lavaur").get() == lavaur
    louise = Person.objects.get(email="louise.fabre@example.org")
    assert louise.organisations.get() == lavaur
    # New people are private, imported and unconfirmed; no mailto line made anyone.
    created = Person.objects.filter(imported=True)
    assert created.count() == 13
    assert set(created.values_list("visibility", flat=True)) == {"private"}
    assert not created.filter(confirmed=True).exists()
    assert ImportedContact.objects.filter(document=document).count() == 13
    castelet = Organisation.objects.get(name="Centre social du Castelet")
    assert castelet.email == "accueil@castelet.example.org"
    # The follow-ups and groups are found from the import page, and the group's page.
    page = fclient.get(document.get_absolute_url()).content.decode()
    assert event.get_absolute_url() in page
    assert groups[0].get_absolute_url() in page
    assert "Théo Garnier" in page


@pytest.mark.django_db
def test_corrections_and_drops_are_applied(fclient):
    _upload(fclient, _sample("synthese-forum-ouvert.txt"), "synthese.txt")
    document = DocumentImport.objects.get()
    data = _keep_all(document)
    group = document.draft["groups"][0]
    data[f"v-{group['title']['id']}"] = "Partager nos ressources et nos outils"
    theo = group["follow_up"][3]
    del data[f"keep-{theo['id']}"]
    dropped_group = document.draft["groups"][3]
    del data[f"keep-{dropped_group['id']}"]
    response = fclient.post(reverse("imports:review", args=[document.pk]), data)
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.draft["groups"][0]["title"]["value"] == "Partager nos ressources et nos outils"
    assert document.draft["groups"][0]["follow_up"][3]["dropped"] is True
    fclient.post(reverse("imports:accept", args=[document.pk]), _keep_all(document))
    from maillage.forums.models import Group

    titles = list(Group.objects.order_by("number").values_list("title", flat=True))
    assert titles[0] == "Partager nos ressources et nos outils"
    assert len(titles) == 3
    assert not Person.objects.filter(name="Théo Garnier").exists()


@pytest.mark.django_db
def test_bad_values_give_form_errors(fclient):
    document = review_import()
    data = _keep_all(document)
    data[f"v-{document.draft['event']['date']['id']}"] = "31/02/2025"
    response = fclient.post(reverse("imports:review", args=[document.pk]), data)
    assert response.status_code == 400
    assert "n&#x27;est pas une date" in response.content.decode()
    data[f"v-{document.draft['event']['date']['id']}"] = "x" * 100_000
    response = fclient.post(reverse("imports:accept", args=[document.pk]), data)
    assert response.status_code == 400
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_accept_is_all_or_nothing(fclient, monkeypatch):
    from maillage.forums import services as forums

    real = forums.report_save
    calls = []

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("panne au milieu")
        return real(**kwargs)

    monkeypatch.setattr(forums, "report_save", failing)
    _upload(fclient, _sample("synthese-forum-ouvert.txt"), "synthese.txt")
    document = DocumentImport.objects.get()
    fclient.raise_request_exception = False
    response = fclient.post(reverse("imports:accept", args=[document.pk]), _keep_all(document))
    assert response.status_code == 500
    assert Event.objects.count() == 0
    assert not Person.objects.filter(imported=True).exists()
    document.refresh_from_db()
    assert document.status == "review"


@pytest.mark.django_db
def test_programme_asks_for_the_year_then_builds_the_programme(fclient):
    _upload(fclient, _sample("programme-rencontres.txt"), "programme.txt")
    document = DocumentImport.objects.get()
    response = fclient.post(reverse("imports:accept", args=[document.pk]), _keep_all(document))
    assert response.status_code == 400
    assert "Indiquez la date" in response.content.decode()
    assert Event.objects.count() == 0
    data = _keep_all(document)
    first, second = document.draft["days"]
    data[f"v-{first['date']['id']}"] = "12/06/2025"
    data[f"v-{second['date']['id']}"] = "13/06/2025"
    response = fclient.post(reverse("imports:accept", args=[document.pk]), data)
    assert response.status_code == 302
    event = Event.objects.get()
    assert [str(d) for d in event.local_days()] == ["2025-06-12", "2025-06-13"]
    workshops = Session.objects.filter(slot__event=event, kind="atelier")
    assert workshops.count() == 7
    cooperation = workshops.get(title__startswith="La coopération entre collectivités")
    assert (
        cooperation.description == "Quels freins ? Quels leviers ? Quelles conditions de réussite ?"
    )
    round_table = Session.objects.get(slot__event=event, title__startswith="Table ronde : Comment")
    assert [c.name for c in round_table.contributors.all()] == [
        "Martine ROCHE",
        "Yannick LEBRUN",
        "Sophie GIRAUD",
    ]


@pytest.mark.django_db
def test_webinar_becomes_experience_sheets_with_obstacles_and_tips(fclient):
    from maillage.knowledge.models import ExperienceSheet

    _upload(fclient, _sample("webinaire-retours-experience.md"), "webinaire.md")
    document = DocumentImport.objects.get()
    fclient.post(reverse("imports:accept", args=[document.pk]), _keep_all(document))
    sheets = ExperienceSheet.objects.order_by("pk")
    assert sheets.count() == 3
    first = sheets[0]
    assert first.origin == "import"
    assert [i.text for i in first.obstacles()] == [
        "les mêmes personnes reviennent à chaque réunion ; les jeunes ne viennent pas."
    ]
    assert first.tips()[0].organisation.name == "Commune de Saint-Amans"
    sycoval = sheets[2]
    assert (
        sycoval.organisations.get().name == "Syndicat de collecte des déchets du Vallon (SYCOVAL)"
    )
    event = Event.objects.get()
    assert "https://video.example.org/watch?v=abc123" in event.description
    assert event.organisers.get().name == "Réseau des communes participatives"


@pytest.mark.django_db
def test_weird_ids(fclient):
    for url in (
        "/imports/99999999999999999999999/",
        "/imports/123456/",
        "/imports/123456/etat/",
    ):
        assert fclient.get(url).status_code == 404
    assert fclient.post("/imports/99999999999999999999999/accepter/").status_code == 404
    assert fclient.post("/imports/contacts/99999999999999999999999/inviter/").status_code == 404
    assert fclient.get("/imports/profil/pas-un-jeton/").status_code == 404


@pytest.mark.django_db
def test_status_polling(fclient):
    document = review_import()
    document.status = "pending"
    document.save()
    response = fclient.get(reverse("imports:status", args=[document.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'hx-trigger="every 1s"' in response.content.decode()
    document.status = "review"
    document.save()
    response = fclient.get(reverse("imports:status", args=[document.pk]), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == document.get_absolute_url()


@pytest.mark.django_db
def test_delete_an_import_not_accepted(fclient):
    document = review_import()
    response = fclient.post(reverse("imports:delete", args=[document.pk]))
    assert response.status_code == 302
    assert DocumentImport.objects.count() == 0


@pytest.mark.django_db
def test_list_query_count(fclient, django_assert_max_num_queries):
    for n in range(12):
        review_import(text=f"Document {n}\nligne")
    with django_assert_max_num_queries(12):
        response = fclient.get(LIST)
    assert response.status_code == 200
    assert response.content.decode().count("/imports/") >= 12


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sample",
    [
        "synthese-forum-ouvert.txt",
        "atelier-compte-rendu.md",
        "webinaire-retours-experience.md",
        "programme-rencontres.txt",
        "journee-lancement.txt",
    ],
)
def test_review_page_of_every_kind(fclient, sample, django_assert_max_num_queries):
    from maillage.directory.tests.factories import PersonFactory

    PersonFactory(name="Hélène Marchal", email="HELENE.MARCHAL@example.org")
    _upload(fclient, _sample(sample), sample)
    document = DocumentImport.objects.get()
    with django_assert_max_num_queries(15):
        response = fclient.get(document.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Tout accepter et créer" in content
    if sample.startswith("synthese"):
        assert content.count("déjà dans l'annuaire") == 1


@pytest.mark.django_db
@pytest.mark.parametrize("weird", ["x" * 400, "<script>alert(1)</script>", "-1", "0", "é" * 3000])
def test_any_correction_gives_a_page_never_a_500(fclient, weird):
    _upload(fclient, _sample("synthese-forum-ouvert.txt"), "synthese.txt")
    document = DocumentImport.objects.get()
    data = _keep_all(document)
    for key in list(data):
        if key.startswith("v-"):
            data[key] = weird
    response = fclient.post(reverse("imports:accept", args=[document.pk]), data)
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert Event.objects.count() == 0
