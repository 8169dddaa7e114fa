"""The synthesis of an event: every group in every format, contacts only where their
owners consented (and never in the public version), access and query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.tests.factories import UserFactory
from maillage.core.documents import docx_text, pdf_text
from maillage.core.models import AuditEntry
from maillage.directory.models import Membership, Person
from maillage.directory.tests.factories import OrganisationFactory, PersonFactory
from maillage.events.tests.factories import EventFactory
from maillage.forums.models import FollowUp, Group, GroupMember, Report
from maillage.forums.synthesis import build_synthesis, person_name, synthesis_blocks

GROUPS = [
    ("Une régie agricole communale", "Comment nourrir les cantines avec des produits locaux ?"),
    ("Covoiturage solidaire en zone rurale", "Comment se déplacer sans voiture à 20 km du bourg ?"),
    ("Centrales villageoises", "Comment financer des toits solaires citoyens ?"),
]


def _user(name: str, email: str, phone: str = "") -> object:
    user = UserFactory(display_name=name, email=email)
    Person.objects.create(user=user, name=name, email=email, phone=phone, visibility="members")
    return user


@pytest.fixture
def forum(db):
    """A past open forum with three groups; the first has two followers (one sharing
    only an e-mail, one only a phone); the third has no report."""
    now = timezone.now()
    event = EventFactory(
        title="Forum ouvert : se nourrir localement à Limoux",
        kind="forum_ouvert",
        starts_at=now - timedelta(days=30),
        ends_at=now - timedelta(days=30) + timedelta(hours=7),
        address="Salle des fêtes",
    )
    carrier = _user("Nadia Porteuse", "nadia.secret@example.org", "06 11 22 33 44")
    sharer = _user("Bruno Partage", "bruno.partage@example.org", "06 55 66 77 88")
    silent = _user("Chloé Discrète", "chloe.discrete@example.org", "07 99 88 77 66")
    participant = _user("Paul Participant", "paul.participant@example.org", "06 00 00 00 01")
    groups = []
    for number, (title, question) in enumerate(GROUPS, start=1):
        group = Group.objects.create(event=event, number=number, title=title, question=question)
        GroupMember.objects.create(group=group, user=carrier, role="carrier")
        GroupMember.objects.create(group=group, user=participant, role="participant")
        if number < 3:
            Report.objects.create(
                group=group,
                question=question,
                findings=f"Constat du groupe {number} : les producteurs manquent de débouchés.",
                proposals=f"Proposition {number} : une plateforme logistique partagée.",
                vigilance="Ne pas concurrencer les AMAP existantes.",
                network_continue="Mobiliser les élu·es du territoire.",
                network_stop="Porter lui-même la régie.",
                network_with="La chambre d'agriculture, les CIVAM.",
                resource_person_name="Marie Dupuis, CIVAM de l'Aude",
                notes="Prochaine étape : visite de la régie de Mouans-Sartoux.",
            )
        groups.append(group)
    FollowUp.objects.create(
        group=groups[0],
        user=sharer,
        share_email=True,
        share_phone=False,
        message="Je peux aider à la logistique",
        consented_at=now,
    )
    FollowUp.objects.create(group=groups[0], user=silent, share_phone=True, consented_at=now)
    groups[0].working_since = now
    groups[0].save(update_fields=["working_since"])
    return {
        "event": event,
        "groups": groups,
        "carrier": carrier,
        "sharer": sharer,
        "silent": silent,
        "participant": participant,
    }


def _flat(text: str) -> str:
    """Without any whitespace: a PDF may break an address or a number across lines."""
    return "".join(text.split())


# What the followers agreed to share: the sharer's e-mail, the other's phone.
CONSENTED = ["bruno.partage@example.org", "0799887766"]


def _never_shown(forum) -> list[str]:
    """Contacts nobody agreed to share in the synthesis."""
    return [
        "0655667788",  # the sharer's phone: e-mail only
        "chloe.discrete@example.org",  # phone only
        "nadia.secret@example.org",
        "0611223344",
        "paul.participant@example.org",
        "0600000001",
    ]


def _assert_consent_respected(text: str, forum, *, complete: bool) -> None:
    flat = _flat(text)
    for value in _never_shown(forum):
        assert value not in flat
    for value in CONSENTED:
        assert (value in flat) is complete
    # Names of followers and carriers are in the complete version only.
    assert ("Bruno Partage" in text) is complete
    assert ("Chloé Discrète" in text) is complete
    assert ("Nadia Porteuse" in text) is complete


def _assert_every_group(text: str) -> None:
    flat = _flat(text)
    for title, question in GROUPS:
        assert _flat(title) in flat
        assert _flat(question) in flat


def test_complete_page_shows_every_group_and_only_consented_contacts(forum, client, facilitator):
    client.force_login(facilitator)
    response = client.get(reverse("forums:synthesis", args=[forum["event"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    _assert_every_group(html)
    _assert_consent_respected(html, forum, complete=True)
    assert "Constat du groupe 1" in html and "Proposition 2" in html
    assert "Marie Dupuis, CIVAM de l&#x27;Aude" in html
    assert "Je peux aider à la logistique" in html
    assert "2 personnes se sont inscrites pour poursuivre" in html
    assert "Le compte rendu de ce groupe n'a pas été rédigé." in html
    assert response["Cache-Control"] == "private, no-store"


def test_public_page_has_counts_and_no_names_nor_contacts(forum, client, member):
    for user in (None, member):
        if user:
            client.force_login(user)
        response = client.get(reverse("forums:synthesis_public", args=[forum["event"].pk]))
        assert response.status_code == 200
        html = response.content.decode()
        _assert_every_group(html)
        _assert_consent_respected(html, forum, complete=False)
        assert "2 personnes se sont inscrites pour poursuivre" in html
        assert "Je peux aider" not in html
        assert f'href="{reverse("forums:synthesis", args=[forum["event"].pk])}"' not in html


def test_public_page_links_facilitators_to_the_complete_version(forum, client, facilitator):
    client.force_login(facilitator)
    response = client.get(reverse("forums:synthesis_public", args=[forum["event"].pk]))
    html = response.content.decode()
    assert f'href="{reverse("forums:synthesis", args=[forum["event"].pk])}"' in html
    # Even for a facilitator the public version names nobody.
    _assert_consent_respected(html, forum, complete=False)


@pytest.mark.parametrize("version", ["complete", "publique"])
def test_pdf_contains_every_group_and_only_consented_contacts(forum, client, facilitator, version):
    client.force_login(facilitator)
    url = reverse("forums:synthesis_download", args=[forum["event"].pk, version, "pdf"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="synthese-forum-ouvert')
    text = pdf_text(response.content)
    _assert_every_group(text)
    _assert_consent_respected(text, forum, complete=version == "complete")
    assert "Constat du groupe 2" in " ".join(text.split())


@pytest.mark.parametrize("version", ["complete", "publique"])
def test_docx_contains_every_group_and_only_consented_contacts(forum, client, facilitator, version):
    client.force_login(facilitator)
    url = reverse("forums:synthesis_download", args=[forum["event"].pk, version, "docx"])
    response = client.get(url)
    assert response.status_code == 200
    text = docx_text(response.content)
    _assert_every_group(text)
    _assert_consent_respected(text, forum, complete=version == "complete")
    # The overview table carries the per-group follow-up counts.
    from io import BytesIO

    from docx import Document

    table = Document(BytesIO(response.content)).tables[0]
    counts = {row.cells[1].text: row.cells[-1].text for row in table.rows[1:]}
    assert counts == {GROUPS[0][0]: "2", GROUPS[1][0]: "0", GROUPS[2][0]: "0"}


@pytest.mark.parametrize("version", ["complete", "publique"])
def test_markdown_contains_every_group_and_only_consented_contacts(
    forum, client, facilitator, version
):
    client.force_login(facilitator)
    url = reverse("forums:synthesis_download", args=[forum["event"].pk, version, "md"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/markdown")
    text = response.content.decode()
    for number, (title, _question) in enumerate(GROUPS, start=1):
        assert f"\n## {number}. {title}\n" in text
    _assert_consent_respected(text.replace("\\", ""), forum, complete=version == "complete")


def test_complete_download_is_audited_and_public_is_not(forum, client, facilitator):
    client.force_login(facilitator)
    event = forum["event"]
    client.get(reverse("forums:synthesis_download", args=[event.pk, "publique", "md"]))
    assert not AuditEntry.objects.filter(action="forums.synthesis_download").exists()
    client.get(reverse("forums:synthesis_download", args=[event.pk, "complete", "md"]))
    entry = AuditEntry.objects.get(action="forums.synthesis_download")
    assert entry.actor == facilitator and entry.object_id == str(event.pk)
    assert entry.data == {"format": "md"}


def test_organisers_get_the_complete_version_members_do_not(forum, client):
    event = forum["event"]
    organisation = OrganisationFactory()
    event.organisers.add(organisation)
    organiser = _user("Olga Organisatrice", "olga@example.org")
    url = reverse("forums:synthesis", args=[event.pk])
    download = reverse("forums:synthesis_download", args=[event.pk, "complete", "docx"])
    client.force_login(organiser)
    assert client.get(url).status_code == 403
    assert client.get(download).status_code == 403
    Membership.objects.create(person=organiser.person, organisation=organisation, is_admin=True)
    response = client.get(url)
    assert response.status_code == 200
    assert client.get(download).status_code == 200
    # Names, but no contacts: followers agreed to show them to facilitators and to the
    # other followers only.
    html = response.content.decode()
    assert "Bruno Partage" in html and "Nadia Porteuse" in html
    for value in [*CONSENTED, *_never_shown(forum)]:
        assert value not in _flat(html)
    # Unless the organiser follows the group too.
    FollowUp.objects.create(
        group=forum["groups"][0], user=organiser, share_email=True, consented_at=timezone.now()
    )
    flat = _flat(client.get(url).content.decode())
    assert all(value in flat for value in CONSENTED)
    client.logout()
    assert client.get(url).status_code == 302
    assert client.get(download).status_code == 302


def test_bad_addresses_give_404(forum, client, facilitator):
    client.force_login(facilitator)
    pk = forum["event"].pk
    assert client.get(f"/groupes/rencontre/{pk}/synthese/publique.exe").status_code == 404
    assert client.get(f"/groupes/rencontre/{pk}/synthese/secret.pdf").status_code == 404
    assert client.get(f"/groupes/rencontre/{pk}/synthese/complete.PDF").status_code == 404
    for bad in (0, 999999, 2**63, 10**30):
        assert client.get(f"/groupes/rencontre/{bad}/synthese/").status_code == 404
        assert client.get(f"/groupes/rencontre/{bad}/synthese/publique/").status_code == 404
        assert client.get(f"/groupes/rencontre/{bad}/synthese/publique.md").status_code == 404
    response = client.post(reverse("forums:synthesis", args=[pk]))
    assert response.status_code == 405


def test_draft_event_synthesis_is_for_facilitators_only(forum, client, member, facilitator):
    event = forum["event"]
    event.status = "draft"
    event.save(update_fields=["status"])
    client.force_login(member)
    assert client.get(reverse("forums:synthesis_public", args=[event.pk])).status_code == 404
    url = reverse("forums:synthesis_download", args=[event.pk, "publique", "md"])
    assert client.get(url).status_code == 404
    client.force_login(facilitator)
    assert client.get(reverse("forums:synthesis_public", args=[event.pk])).status_code == 200


def test_event_without_groups(client, facilitator, db):
    event = EventFactory(kind="forum_ouvert")
    client.force_login(facilitator)
    response = client.get(reverse("forums:synthesis", args=[event.pk]))
    assert "Aucun groupe n'a été constitué" in response.content.decode()
    md = client.get(reverse("forums:synthesis_download", args=[event.pk, "publique", "md"]))
    assert "Aucun groupe n'a été constitué" in md.content.decode()


def test_query_count_does_not_grow_with_groups(
    forum, client, facilitator, django_assert_max_num_queries
):
    client.force_login(facilitator)
    url = reverse("forums:synthesis", args=[forum["event"].pk])
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    event = forum["event"]
    for number in range(4, 14):
        group = Group.objects.create(event=event, number=number, title=f"Groupe {number}")
        Report.objects.create(group=group, findings="Constat")
        follower = UserFactory()
        FollowUp.objects.create(
            group=group, user=follower, share_email=True, consented_at=timezone.now()
        )
        GroupMember.objects.create(group=group, user=follower, role="carrier")
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert "Groupe 13" in response.content.decode()
    client.logout()
    public = reverse("forums:synthesis_public", args=[event.pk])
    with django_assert_max_num_queries(8):
        response = client.get(public)
    assert "Groupe 13" in response.content.decode()


def test_private_resource_person_from_the_directory_is_named_only_to_who_may_see_it(
    forum, facilitator, member
):
    report = forum["groups"][0].report
    report.resource_person_name = ""
    report.resource_person = PersonFactory(name="Jeanne Réservée", visibility="members")
    report.save()
    public = build_synthesis(forum["event"], viewer=None, complete=False)
    assert public.groups[0].resource_person == ""
    complete = build_synthesis(forum["event"], viewer=facilitator, complete=True)
    assert complete.groups[0].resource_person == "Jeanne Réservée"


def test_names_never_fall_back_to_the_email(db):
    user = UserFactory(display_name="", email="cache@example.org")
    assert "cache" not in person_name(user)
    assert person_name(None) == ""


def test_blocks_follow_the_report_template(forum, facilitator):
    synthesis = build_synthesis(forum["event"], viewer=facilitator, complete=True)
    headings = [b.text for b in synthesis_blocks(synthesis) if type(b).__name__ == "Heading"]
    first = headings.index("1. " + GROUPS[0][0])
    assert headings[first + 1 : first + 7] == [
        "Constats",
        "Propositions",
        "Points de vigilance",
        "Le rôle du réseau",
        "Notes libres",
        "Suites à donner",
    ]


def test_public_files_are_cached_on_their_content_complete_ones_never(
    forum, client, facilitator, monkeypatch
):
    from maillage.forums import views_synthesis

    rendered = []
    real = views_synthesis._render

    def counting(request, result, fmt):
        rendered.append((fmt, result.complete))
        return real(request, result, fmt)

    monkeypatch.setattr(views_synthesis, "_render", counting)
    event = forum["event"]
    public = reverse("forums:synthesis_download", args=[event.pk, "publique", "docx"])
    complete = reverse("forums:synthesis_download", args=[event.pk, "complete", "docx"])
    first = client.get(public).content
    assert client.get(public).content == first
    assert rendered == [("docx", False)]
    # A changed report changes the document.
    report = forum["groups"][1].report
    report.proposals = "Une proposition toute neuve."
    report.save()
    assert "Une proposition toute neuve." in docx_text(client.get(public).content)
    assert len(rendered) == 2
    client.force_login(facilitator)
    client.get(complete)
    client.get(complete)
    assert rendered[2:] == [("docx", True), ("docx", True)]


def test_links_for_the_event_pages(forum, facilitator, member):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    event = forum["event"]
    complete = reverse("forums:synthesis", args=[event.pk])
    public = reverse("forums:synthesis_public", args=[event.pk])
    html = render_to_string("forums/synthesis_links.html", {"event": event, "user": facilitator})
    assert f'href="{complete}"' in html and "Générer la synthèse" in html
    for user in (member, AnonymousUser()):
        html = render_to_string("forums/synthesis_links.html", {"event": event, "user": user})
        assert f'href="{public}"' in html and f'href="{complete}"' not in html
