"""What accepting an import creates (issue 14): nothing public before a person decides,
no phone number or address as a name, one organisation per organisation, records made
through the directory's and the agenda's services, and follow-ups counted."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from maillage.core.models import AuditEntry
from maillage.directory.models import Moderation, Organisation, Person
from maillage.events.models import Event, EventStatus, TimeSlot
from maillage.forums.models import Group
from maillage.imports import services
from maillage.imports.models import DocumentImport, ImportedFollowUp
from maillage.knowledge.models import ExperienceSheet

from .factories import (
    contact,
    draft,
    draft_import,
    experience,
    group,
    node,
    programme_day,
    section,
    slot,
)
from .test_views import _document, _keep_all, _upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def fclient(facilitator):
    client = Client()
    client.force_login(facilitator)
    return client


def _forum() -> dict:
    return draft(
        title="Forum des Hautes Terres",
        organisers=["Collectif Tisserands du Causse"],
        groups=[
            group(
                1,
                "Mobilité buissonnière",
                sections=[section("Constats", "findings", "Les navettes zigzaguent trop")],
                follow_up=[
                    contact("Nina Rey", organisation="Garage Solidaire", email="nina@example.org"),
                    contact(organisation="Le Garage Solidaire"),
                    contact("Yves Caron", email="yves.caron@example.net"),
                ],
            ),
        ],
        experiences=[
            experience(
                "Commune de Valcabrère",
                obstacles=["Les bénévoles s'essoufflent vite"],
                tips=["Tourner les rôles chaque trimestre"],
            )
        ],
    )


def _accept(fclient, document) -> None:
    response = fclient.post(reverse("imports:accept", args=[document.pk]), {})
    assert response.status_code == 302, response.content.decode()[:2000]
    document.refresh_from_db()
    assert document.is_accepted


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _search(client, q: str) -> str:
    response = client.get(reverse("search:results"), {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def _opendata(client) -> str:
    found = []
    for key in ("structures", "rencontres", "personnes", "fiches"):
        response = client.get(reverse("opendata:export_json", args=[key]))
        assert response.status_code == 200
        found.append(_body(response))
    for feed in ("comptes-rendus", "fiches"):
        response = client.get(reverse("opendata:feed_rss", args=[feed]))
        assert response.status_code == 200
        found.append(_body(response))
    return "\n".join(found)


def _geojson(client) -> dict:
    response = client.get(reverse("maps:geojson"))
    assert response.status_code == 200
    return json.loads(response.content)


def test_nothing_an_import_creates_is_public_until_a_facilitator_publishes_it(fclient):
    from maillage.territories.tests.factories import TerritoryFactory

    document = draft_import(_forum())
    _accept(fclient, document)
    event = Event.objects.get()
    garage = Organisation.objects.get(name="Garage Solidaire")
    collectif = Organisation.objects.get(name="Collectif Tisserands du Causse")
    the_group = Group.objects.get()
    sheet = ExperienceSheet.objects.get()
    nina = Person.objects.get(name="Nina Rey")

    assert event.status == EventStatus.DRAFT
    assert {garage.status, collectif.status} == {Moderation.PROPOSED}
    assert sheet.status == "draft"
    assert nina.visibility == "private"
    # Someone placing the garage before it is published must not put it on the map.
    commune = TerritoryFactory(name="Valcabrère-sur-Causse", latitude=44.1, longitude=3.08)
    garage.commune, garage.latitude, garage.longitude = commune, 44.1, 3.08
    garage.save()

    pages = [
        event.get_absolute_url(),
        the_group.get_absolute_url(),
        reverse("forums:synthesis_public", args=[event.pk]),
        garage.get_absolute_url(),
        collectif.get_absolute_url(),
        sheet.get_absolute_url(),
        nina.get_absolute_url(),
    ]
    anonymous = Client()
    for url in pages:
        assert anonymous.get(url).status_code in (403, 404), url
        assert fclient.get(url).status_code == 200, url
    agenda = anonymous.get(reverse("events:past")).content.decode()
    assert "Forum des Hautes Terres" not in agenda
    assert "Forum des Hautes Terres" in fclient.get(reverse("events:past")).content.decode()

    for q in ("Garage Solidaire", "Tisserands", "navettes zigzaguent", "bénévoles essoufflent"):
        found = _search(anonymous, q)
        assert not any(url in found for url in pages), q
    facilitator_search = _search(fclient, "Garage Solidaire")
    assert garage.get_absolute_url() in facilitator_search
    assert sheet.get_absolute_url() in _search(fclient, "Tourner les rôles")

    points = [f["properties"]["url"] for f in _geojson(anonymous)["features"]]
    assert not any(garage.get_absolute_url() in url for url in points)
    exports = _opendata(anonymous)
    for text in ("Garage Solidaire", "Tisserands", "Forum des Hautes Terres", "navettes", "Nina"):
        assert text not in exports, text


def test_a_facilitator_publishes_what_was_imported_from_the_site(fclient):
    document = draft_import(_forum())
    _accept(fclient, document)
    event = Event.objects.get()
    the_group = Group.objects.get()
    garage = Organisation.objects.get(name="Garage Solidaire")
    anonymous = Client()
    assert anonymous.get(the_group.get_absolute_url()).status_code == 404

    # The draft event is listed for the facilitator, who publishes it from its edit form.
    edit = fclient.get(reverse("events:event_edit", args=[event.pk]))
    assert edit.status_code == 200
    local = timezone.localtime
    response = fclient.post(
        reverse("events:event_edit", args=[event.pk]),
        {
            "title": event.title,
            "kind": event.kind,
            "summary": event.summary,
            "description": event.description,
            "status": "published",
            "starts_at": local(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": local(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
            "address": event.address,
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert anonymous.get(event.get_absolute_url()).status_code == 200
    group_page = anonymous.get(the_group.get_absolute_url()).content.decode()
    assert "navettes zigzaguent" in group_page
    assert the_group.get_absolute_url() in _search(anonymous, "navettes zigzaguent")

    # The proposed organisation waits on the moderation page.
    moderation = fclient.get(reverse("directory:moderation")).content.decode()
    assert "Garage Solidaire" in moderation
    fclient.post(
        reverse("directory:moderate", args=["structure", garage.pk]), {"decision": "accept"}
    )
    garage.refresh_from_db()
    assert garage.status == Moderation.PUBLISHED
    assert anonymous.get(garage.get_absolute_url()).status_code == 200


def test_imported_records_go_through_the_services_and_leave_audit_entries(facilitator):
    document = draft_import(_forum())
    services.import_accept(document=document, actor=facilitator)
    document.refresh_from_db()
    event = Event.objects.get()
    entries = AuditEntry.objects.filter(actor=facilitator)
    assert entries.filter(action="event.create", object_id=str(event.pk)).exists()
    created = Organisation.objects.filter(pk__in=document.result["organisations"])
    # The organiser, the garage and the commune that told its experience.
    assert created.count() == 3
    for organisation in created:
        entry = entries.get(action="organisation.create", object_id=str(organisation.pk))
        assert entry.data == {"source": "import"}
        assert organisation.created_by == facilitator
    people = Person.objects.filter(pk__in=document.result["people"])
    assert people.count() == 2
    for person in people:
        entry = entries.get(action="person.create", object_id=str(person.pk))
        assert entry.data == {"source": "import"}
    assert set(event.organisers.values_list("name", flat=True)) == {
        "Collectif Tisserands du Causse"
    }
    assert not event.registration_open


@pytest.mark.parametrize(
    "name",
    [
        "06 12 34 56 78",
        "+33 (0)6 11 22 33 44",
        "Nina 0611223344",
        "nina.rey@example.org",
        "Nina Rey <nina@example.org>",
        "— 42 —",
    ],
)
def test_an_address_or_a_phone_number_is_never_a_name(facilitator, name):
    the_draft = draft(
        groups=[
            group(
                1,
                "Mobilité",
                follow_up=[
                    contact(name, email="quelquun@example.org"),
                    contact(organisation=name),
                    contact(name, organisation="Garage Solidaire"),
                ],
            )
        ],
        organisers=[name],
        experiences=[experience(name, obstacles=["Trop peu de bénévoles"])],
    )
    document = draft_import(the_draft)
    services.import_accept(document=document, actor=facilitator)
    document.refresh_from_db()
    assert not Person.objects.filter(name=name).exists()
    assert not Organisation.objects.filter(name=name).exists()
    assert not Person.objects.filter(imported=True).exists()
    # The first line keeps its address alone, the third its organisation: they signed up.
    followups = list(ImportedFollowUp.objects.all())
    assert [f.name for f in followups] == ["quelquun@example.org", "Garage Solidaire"]
    assert followups[0].person is None and followups[0].organisation is None
    assert document.result["refused_names"] >= 4


def test_an_address_alone_is_a_sign_up_kept_for_facilitators_only(fclient, facilitator):
    from maillage.accounts.services import account_delete, personal_data_export
    from maillage.accounts.tests.factories import UserFactory

    the_draft = draft(
        groups=[
            group(
                1,
                "Mobilité",
                follow_up=[contact("Nina Rey"), contact(email="contact@causses.example.org")],
            )
        ]
    )
    document = draft_import(
        the_draft, text="Suites à donner\nNina Rey\ncontact@causses.example.org"
    )
    _accept(fclient, document)
    alone = ImportedFollowUp.objects.get(email="contact@causses.example.org")
    assert alone.person is None and alone.organisation is None
    assert not Person.objects.filter(name__icontains="causses").exists()
    assert not Organisation.objects.exists()
    assert (
        "contact@causses.example.org" in fclient.get(document.get_absolute_url()).content.decode()
    )
    event = Event.objects.get()
    event.status = EventStatus.PUBLISHED
    event.save()
    page = Client().get(Group.objects.get().get_absolute_url()).content.decode()
    assert "2 inscriptions" in page and "causses.example.org" not in page
    # The person behind the address, once a member, sees it in their data and erases it.
    owner = UserFactory(email="Contact@Causses.example.org")
    exported = personal_data_export(user=owner)["data"]["imports"]
    assert [row.get("email") for row in exported] == ["contact@causses.example.org"]
    account_delete(user=owner)
    assert not ImportedFollowUp.objects.filter(email__iexact="contact@causses.example.org")
    document.refresh_from_db()
    assert "contact@causses.example.org" not in document.text
    assert "contact@causses.example.org" not in json.dumps(document.draft)


def test_the_accept_page_says_how_many_names_were_refused(fclient):
    the_draft = draft(groups=[group(1, "Mobilité", follow_up=[contact("06 12 34 56 78")])])
    document = draft_import(the_draft)
    response = fclient.post(reverse("imports:accept", args=[document.pk]), {}, follow=True)
    assert "1 nom a été écarté" in response.content.decode()


def test_one_organisation_per_organisation_within_an_import(facilitator):
    the_draft = draft(
        organisers=["Commune de Valcabrère", "Le Garage Solidaire"],
        groups=[
            group(
                1,
                "Mobilité",
                follow_up=[
                    contact(organisation="Garage Solidaire"),
                    contact(organisation="Valcabrère"),
                    contact(organisation="Mairie de Valcabrère"),
                    contact("Nina Rey", organisation="garage solidaire"),
                    contact(organisation="Association Valcabrère"),
                    contact(organisation="Syndicat du Vallon (SYVAL)"),
                    contact(organisation="SYVAL"),
                ],
            )
        ],
    )
    document = draft_import(the_draft)
    services.import_accept(document=document, actor=facilitator)
    document.refresh_from_db()
    names = sorted(Organisation.objects.values_list("name", flat=True))
    # « Association Valcabrère » is not the town hall: a prefix of another family.
    assert names == [
        "Association Valcabrère",
        "Commune de Valcabrère",
        "Le Garage Solidaire",
        "Syndicat du Vallon (SYVAL)",
    ]
    garage = Organisation.objects.get(name="Le Garage Solidaire")
    assert Person.objects.get(name="Nina Rey").organisations.get() == garage


def test_the_import_matches_organisations_already_in_the_directory(facilitator):
    from maillage.directory.tests.factories import OrganisationFactory

    town = OrganisationFactory(name="Commune de Valcabrère", status="published")
    garage = OrganisationFactory(name="Garage Solidaire", status="published")
    the_draft = draft(
        groups=[
            group(
                1,
                "Mobilité",
                follow_up=[
                    contact(organisation="Mairie de Valcabrère"),
                    contact("Nina Rey", organisation="Le Garage Solidaire"),
                ],
            )
        ],
    )
    # The review page says so beforehand: the same matcher.
    assert services.describe_matches(the_draft) == {
        the_draft["groups"][0]["follow_up"][0]["id"]: "existing",
        the_draft["groups"][0]["follow_up"][1]["id"]: "new",
    }
    document = draft_import(the_draft)
    services.import_accept(document=document, actor=facilitator)
    document.refresh_from_db()
    assert Organisation.objects.count() == 2
    assert document.result["organisations"] == []
    assert ImportedFollowUp.objects.filter(organisation=town).exists()
    assert Person.objects.get(name="Nina Rey").organisations.get() == garage


def test_role_parts_as_lists_of_items_and_private_contact_details(facilitator):
    role = {
        "continue": [node("Tenir une carte des offres"), node("Animer un club des conducteurs")],
        "stop": [node("Se substituer aux autorités organisatrices")],
        "with": [node("PETR Val de Garonne"), {**node("Rézo Pouce"), "dropped": True}],
        "uncertain": True,
    }
    nina = contact(
        "Nina Rey",
        email="nina@example.org",
        other_emails=["nina.perso@example.com"],
        also_known_as="Nini",
        interests="covoiturage, vélo cargo",
    )
    document = draft_import(draft(groups=[group(1, "Mobilité", role=role, follow_up=[nina])]))
    services.import_accept(document=document, actor=facilitator)
    document.refresh_from_db()
    report = Group.objects.get().report
    assert report.network_continue == (
        "- Tenir une carte des offres\n- Animer un club des conducteurs"
    )
    assert report.network_stop == "- Se substituer aux autorités organisatrices"
    assert report.network_with == "- PETR Val de Garonne"
    # The other address, the nickname and the interests are stored nowhere.
    person = Person.objects.get(name="Nina Rey")
    stored = json.dumps(
        [
            {f.name: str(getattr(person, f.attname)) for f in Person._meta.concrete_fields},
            report.content(),
        ]
    )
    for secret in ("nina.perso@example.com", "Nini", "vélo cargo"):
        assert secret not in stored


def test_older_drafts_with_one_node_per_role_part_still_work(facilitator):
    role = {"continue": node("Tenir une carte"), "stop": node(None), "with": node("Rézo Pouce")}
    document = draft_import(draft(groups=[group(1, "Mobilité", role=role)]))
    services.import_accept(document=document, actor=facilitator)
    document.refresh_from_db()
    report = Group.objects.get().report
    assert (report.network_continue, report.network_stop, report.network_with) == (
        "Tenir une carte",
        "",
        "Rézo Pouce",
    )


def test_imported_follow_ups_are_counted_in_the_synthesis_without_names(
    fclient, facilitator, member
):
    document = draft_import(_forum())
    _accept(fclient, document)
    event = Event.objects.get()
    event.status = EventStatus.PUBLISHED
    event.save()
    the_group = Group.objects.get()
    assert ImportedFollowUp.objects.filter(group=the_group).count() == 3

    public = Client().get(reverse("forums:synthesis_public", args=[event.pk])).content.decode()
    assert "3 inscriptions pour poursuivre" in public
    assert "0 inscription" not in public
    assert "3 inscriptions viennent du compte rendu importé" in public
    for name in ("Nina Rey", "Yves Caron", "nina@example.org"):
        assert name not in public
    complete = fclient.get(reverse("forums:synthesis", args=[event.pk])).content.decode()
    assert "3 inscriptions pour poursuivre" in complete
    assert "Yves Caron" not in complete

    group_page = Client().get(the_group.get_absolute_url()).content.decode()
    assert "Le compte rendu importé liste aussi 3 inscriptions" in group_page
    assert "Yves Caron" not in group_page
    client = Client()
    client.force_login(member)
    working = client.get(reverse("forums:working_groups")).content.decode()
    assert "3 inscriptions d'un compte rendu importé" in working
    event_page = Client().get(event.get_absolute_url()).content.decode()
    assert "3 inscriptions d'un compte rendu importé" in event_page
    download = fclient.get(reverse("forums:synthesis_download", args=[event.pk, "publique", "md"]))
    markdown = _body(download)
    assert "3 inscriptions viennent du compte rendu importé" in markdown


def test_a_programme_slot_keeps_the_end_the_document_gives_and_invents_none(fclient):
    the_draft = draft(
        kind="programme",
        day=None,
        days=[
            programme_day(
                "2025-06-12",
                slot("9h30", "Accueil café"),
                slot("10h00", "Ouverture", end="10h30"),
                slot("14h00 – 15h45", "Ateliers", workshops=["Coopérer", "Animer"]),
                slot("16h00", "Table ronde", end="15h00"),  # an end before the start: unknown
            )
        ],
    )
    document = draft_import(the_draft)
    _accept(fclient, document)
    event = Event.objects.get()
    hours = [(str(s.starts)[:5], s.ends and str(s.ends)[:5]) for s in TimeSlot.objects.all()]
    assert hours == [
        ("09:30", None),
        ("10:00", "10:30"),
        ("14:00", "15:45"),
        ("16:00", None),
    ]
    # The event opens with the first slot; its end is the last end the document gives.
    local = timezone.localtime
    assert local(event.starts_at).strftime("%H:%M") == "09:30"
    assert local(event.ends_at).strftime("%H:%M") == "15:45"
    page = fclient.get(event.get_absolute_url()).content.decode()
    assert "09:30</strong>" in page
    assert "10:00–10:30" in page
    assert "14:00–15:45" in page


@pytest.mark.parametrize(
    "name,organisation,word",
    [
        ("forum-pdf-puces", "Association Toits Partagés", "Toits"),
        ("forum-pdf-colonnes", "Commune de Montbrac", "Montbrac"),
        ("forum-word-outre-mer", "ARDEL", "ARDEL"),
    ],
)
def test_a_forum_of_the_corpus_creates_nothing_public(fclient, name, organisation, word):
    _upload(fclient, _document(name), f"{name}.txt")
    document = DocumentImport.objects.get()
    fclient.post(reverse("imports:accept", args=[document.pk]), _keep_all(document))
    document.refresh_from_db()
    assert document.is_accepted
    assert Event.objects.get().status == EventStatus.DRAFT
    assert not Organisation.objects.filter(
        pk__in=document.result["organisations"], status=Moderation.PUBLISHED
    ).exists()
    anonymous = Client()
    for the_group in Group.objects.all():
        assert anonymous.get(the_group.get_absolute_url()).status_code == 404
    # An organisation that signed up for the follow-up, with its address.
    signed_up = Organisation.objects.get(name=organisation)
    assert signed_up.pk in document.result["organisations"]
    assert signed_up.get_absolute_url() not in _search(anonymous, word)
    assert signed_up.get_absolute_url() in _search(fclient, word)
    assert word not in _opendata(anonymous)
