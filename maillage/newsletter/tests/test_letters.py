"""Letters: what the sections hold, preview and test, sending only to confirmed
subscribers, by batches, with the RFC 8058 headers; the public archive."""

from datetime import timedelta

import pytest
from django.core import mail
from django.tasks import default_task_backend
from django.urls import reverse
from django.utils import timezone

from maillage.directory.tests.factories import (
    InitiativeFactory,
    OrganisationFactory,
    ThemeFactory,
    aude_and_herault,
)
from maillage.events.tests.factories import EventFactory, days_ahead
from maillage.newsletter import services
from maillage.newsletter.models import Delivery, Letter, LetterStatus

from .factories import LetterFactory, SubscriberFactory

pytestmark = pytest.mark.django_db


def _age(record, days: int) -> None:
    type(record).objects.filter(pk=record.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def _titles(sections) -> dict[str, list[str]]:
    return {s["key"]: [i["title"] for i in s["items"]] for s in sections}


@pytest.fixture
def previous_letter():
    """A letter sent ten days ago: the sections start there."""
    return LetterFactory(status="sent", sent_at=timezone.now() - timedelta(days=10))


def test_sections_hold_exactly_what_is_new_and_public(previous_letter):
    new_initiative = InitiativeFactory(title="Jardin partagé des Capucins")
    old = InitiativeFactory(title="Ancienne initiative")
    _age(old, 20)
    InitiativeFactory(title="Proposition en attente", status="proposed")
    InitiativeFactory(title="Refusée", status="rejected")
    OrganisationFactory(name="Épicerie solidaire")
    OrganisationFactory(name="Proposée", status="proposed")
    EventFactory(title="Forum ouvert de printemps")
    EventFactory(title="Brouillon", status="draft")
    EventFactory(title="Annulée", status="cancelled")
    past = EventFactory(title="Déjà passée", starts_at=days_ahead(-3))
    assert past.pk
    letter = LetterFactory()

    sections = _titles(services.letter_sections(letter))

    assert sections == {
        "structures": ["Épicerie solidaire"],
        "initiatives": [new_initiative.title],
        "rencontres": ["Forum ouvert de printemps"],
    }


def test_the_letter_filter_keeps_its_themes_and_territories(previous_letter):
    places = aude_and_herault()
    food = ThemeFactory(name="Alimentation", slug="alimentation")
    in_aude = InitiativeFactory(title="À Limoux", commune=places["limoux"])
    in_aude.themes.add(food)
    InitiativeFactory(title="À Béziers", commune=places["beziers"]).themes.add(food)
    InitiativeFactory(title="Sans thème", commune=places["carcassonne"])
    letter = LetterFactory()
    letter.themes.add(food)
    letter.territories.add(places["aude"])
    assert _titles(services.letter_sections(letter)) == {"initiatives": ["À Limoux"]}


def _send(letter, facilitator):
    services.letter_schedule(letter=letter, actor=facilitator, base_url="https://reseau.test/")


def test_only_confirmed_subscribers_receive_a_letter(
    django_capture_on_commit_callbacks, facilitator, previous_letter
):
    InitiativeFactory(title="Une nouveauté")
    confirmed = SubscriberFactory(email="oui@example.org")
    SubscriberFactory(email="parti@example.org", unsubscribed_at=timezone.now())
    letter = LetterFactory(subject="La lettre de mars")
    with django_capture_on_commit_callbacks(execute=True):
        _send(letter, facilitator)

    assert [m.to for m in mail.outbox] == [["oui@example.org"]]
    message = mail.outbox[0]
    unsubscribe = f"https://reseau.test/lettre/desabonnement/{confirmed.token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    assert "Une nouveauté" in message.body
    html = message.alternatives[0][0]
    assert unsubscribe in html
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    assert letter.recipients_count == 1
    assert _titles(letter.sections) == {"initiatives": ["Une nouveauté"]}


def test_each_subscriber_gets_the_items_of_their_choices(
    django_capture_on_commit_callbacks, facilitator, previous_letter
):
    places = aude_and_herault()
    InitiativeFactory(title="À Limoux", commune=places["limoux"])
    InitiativeFactory(title="À Béziers", commune=places["beziers"])
    aude = SubscriberFactory(email="aude@example.org")
    aude.territories.add(places["aude"])
    SubscriberFactory(email="tout@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        _send(LetterFactory(), facilitator)
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "À Limoux" in bodies["aude@example.org"]
    assert "À Béziers" not in bodies["aude@example.org"]
    assert "À Béziers" in bodies["tout@example.org"]


def test_sending_goes_by_batches_scheduled_with_run_after(
    settings, monkeypatch, django_capture_on_commit_callbacks, facilitator
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    monkeypatch.setattr(services, "BATCH_SIZE", 2)
    for n in range(5):
        SubscriberFactory(email=f"lot{n}@example.org")
    letter = LetterFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _send(letter, facilitator)

    def batches():
        return [r for r in default_task_backend.results if r.task.name == "send_letter_batch"]

    def mails():
        return [r for r in default_task_backend.results if r.task.name == "deliver_email"]

    assert len(batches()) == 1
    done = 0
    while done < len(batches()):
        result = batches()[done]
        result.task.call(*result.args, **result.kwargs)
        done += 1
    assert len(batches()) == 3  # 2 + 2 + 1
    assert all(
        r.task.run_after is not None and r.task.run_after > timezone.now() for r in batches()[1:]
    )
    assert len(mails()) == 5
    assert Delivery.objects.filter(letter=letter).count() == 5
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT
    # A batch that runs again sends nothing twice.
    batches()[0].task.call(letter.pk)
    assert len(mails()) == 5


def test_a_letter_scheduled_later_waits(settings, django_capture_on_commit_callbacks, facilitator):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    SubscriberFactory()
    letter = LetterFactory()
    at = timezone.now() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_schedule(
            letter=letter, actor=facilitator, base_url="https://r.test/", at=at
        )
    (result,) = [r for r in default_task_backend.results if r.task.name == "send_letter_batch"]
    assert result.task.run_after == at
    # Woken too early, it sends nothing.
    assert result.task.call(letter.pk) == 0
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SCHEDULED


def test_facilitator_writes_previews_tests_and_sends(
    client, facilitator, django_capture_on_commit_callbacks, previous_letter
):
    SubscriberFactory(email="lecteur@example.org")
    InitiativeFactory(title="Ressourcerie de Limoux")
    client.force_login(facilitator)
    response = client.post(
        reverse("newsletter:letter_create"),
        {"subject": "Lettre d'avril", "editorial": "**Bonjour** <script>alert(1)</script>"},
    )
    letter = Letter.objects.get(subject="Lettre d'avril")
    assert response.url == reverse("newsletter:preview", args=[letter.pk])
    page = client.get(response.url).content.decode()
    assert "<strong>Bonjour</strong>" in page
    assert "<script>alert(1)" not in page
    assert "Ressourcerie de Limoux" in page

    client.post(reverse("newsletter:send_test", args=[letter.pk]))
    assert [m.to for m in mail.outbox] == [[facilitator.email]]
    assert mail.outbox[0].subject.startswith("[Essai]")
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("newsletter:schedule", args=[letter.pk]), {"at": ""})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["lecteur@example.org"]
    # Once sent, the letter is public, and no longer editable.
    assert client.get(reverse("newsletter:letter_edit", args=[letter.pk])).status_code == 302
    client.logout()
    page = client.get(letter.get_absolute_url()).content.decode()
    assert "Ressourcerie de Limoux" in page
    assert "NewsArticle" in page
    assert "Lettre d&#x27;avril" in client.get(reverse("newsletter:archive")).content.decode()


def test_scheduling_refuses_a_past_date(client, facilitator):
    letter = LetterFactory()
    client.force_login(facilitator)
    response = client.post(
        reverse("newsletter:schedule", args=[letter.pk]), {"at": "2001-01-01T10:00"}
    )
    assert response.status_code == 400
    letter.refresh_from_db()
    assert letter.is_draft


def test_drafts_are_not_public(client, member):
    letter = LetterFactory()
    assert client.get(letter.get_absolute_url()).status_code == 404
    client.force_login(member)
    assert client.get(letter.get_absolute_url()).status_code == 404
    assert client.get(reverse("newsletter:letter", args=[2**70])).status_code == 404


def test_archive_query_count(client, django_assert_max_num_queries):
    for n in range(15):
        LetterFactory(status="sent", sent_at=timezone.now() - timedelta(days=n))
    with django_assert_max_num_queries(6):
        response = client.get(reverse("newsletter:archive"))
    assert response.status_code == 200
    assert len(response.context["page"]) == 15


def test_desk_query_count(client, facilitator, django_assert_max_num_queries):
    for _n in range(15):
        LetterFactory()
    client.force_login(facilitator)
    # 11: 10 for the desk, 1 for the header's notification badge (then cached).
    with django_assert_max_num_queries(11):
        response = client.get(reverse("newsletter:desk"))
    assert response.status_code == 200


def test_letters_feed_validates(client):
    import feedparser

    LetterFactory(status="sent", sent_at=timezone.now(), subject="Lettre de mai")
    LetterFactory(subject="Brouillon secret")
    for name in ("opendata:feed_rss", "opendata:feed_atom"):
        response = client.get(reverse(name, args=["lettres"]))
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
        assert [e.title for e in feed.entries] == ["Lettre de mai"]
