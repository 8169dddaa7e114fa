"""Upload, review and accept through HTTP; hostile uploads save nothing.

The documents are the project's own corpus (`corpus/`, see its README), so that the
suite runs on a clone with nothing beside it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillage.directory.models import Organisation, Person
from maillage.events.models import Event, Session
from maillage.imports import review
from maillage.imports.models import DocumentImport, ImportedContact, ImportedFollowUp

from . import documents, hostile
from .corpus import DOCUMENTS
from .factories import review_import

LIST = reverse("imports:list")
CORPUS = {name: (text, markdown) for name, text, markdown, _expected in DOCUMENTS}


def _document(name: str) -> bytes:
    """A document of the corpus as a network uploads it: its bytes as stored (the byte
    order mark and CRLF of `webinaire-word` included)."""
    return CORPUS[name][0].encode("utf-8")


def _file_name(name: str) -> str:
    return f"{name}.md" if CORPUS[name][1] else f"{name}.txt"


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
    # Group 1 announces 4 sign-ups and lists Nadège Faure twice, with two addresses.
    response = _upload(fclient, _document("forum-pdf-colonnes"), "synthese.txt")
    document = DocumentImport.objects.get()
    assert response.status_code == 302
    assert response.url == document.get_absolute_url()
    assert document.status == "review"
    assert document.kind == "open_forum_synthesis"
    page = fclient.get(document.get_absolute_url())
    content = page.content.decode()
    assert page.status_code == 200
    assert 'id="l10"' in content  # the source, line by line
    assert "Sobriété dans les bâtiments publics" in content
    assert "4 personne(s) annoncée(s) pour la suite, 3 contact(s)" in content
    assert "listé·e deux fois" in content
    # Nothing is created before the facilitator accepts.
    assert Event.objects.count() == 0
    assert not Person.objects.filter(imported=True).exists()


@pytest.mark.django_db
def test_pasted_text(fclient):
    text = _document("lancement-formulaire").decode()
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
    data = _document("forum-pdf-puces")
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

    known = PersonFactory(name="Clarisse B.", email="Clarisse.Benezech@example.ORG")
    mission = OrganisationFactory(name="Mission locale  des CAUSSES")
    _upload(fclient, _document("forum-pdf-puces"), "synthese.txt")
    document = DocumentImport.objects.get()
    response = fclient.post(reverse("imports:accept", args=[document.pk]), _keep_all(document))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == "accepted"
    event = document.event
    assert event.title == "Forum ouvert « Vivre et agir sur les Causses »"
    assert event.address == "Lauzerac"
    assert str(event.starts_at.date()) == "2024-11-23"
    groups = list(Group.objects.filter(event=event).order_by("number"))
    assert [g.number for g in groups] == [1, 2, 3]
    first = groups[0].report
    assert "Recenser les logements vacants avec les mairies" in first.proposals
    # The findings go on after the page footer, which is not one of them.
    assert "Les projets d'habitat léger se heurtent" in first.findings
    assert "Page 2" not in first.findings
    assert first.network_stop == "- Porter lui-même des projets immobiliers"
    assert first.resource_person_name == "Solène Verdier"
    assert first.resource_person == Person.objects.get(email="solene.verdier@example.org")
    assert groups[1].report.network_stop == ""  # "Non renseigné" stays empty
    assert "Les cafés ferment les uns après les autres" in groups[2].report.findings
    # Follow-ups: 9 people, one organisation and an address alone, 13 sign-ups in all;
    # Isabelle Moreau (« Zaza » in group 1) and Mathis Roux-Delage, in two groups, once.
    assert ImportedFollowUp.objects.filter(group=groups[2]).count() == 3
    assert ImportedFollowUp.objects.count() == 13
    assert Person.objects.filter(name="Isabelle Moreau").count() == 1
    assert Person.objects.filter(name="Mathis Roux-Delage").count() == 1
    # Matched by e-mail (case folded), not duplicated; matched organisation by name.
    assert Person.objects.filter(email__iexact="clarisse.benezech@example.org").count() == 1
    assert ImportedFollowUp.objects.filter(person=known).exists()
    assert Organisation.objects.filter(search_name="mission locale des causses").get() == mission
    kenza = Person.objects.get(email="kenza.aitouali@example.org")
    assert kenza.organisations.get() == mission
    # New people are private, imported and unconfirmed; no mailto line made anyone.
    created = Person.objects.filter(imported=True)
    assert created.count() == 8
    assert set(created.values_list("visibility", flat=True)) == {"private"}
    assert not created.filter(confirmed=True).exists()
    assert not Person.objects.filter(email="zaza.moreu@example.net").exists()
    assert ImportedContact.objects.filter(document=document).count() == 8
    toits = Organisation.objects.get(name="Association Toits Partagés")
    assert toits.email == "contact@toits-partages.example.org"
    # The follow-ups and groups are found from the import page, and the group's page.
    page = fclient.get(document.get_absolute_url()).content.decode()
    assert event.get_absolute_url() in page
    assert groups[0].get_absolute_url() in page
    assert "Baptiste Lafon" in page


@pytest.mark.django_db
def test_corrections_and_drops_are_applied(fclient):
    _upload(fclient, _document("forum-pdf-puces"), "synthese.txt")
    document = DocumentImport.objects.get()
    data = _keep_all(document)
    group = document.draft["groups"][0]
    data[f"v-{group['title']['id']}"] = "Habiter autrement, sur les Causses et ailleurs"
    jeremie = group["follow_up"][3]
    assert jeremie["name"]["value"] == "Jérémie Castex"
    del data[f"keep-{jeremie['id']}"]
    dropped_group = document.draft["groups"][2]
    del data[f"keep-{dropped_group['id']}"]
    response = fclient.post(reverse("imports:review", args=[document.pk]), data)
    assert response.status_code == 302
    document.refresh_from_db()
    assert (
        document.draft["groups"][0]["title"]["value"]
        == "Habiter autrement, sur les Causses et ailleurs"
    )
    assert document.draft["groups"][0]["follow_up"][3]["dropped"] is True
    fclient.post(reverse("imports:accept", args=[document.pk]), _keep_all(document))
    from maillage.forums.models import Group

    titles = list(Group.objects.order_by("number").values_list("title", flat=True))
    assert titles[0] == "Habiter autrement, sur les Causses et ailleurs"
    assert len(titles) == 2
    assert not Person.objects.filter(name="Jérémie Castex").exists()
    # Only the dropped group's own sign-up is gone with it.
    assert not Person.objects.filter(name="Clarisse Bénézech").exists()
    assert Person.objects.filter(name="Mathis Roux-Delage").exists()


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
    # Three groups: the third report fails after two were saved.
    _upload(fclient, _document("forum-pdf-puces"), "synthese.txt")
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
    # « Jeudi 9 octobre », « Vendredi 10 octobre »: no year written.
    _upload(fclient, _document("programme-deux-jours"), "programme.txt")
    document = DocumentImport.objects.get()
    response = fclient.post(reverse("imports:accept", args=[document.pk]), _keep_all(document))
    assert response.status_code == 400
    assert "Indiquez la date" in response.content.decode()
    assert Event.objects.count() == 0
    data = _keep_all(document)
    first, second = document.draft["days"]
    data[f"v-{first['date']['id']}"] = "09/10/2025"
    data[f"v-{second['date']['id']}"] = "10/10/2025"
    response = fclient.post(reverse("imports:accept", args=[document.pk]), data)
    assert response.status_code == 302
    event = Event.objects.get()
    assert [str(d) for d in event.local_days()] == ["2025-10-09", "2025-10-10"]
    workshops = Session.objects.filter(slot__event=event, kind="atelier")
    assert workshops.count() == 5
    # A workshop's title that wraps onto the next line is one title.
    assert workshops.filter(
        title="Gouvernance partagée : qui décide quand tout le monde est bénévole ?"
    ).exists()
    round_table = Session.objects.get(slot__event=event, title__startswith="Table ronde : élu·es")
    assert [c.name for c in round_table.contributors.all()] == [
        "Bernard CAYLA",
        "Nina VIGUIÉ",
        "Ophélie MARTRES",
    ]


@pytest.mark.django_db
def test_the_line_under_a_workshop_becomes_its_description(fclient):
    text = """Rencontres du réseau des Hautes Terres
Organisées par le Collectif des Hautes Terres

Jeudi 12 juin 2025 : Agir ensemble

14h00 - Ateliers :

► La coopération entre communes et associations

Quels freins ? Quels leviers ? Quelles conditions de réussite ?

► Coproduire avec les habitant·es

16h00 - Clôture
"""
    fclient.post(LIST, {"text": text})
    document = DocumentImport.objects.get()
    response = fclient.post(reverse("imports:accept", args=[document.pk]), _keep_all(document))
    assert response.status_code == 302
    workshops = Session.objects.filter(kind="atelier").order_by("pk")
    assert [(w.title, w.description) for w in workshops] == [
        (
            "La coopération entre communes et associations",
            "Quels freins ? Quels leviers ? Quelles conditions de réussite ?",
        ),
        ("Coproduire avec les habitant·es", ""),
    ]


@pytest.mark.django_db
def test_webinar_becomes_experience_sheets_with_obstacles_and_tips(fclient):
    from maillage.knowledge.models import ExperienceSheet

    # Saved from Word as plain text: a byte order mark and CRLF line ends.
    _upload(fclient, _document("webinaire-word"), "webinaire.txt")
    document = DocumentImport.objects.get()
    fclient.post(reverse("imports:accept", args=[document.pk]), _keep_all(document))
    sheets = ExperienceSheet.objects.order_by("pk")
    assert sheets.count() == 3
    first = sheets[0]
    assert first.origin == "import"
    # One obstacle per « Obstacle : » line.
    assert [i.text for i in first.obstacles()] == [
        "la licence IV avait été vendue, il a fallu en racheter une.",
        "peu de candidatures pour gérer le lieu.",
    ]
    assert first.tips()[0].organisation.name == "Commune de Saint-Élix-des-Ronces"
    # A numbered list under « Obstacles : » and « Astuces : ».
    comptoir = sheets[1]
    assert len(comptoir.obstacles()) == 2
    assert len(comptoir.tips()) == 3
    cccl = sheets[2]
    assert cccl.organisations.get().name == "Communauté de communes Causses et Lauzes (CCCL)"
    event = Event.objects.get()
    assert "https://video.example.org/w/cafes-associatifs" in event.description
    # The organiser (« RÉSEAU BOURGS ET VILLAGES VIVANTS » in the heading) and the first
    # participating structure are one organisation. Its capitals are not checked: the
    # importer keeps the heading's form, « Réseau bourgs et villages vivants ».
    organiser = event.organisers.get()
    assert organiser.name.casefold() == "réseau bourgs et villages vivants"
    assert Organisation.objects.get(search_name="reseau bourgs et villages vivants") == organiser


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
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_review_page_of_every_kind(fclient, name, django_assert_max_num_queries):
    from maillage.directory.tests.factories import PersonFactory

    # One person of each forum is in the directory already, written otherwise.
    known = {
        "forum-pdf-puces": ("Solène V.", "SOLENE.VERDIER@example.org"),
        "forum-pdf-colonnes": ("Thi-Lan N.", "ThiLan.Nguyen@example.org"),
        "forum-word-outre-mer": ("Lydie P.", "LYDIE.PAYET@example.fr"),
    }
    for person_name, email in known.values():
        PersonFactory(name=person_name, email=email)
    _upload(fclient, _document(name), _file_name(name))
    document = DocumentImport.objects.get()
    with django_assert_max_num_queries(15):
        response = fclient.get(document.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "Tout accepter et créer" in content
    assert content.count("déjà dans l'annuaire") == (1 if name in known else 0)


@pytest.mark.django_db
@pytest.mark.parametrize("weird", ["x" * 400, "<script>alert(1)</script>", "-1", "0", "é" * 3000])
def test_any_correction_gives_a_page_never_a_500(fclient, weird):
    _upload(fclient, _document("forum-pdf-puces"), "synthese.txt")
    document = DocumentImport.objects.get()
    data = _keep_all(document)
    for key in list(data):
        if key.startswith("v-"):
            data[key] = weird
    response = fclient.post(reverse("imports:accept", args=[document.pk]), data)
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert Event.objects.count() == 0
