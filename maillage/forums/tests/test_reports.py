"""Joining groups and writing their report together: revisions, history, diff, restore,
and the lost-update check when two people save at once."""

import pytest
from django.urls import reverse

from maillage.accounts.tests.factories import UserFactory
from maillage.forums import history, services
from maillage.forums.models import Report, ReportRevision
from maillage.forums.tests.factories import accepted_group

pytestmark = pytest.mark.django_db


def _report_data(version: int, **fields) -> dict:
    data = {name: "" for name in Report().content() if name != "resource_person_id"}
    data.update(fields)
    data["version"] = str(version)
    return data


def _again(data: dict, version: int, **fields) -> dict:
    return {**data, **fields, "version": str(version)}


def test_members_join_and_leave_a_group(client, member):
    group = accepted_group()
    client.force_login(member)
    client.post(reverse("forums:group_join", args=[group.pk]), {})
    assert group.members.get(user=member).role == "participant"
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Vous participez à ce groupe." in page and str(member) in page
    client.post(reverse("forums:group_join", args=[group.pk]), {"carrier": "on"})
    assert group.members.get(user=member).role == "carrier"
    client.post(reverse("forums:group_leave", args=[group.pk]))
    assert not group.members.filter(user=member).exists()


def test_visitors_see_counts_not_names(client):
    proposer = UserFactory(display_name="Zoé Porteuse")
    group = accepted_group(proposer=proposer)
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Zoé Porteuse" not in page and "1 personne dans ce groupe" in page


def test_carrier_writes_the_report_and_each_save_is_a_revision(client):
    carrier = UserFactory(display_name="Inès Porteuse")
    group = accepted_group(proposer=carrier)
    client.force_login(carrier)
    url = reverse("forums:report_edit", args=[group.pk])
    form = client.get(url).content.decode()
    for label in [
        "Constats",
        "Points de vigilance",
        "Le réseau peut ou doit continuer à",
        "Le réseau ne peut pas ou ne doit pas aller plus loin sur",
        "Le réseau peut travailler avec",
        "Personne ressource",
        "Notes libres",
    ]:
        assert label.lower() in form.lower()
    data = _report_data(
        0,
        question="Comment nourrir les cantines ?",
        findings="Les producteurs sont loin des cantines.",
        proposals="Une plateforme logistique commune.",
        vigilance="Ne pas concurrencer les AMAP.",
        network_continue="Mobiliser les élus.",
        network_stop="Porter la plateforme lui-même.",
        network_with="La chambre d'agriculture.",
        resource_person_name="Marc, maraîcher à Limoux",
        notes="Prochaine étape en janvier.",
    )
    assert client.post(url, data).status_code == 302
    client.post(url, _again(data, 1, findings="Les producteurs sont trop loin des cantines."))
    report = Report.objects.get(group=group)
    assert report.version == 2 and report.updated_by == carrier
    assert list(report.revisions.values_list("number", flat=True)) == [2, 1]
    assert (
        report.revisions.get(number=1).content["findings"]
        == "Les producteurs sont loin des cantines."
    )
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Une plateforme logistique commune." in page and "Porter la plateforme lui-même." in page
    # Saving the same text again makes no new revision.
    client.post(url, _again(data, 2, findings="Les producteurs sont trop loin des cantines."))
    assert report.revisions.count() == 2


def test_history_shows_who_changed_what_and_restoring_is_a_new_revision(client):
    carrier, other = (
        UserFactory(display_name="Inès Porteuse"),
        UserFactory(display_name="Paul Participant"),
    )
    group = accepted_group(proposer=carrier)
    services.group_join(group=group, user=other)
    services.report_save(
        group=group, actor=carrier, data={"findings": "Peu de bus le soir."}, base_version=0
    )
    services.report_save(
        group=group,
        actor=other,
        data={"findings": "Aucun bus le soir.", "notes": "À vérifier"},
        base_version=1,
    )
    client.force_login(other)
    page = client.get(reverse("forums:report_history", args=[group.pk])).content.decode()
    assert "Inès Porteuse" in page and "Paul Participant" in page
    assert "Constats, Notes libres" in page
    diff = client.get(reverse("forums:report_revision", args=[group.pk, 2])).content.decode()
    assert "<del>Peu de </del><ins>Aucun </ins>bus le soir." in diff
    response = client.post(reverse("forums:report_restore", args=[group.pk, 1]))
    assert response.status_code == 302
    report = Report.objects.get(group=group)
    assert report.version == 3 and report.findings == "Peu de bus le soir." and report.notes == ""
    latest = report.revisions.first()
    assert latest.restored_from == 1 and latest.author == other
    assert client.post(reverse("forums:report_restore", args=[group.pk, 99])).status_code == 302
    assert Report.objects.get(group=group).version == 3


def test_a_stale_save_is_refused_and_keeps_the_typed_text(client):
    carrier, other = UserFactory(), UserFactory(display_name="Paul Participant")
    group = accepted_group(proposer=carrier)
    services.group_join(group=group, user=other)
    url = reverse("forums:report_edit", args=[group.pk])
    # Both open the form on version 0; Paul saves first.
    client.force_login(other)
    client.post(url, _report_data(0, findings="Texte de Paul."))
    client.force_login(carrier)
    response = client.post(url, _report_data(0, findings="Texte d'Inès, long et précieux."))
    page = response.content.decode()
    assert response.status_code == 409
    assert "Paul Participant a enregistré le compte rendu pendant que vous l" in page
    assert "Texte d&#x27;Inès, long et précieux." in page  # still in the form
    assert 'name="version" value="1"' in page
    report = Report.objects.get(group=group)
    assert report.findings == "Texte de Paul." and report.version == 1
    # Saving again from that form is a deliberate save over Paul's version.
    client.post(url, _report_data(1, findings="Texte de Paul. Texte d'Inès."))
    assert Report.objects.get(group=group).findings == "Texte de Paul. Texte d'Inès."


def test_who_may_edit_a_report(client, member, facilitator):
    group = accepted_group()
    url = reverse("forums:report_edit", args=[group.pk])
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert client.post(url, _report_data(0, findings="Intrus")).status_code == 403
    services.followup_signup(group=group, user=member, share_email=True, share_phone=False)
    assert client.get(url).status_code == 200
    client.force_login(facilitator)
    assert client.post(url, _report_data(0, findings="Par l'animation")).status_code == 302
    assert ReportRevision.objects.get().author == facilitator


@pytest.mark.parametrize(
    "extra",
    [
        {"version": "abc"},
        {"version": "-1"},
        {"version": "99999999999999999999"},
        {"version": ""},
        {"findings": "x" * 10001},
    ],
)
def test_bad_report_input_is_a_form_error(client, extra):
    carrier = UserFactory()
    group = accepted_group(proposer=carrier)
    client.force_login(carrier)
    response = client.post(
        reverse("forums:report_edit", args=[group.pk]), {**_report_data(0), **extra}
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not ReportRevision.objects.exists()


def test_past_event_page_shows_reports(client):
    from datetime import timedelta

    from maillage.events.tests.factories import EventFactory, days_ahead

    event = EventFactory(starts_at=days_ahead(-10), ends_at=days_ahead(-10) + timedelta(hours=6))
    carrier = UserFactory()
    group = accepted_group(event=event, proposer=carrier, title="Eau et agriculture")
    services.report_save(
        group=group,
        actor=carrier,
        data={
            "findings": "Les nappes baissent.",
            "proposals": "Des retenues collinaires partagées.",
        },
        base_version=0,
    )
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Les groupes et leurs comptes rendus" in page
    assert "Eau et agriculture" in page and "Les nappes baissent." in page
    assert reverse("forums:group", args=[group.pk]) in page


def test_diff_escapes_what_people_typed():
    html = history.diff_html("<b>vieux</b> texte", "<script>alert(1)</script> texte")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.startswith("<del>") and "<ins>" in html
    assert history.compare({"findings": "a"}, {"findings": "a "}) == []
