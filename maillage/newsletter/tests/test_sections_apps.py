"""The letter's sections contributed by the forums, the library and the ads, and their
sections of the members' weekly digest: exactly what is new and public, for the right
member only."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from maillage.accounts.tests.factories import UserFactory
from maillage.directory.services import person_for_user
from maillage.directory.tests.factories import InitiativeFactory
from maillage.events.tests.factories import EventFactory
from maillage.exchange.models import Suggestion
from maillage.exchange.tests.factories import AdFactory, consent
from maillage.forums import services as forums
from maillage.forums.models import Report
from maillage.forums.tests.factories import accepted_group
from maillage.knowledge.models import ExperienceSheet
from maillage.knowledge.tests.factories import ResourceFactory, SheetFactory
from maillage.newsletter import registry, services
from maillage.newsletter.models import DigestPreference

from .factories import LetterFactory

pytestmark = pytest.mark.django_db

APP_SECTIONS = ("comptes-rendus", "fiches", "annonces")


def _ago(days: int):
    return timezone.now() - timedelta(days=days)


def _titles(sections) -> dict[str, list[str]]:
    return {
        s["key"]: [i["title"] for i in s["items"]] for s in sections if s["key"] in APP_SECTIONS
    }


def _report(group, **data):
    return forums.report_save(
        group=group, actor=None, data=data, base_version=forums.report_for(group).version
    )


@pytest.fixture
def previous_letter():
    return LetterFactory(status="sent", sent_at=_ago(10))


def test_sections_hold_exactly_what_is_new_and_public(previous_letter):
    event = EventFactory(title="Forum ouvert de l'alimentation")
    written = accepted_group(event=event, title="Cantines bio")
    _report(
        written,
        findings="Les cantines manquent de producteurs. Écrire à chef@cantine.example.org",
        resource_person_name="Josiane Martin",
    )
    old = accepted_group(event=event, title="Ancien groupe")
    _report(old, findings="Écrit il y a longtemps.")
    Report.objects.filter(group=old).update(updated_at=_ago(20))
    accepted_group(event=event, title="Groupe sans compte rendu")
    draft_group = accepted_group(event=EventFactory(status="draft"), title="Groupe caché")
    _report(draft_group, findings="Pas encore public.")

    SheetFactory(title="Une ressourcerie qui marche")
    SheetFactory(title="Brouillon de fiche", status="draft")
    SheetFactory(title="Fiche pour les membres", visibility="members")
    aged = SheetFactory(title="Vieille fiche")
    ExperienceSheet.objects.filter(pk=aged.pk).update(created_at=_ago(30), published_at=_ago(30))
    ResourceFactory(title="Ressource des membres", visibility="members")

    AdFactory(title="Prêt de broyeur", text="Appelez le 06 12 34 56 78 !")
    AdFactory(title="Annonce expirée", expires_on=timezone.localdate() - timedelta(days=1))
    AdFactory(title="Annonce close", status="closed")
    AdFactory(title="Annonce retirée", status="hidden")
    old_ad = AdFactory(title="Vieille annonce")
    type(old_ad).objects.filter(pk=old_ad.pk).update(created_at=_ago(20))

    sections = services.letter_sections(LetterFactory())

    assert _titles(sections) == {
        "comptes-rendus": ["Cantines bio — Forum ouvert de l'alimentation"],
        "fiches": ["Une ressourcerie qui marche"],
        "annonces": ["Je propose · Prêt de broyeur"],
    }
    text = str(sections)
    # Letters are public: no name, no address, no phone number.
    assert "Josiane" not in text
    assert "chef@cantine" not in text
    assert "06 12 34 56 78" not in text


def test_labels_and_order_of_the_new_sections(previous_letter):
    labels = {s.key: (s.position, str(s.label)) for s in registry.sections()}
    assert labels["comptes-rendus"][1] == "Comptes rendus"
    assert labels["fiches"][1] == "Fiches d'expérience"
    assert labels["annonces"][1] == "Petites annonces"
    assert labels["rencontres"][0] < labels["comptes-rendus"][0] < labels["annonces"][0]


def test_a_sheet_published_late_enters_the_letter_then(previous_letter):
    sheet = SheetFactory(title="Fiche longtemps en brouillon", status="draft")
    ExperienceSheet.objects.filter(pk=sheet.pk).update(created_at=_ago(60))
    assert "fiches" not in _titles(services.letter_sections(LetterFactory()))
    from maillage.knowledge.services import sheet_publish

    sheet.refresh_from_db()
    sheet_publish(sheet=sheet, actor=None)
    assert _titles(services.letter_sections(LetterFactory())) == {
        "fiches": ["Fiche longtemps en brouillon"]
    }


# --- The members' digest --------------------------------------------------------------


def _weekly(user):
    DigestPreference.objects.update_or_create(user=user, defaults={"weekly": True})


def _working_group(follower, *, title="Groupe circuits courts"):
    group = accepted_group(title=title)
    forums.followup_signup(group=group, user=follower, share_email=True, share_phone=False)
    return group


def test_digest_shows_the_activity_of_ones_working_groups(member):
    group = _working_group(member)
    forums.task_create(group=group, actor=member, title="Réserver la salle")
    old_task = forums.task_create(group=group, actor=member, title="Tâche ancienne")
    type(old_task).objects.filter(pk=old_task.pk).update(created_at=_ago(20))
    forums.group_meeting_save(
        group=group,
        actor=member,
        at=timezone.now() + timedelta(days=4),
        place="Maison des associations",
        url="https://visio.example.org/secret-room",
    )
    other = _working_group(UserFactory(), title="Groupe des autres")
    forums.task_create(group=other, actor=None, title="Tâche d'un autre groupe")

    sections = registry.collect_digest(user=member, since=_ago(7), until=timezone.now())
    (section,) = [s for s in sections if s["key"] == "groupes"]
    task, meeting = section["items"]
    assert task["title"] == "Groupe circuits courts — nouvelle tâche : Réserver la salle"
    assert meeting["title"] == "Groupe circuits courts — prochaine réunion"
    assert meeting["place"] == "Maison des associations"
    assert meeting["when"]
    assert "Tâche ancienne" not in str(sections)
    assert "secret-room" not in str(sections)
    assert "Tâche d'un autre groupe" not in str(sections)

    # Someone outside the group gets nothing of it.
    outsider = UserFactory()
    assert not [
        s
        for s in registry.collect_digest(user=outsider, since=_ago(7), until=timezone.now())
        if s["key"] == "groupes"
    ]


def test_a_quiet_working_group_is_left_out(member):
    _working_group(member)
    sections = registry.collect_digest(user=member, since=_ago(7), until=timezone.now())
    assert "groupes" not in {s["key"] for s in sections}


def _suggest(person, title: str, *, days_ago: int = 1):
    initiative = InitiativeFactory(title=title)
    return Suggestion.objects.create(
        source_type="person",
        source_id=person.pk,
        target_type="initiative",
        target_id=initiative.pk,
        score=1.0,
        reasons=[],
        created_at=_ago(days_ago),
    )


def test_new_suggestions_only_for_members_who_opted_in(member):
    person = person_for_user(user=member)
    _suggest(person, "Jardin suggéré")
    _suggest(person, "Suggestion ancienne", days_ago=20)
    hidden = _suggest(person, "Initiative en attente")
    type(hidden).objects.filter(pk=hidden.pk).update(
        target_id=InitiativeFactory(status="proposed").pk
    )

    def suggested():
        sections = registry.collect_digest(user=member, since=_ago(7), until=timezone.now())
        return [[i["title"] for i in s["items"]] for s in sections if s["key"] == "suggestions"]

    assert suggested() == []  # no consent to the digest of suggestions
    consent(member, suggestable=False, digest=False)
    assert suggested() == []
    consent(member, suggestable=False, digest=True)
    assert suggested() == [["Jardin suggéré"]]

    # Another member who opted in sees their own suggestions, never this member's.
    other = UserFactory()
    consent(other, digest=True)
    person_for_user(user=other)
    sections = registry.collect_digest(user=other, since=_ago(7), until=timezone.now())
    assert "suggestions" not in {s["key"] for s in sections}


def test_the_digest_mail_carries_the_new_sections_to_the_right_member(member):
    _weekly(member)
    group = _working_group(member)
    forums.task_create(group=group, actor=member, title="Préparer le compte rendu")
    consent(member, digest=True)
    _suggest(person_for_user(user=member), "Épicerie suggérée")
    bystander = UserFactory()
    _weekly(bystander)

    call_command("send_digests", "--base-url", "https://reseau.test/")

    (message,) = mail.outbox
    assert message.to == [member.email]
    assert "Vos groupes de travail" in message.body
    assert "Préparer le compte rendu" in message.body
    assert "Nouvelles suggestions" in message.body
    assert "Épicerie suggérée" in message.body
