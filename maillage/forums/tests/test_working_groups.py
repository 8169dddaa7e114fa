"""Follow-ups with consent to share contacts, and the working group's life: next meeting
(Paris time), task board without JavaScript (and with htmx), documents."""

from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from maillage.accounts.tests.factories import UserFactory
from maillage.directory.services import person_for_user
from maillage.forums import services
from maillage.forums.models import FollowUp, GroupDocument, Task
from maillage.forums.tests.factories import accepted_group, add_document

pytestmark = pytest.mark.django_db


def _with_phone(user, phone="04 68 00 00 00"):
    person = person_for_user(user=user)
    person.phone = phone
    person.save()
    return user


def test_signing_up_requires_choosing_a_contact_to_share(client, member):
    group = accepted_group()
    client.force_login(member)
    url = reverse("forums:followup", args=[group.pk])
    page = client.get(url).content.decode()
    assert "Personne d'autre ne les voit" in page
    response = client.post(url, {"message": "Je veux aider"})
    assert (
        response.status_code == 200 and "au moins un moyen de contact" in response.content.decode()
    )
    assert not FollowUp.objects.exists()
    response = client.post(url, {"share_email": "on", "message": "Je connais des élus"})
    assert response.status_code == 302
    followup = FollowUp.objects.get()
    assert followup.share_email and not followup.share_phone and followup.consented_at
    group.refresh_from_db()
    assert group.is_working_group


def test_phone_cannot_be_shared_without_one_in_the_profile(client, member):
    group = accepted_group()
    client.force_login(member)
    url = reverse("forums:followup", args=[group.pk])
    response = client.post(url, {"share_phone": "on"})
    assert response.status_code == 200 and not FollowUp.objects.exists()
    _with_phone(member)
    client.post(url, {"share_phone": "on"})
    assert FollowUp.objects.get().shared_contacts() == {"phone": "04 68 00 00 00"}


def test_contacts_are_shown_to_other_followers_and_facilitators_only(client, facilitator):
    group = accepted_group()
    alice = _with_phone(
        UserFactory(display_name="Alice Suivi", email="alice@example.org"), "06 11 22 33 44"
    )
    bruno = UserFactory(display_name="Bruno Suivi", email="bruno@example.org")
    outsider = UserFactory(display_name="Olga Curieuse")
    services.followup_signup(group=group, user=alice, share_email=True, share_phone=False)
    services.followup_signup(group=group, user=bruno, share_email=True, share_phone=False)
    url = reverse("forums:working_group", args=[group.pk])
    for viewer, sees in [(bruno, True), (facilitator, True), (outsider, False)]:
        client.force_login(viewer)
        page = client.get(url).content.decode()
        assert "Alice Suivi" in page and "Bruno Suivi" in page
        assert ("alice@example.org" in page) is sees
        # Alice has a phone but did not agree to share it: nobody sees it.
        assert "06 11 22 33 44" not in page
    client.logout()
    assert client.get(url).status_code == 302  # to the log-in page
    assert "alice@example.org" not in client.get(group.get_absolute_url()).content.decode()


def test_stopping_following_removes_the_contacts_and_frees_tasks(client, member):
    group = accepted_group()
    services.followup_signup(group=group, user=member, share_email=True, share_phone=False)
    task = services.task_create(group=group, actor=member, title="Appeler la mairie", owner=member)
    client.force_login(member)
    client.post(reverse("forums:followup_cancel", args=[group.pk]))
    assert not FollowUp.objects.exists()
    task.refresh_from_db()
    assert task.owner is None


def test_meeting_is_kept_in_paris_time_across_dst(client, member):
    group = accepted_group()
    services.followup_signup(group=group, user=member, share_email=True, share_phone=False)
    client.force_login(member)
    url = reverse("forums:meeting_edit", args=[group.pk])
    data = {
        "at": "2027-03-28T10:00",
        "place": "Tiers-lieu de Limoux",
        "url": "https://visio.example.org/gt",
    }
    assert client.post(url, data).status_code == 302
    group.refresh_from_db()
    # Summer time has begun that morning: 10:00 in Paris is 08:00 UTC.
    assert group.next_meeting_at == datetime(2027, 3, 28, 8, 0, tzinfo=UTC)
    page = client.get(reverse("forums:working_group", args=[group.pk])).content.decode()
    assert (
        "10:00" in page
        and "Tiers-lieu de Limoux" in page
        and "https://visio.example.org/gt" in page
    )
    # Winter: 10:00 in Paris is 09:00 UTC.
    client.post(url, {**data, "at": "2027-11-15T10:00"})
    group.refresh_from_db()
    assert group.next_meeting_at == datetime(2027, 11, 15, 9, 0, tzinfo=UTC)
    response = client.post(url, {**data, "at": "le 32 mars", "url": "pas un lien"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_meeting_link_is_for_the_group(client, member):
    group = accepted_group()
    follower = UserFactory()
    services.followup_signup(group=group, user=follower, share_email=True, share_phone=False)
    services.group_meeting_save(
        group=group, actor=follower, at=None, place="", url="https://visio.example.org/secret"
    )
    client.force_login(member)
    page = client.get(reverse("forums:working_group", args=[group.pk])).content.decode()
    assert "visio.example.org/secret" not in page


def test_task_board_without_javascript(client, member):
    group = accepted_group()
    services.followup_signup(group=group, user=member, share_email=True, share_phone=False)
    client.force_login(member)
    create = reverse("forums:task_create", args=[group.pk])
    response = client.post(
        create, {"title": "Réserver une salle", "owner": member.pk, "due_on": "2027-01-15"}
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.status, task.owner, task.due_on) == ("todo", member, date(2027, 1, 15))
    client.post(reverse("forums:task_move", args=[task.pk]), {"status": "doing"})
    task.refresh_from_db()
    assert task.status == "doing"
    page = client.get(reverse("forums:working_group", args=[group.pk])).content.decode()
    assert "Réserver une salle" in page and "→ Fait" in page and "→ À faire" in page
    client.post(
        reverse("forums:task_edit", args=[task.pk]),
        {"title": "Réserver la salle des fêtes", "owner": ""},
    )
    task.refresh_from_db()
    assert task.title == "Réserver la salle des fêtes" and task.owner is None
    client.post(reverse("forums:task_delete", args=[task.pk]))
    assert not Task.objects.exists()


def test_task_board_with_htmx_answers_the_board(client, member):
    group = accepted_group()
    services.followup_signup(group=group, user=member, share_email=True, share_phone=False)
    task = services.task_create(group=group, actor=member, title="Écrire l'invitation")
    client.force_login(member)
    response = client.post(
        reverse("forums:task_move", args=[task.pk]),
        {"status": "done"},
        headers={"HX-Request": "true", "HX-Target": "board"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'id="board"' in page and "<html" not in page
    task.refresh_from_db()
    assert task.status == "done"


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"title": ""},
        {"title": "x" * 201},
        {"title": "Ok", "owner": "9223372036854775808"},
        {"title": "Ok", "owner": "abc"},
        {"title": "Ok", "due_on": "2027-02-30"},
    ],
)
def test_bad_task_input_is_a_form_error(client, member, data):
    group = accepted_group()
    services.followup_signup(group=group, user=member, share_email=True, share_phone=False)
    client.force_login(member)
    response = client.post(reverse("forums:task_create", args=[group.pk]), data)
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    assert not Task.objects.exists()


def test_tasks_go_to_followers_only_and_bad_moves_fail_cleanly(client, member):
    group = accepted_group()
    services.followup_signup(group=group, user=member, share_email=True, share_phone=False)
    stranger = UserFactory()
    client.force_login(member)
    response = client.post(
        reverse("forums:task_create", args=[group.pk]), {"title": "T", "owner": stranger.pk}
    )
    assert response.status_code == 400 and not Task.objects.exists()
    task = services.task_create(group=group, actor=member, title="T")
    for status in ["", "fini", "x" * 500]:
        client.post(reverse("forums:task_move", args=[task.pk]), {"status": status})
        task.refresh_from_db()
        assert task.status == "todo"
    # Someone outside the working group may not move its cards.
    client.force_login(stranger)
    assert (
        client.post(reverse("forums:task_move", args=[task.pk]), {"status": "done"}).status_code
        == 403
    )


def test_documents_files_and_links(client, member):
    group = accepted_group()
    services.followup_signup(group=group, user=member, share_email=True, share_phone=False)
    client.force_login(member)
    url = reverse("forums:document_add", args=[group.pk])
    upload = SimpleUploadedFile("notes.txt", b"Ordre du jour", content_type="text/plain")
    assert client.post(url, {"title": "Ordre du jour", "file": upload}).status_code == 302
    assert (
        client.post(url, {"title": "Pad partagé", "url": "https://pad.example.org/gt"}).status_code
        == 302
    )
    both = SimpleUploadedFile("a.txt", b"a")
    for bad in [
        {"title": "Rien"},
        {"title": "Les deux", "url": "https://a.example.org", "file": both},
        {"title": "", "url": "https://a.example.org"},
    ]:
        response = client.post(url, bad)
        assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert GroupDocument.objects.count() == 2
    document = GroupDocument.objects.get(title="Ordre du jour")
    download = client.get(reverse("forums:document", args=[document.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"Ordre du jour"
    page = client.get(reverse("forums:working_group", args=[group.pk])).content.decode()
    assert "https://pad.example.org/gt" in page
    client.post(reverse("forums:document_delete", args=[document.pk]))
    assert not GroupDocument.objects.filter(pk=document.pk).exists()
    client.logout()
    link = GroupDocument.objects.get()
    assert client.get(reverse("forums:document", args=[link.pk])).status_code == 302
    assert "login" in client.get(reverse("forums:document", args=[link.pk]))["Location"]


def test_closing_a_working_group(client, member):
    group = accepted_group()
    services.followup_signup(group=group, user=member, share_email=True, share_phone=False)
    client.force_login(member)
    # A follower who does not carry the group may not close it.
    assert client.post(reverse("forums:group_close", args=[group.pk])).status_code == 403
    carrier = group.members.get(role="carrier").user
    client.force_login(carrier)
    client.post(reverse("forums:group_close", args=[group.pk]))
    group.refresh_from_db()
    assert group.closed_at and not group.is_working_group
    assert group.title not in client.get(reverse("forums:working_groups")).content.decode()
    client.post(reverse("forums:group_close", args=[group.pk]), {"reopen": "1"})
    group.refresh_from_db()
    assert group.is_working_group


def test_working_group_page_of_a_group_without_followers_is_404(client, member):
    group = accepted_group()
    client.force_login(member)
    assert client.get(reverse("forums:working_group", args=[group.pk])).status_code == 404


def test_document_helper_stores_a_file():
    group = accepted_group()
    document = add_document(group)
    assert document.file.name.startswith("forums/documents/")


def test_people_without_a_display_name_never_appear_by_their_email(client, facilitator):
    nameless = UserFactory(display_name="", email="sans.nom@example.org")
    group = accepted_group(proposer=nameless)
    services.report_save(group=group, actor=nameless, data={"findings": "Oui."}, base_version=0)
    # Shares only the phone: the e-mail address must not show anywhere.
    _with_phone(nameless)
    services.followup_signup(group=group, user=nameless, share_email=False, share_phone=True)
    services.task_create(group=group, actor=nameless, title="Tâche", owner=nameless)
    client.force_login(facilitator)
    for url in [
        group.get_absolute_url(),
        reverse("forums:working_group", args=[group.pk]),
        reverse("forums:report_history", args=[group.pk]),
        reverse("forums:report_revision", args=[group.pk, 1]),
        reverse("forums:grid", args=[group.event.pk]),
        reverse("forums:task_edit", args=[group.tasks.get().pk]),
    ]:
        page = client.get(url).content.decode()
        assert "sans.nom" not in page, url
