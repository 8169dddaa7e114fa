"""The shared layout: strict CSP, French first with an English switch, the pillars menu."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.test import override_settings
from django.urls import reverse

from maillage.core import navigation
from maillage.directory.tests.factories import InitiativeFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_home_page_has_a_strict_csp_and_no_inline_script(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts, "htmx is loaded"
    for attributes, body in scripts:
        assert 'src="/static/' in attributes and body.strip() == ""
    assert "style=" not in html
    assert "<style" not in html


def test_the_four_pillars_lead_the_menu(client):
    html = client.get("/").content.decode()
    for title in ["Se connaître", "Agir", "Se faire connaître", "Capitaliser"]:
        assert title in html
    for pillar in navigation.pillars():
        assert client.get(reverse("core:pillar", args=[pillar.slug])).status_code == 200
    assert client.get("/pas-un-pilier/").status_code == 404


def test_language_switch_to_english_and_back(client):
    assert '<html lang="fr">' in client.get("/").content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Join the network" in html
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert "Rejoindre le réseau" in client.get("/").content.decode()


def test_health_check_reaches_the_database(client):
    assert client.get(reverse("core:health")).json() == {"status": "ok"}


def test_mail_is_queued_as_a_task_not_sent_in_the_request():
    dummy = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        from django.tasks import default_task_backend

        message = EmailMessage("Objet", "Corps", "from@example.org", ["to@example.org"])
        message.attach("invitation.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
        assert message.send() == 1
        assert mail.outbox == []
        [result] = default_task_backend.results
        assert result.task.name == "deliver_email"
        # The worker side: running the task delivers the same message.
        result.task.call(*result.args, **result.kwargs)
    [sent] = mail.outbox
    assert (sent.subject, sent.body, sent.to) == ("Objet", "Corps", ["to@example.org"])
    assert sent.attachments[0].filename == "invitation.ics"
    assert "BEGIN:VCALENDAR" in sent.attachments[0].content


def test_facilitators_find_their_tools_in_my_account(client, member, facilitator, admin_user):
    client.force_login(member)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert "Animer le réseau" not in page and reverse("directory:moderation") not in page
    client.force_login(facilitator)
    page = client.get(reverse("accounts:settings")).content.decode()
    assert reverse("directory:moderation") in page and reverse("core:audit_log") in page
    assert reverse("accounts:charter_edit") not in page
    client.force_login(admin_user)
    assert (
        reverse("accounts:charter_edit")
        in client.get(reverse("accounts:settings")).content.decode()
    )


@pytest.mark.parametrize("value", ["9223372036854775808", "99999999999999999999999", "-1", "1.5"])
def test_impossible_ids_are_invalid_choices_not_errors(value):
    from django.core.exceptions import ValidationError

    from maillage.core.forms import SafeModelChoiceField, SafeModelMultipleChoiceField
    from maillage.directory.models import Theme

    single = SafeModelChoiceField(queryset=Theme.objects.all())
    several = SafeModelMultipleChoiceField(queryset=Theme.objects.all())
    for field, data in ((single, value), (several, [value])):
        with pytest.raises(ValidationError):
            field.clean(data)


def test_shared_pagination_keeps_the_other_criteria(client):
    """core/_pagination.html, as the lists use it: page 2 with the same criteria."""
    food = ThemeFactory(name="Alimentation", slug="alimentation")
    for n in range(30):
        InitiativeFactory(title=f"Jardin partagé n°{n}").themes.add(food)
    url = reverse("directory:initiatives")
    first = client.get(url, {"q": "jardin", "theme": "alimentation"})
    following = html.unescape(
        re.search(r'<a rel="next" href="([^"]*)"', first.content.decode()).group(1)
    )
    assert following.startswith("?") and not following.startswith("??")
    assert parse_qs(urlsplit(following).query) == {
        "q": ["jardin"],
        "theme": ["alimentation"],
        "page": ["2"],
    }
    second = client.get(url + following)
    assert second.status_code == 200
    assert second.context["page"].number == 2
    assert 'rel="prev"' in second.content.decode()
