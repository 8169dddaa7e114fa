"""Outgoing webhooks: fired once per published record, in each chat's format, retried by
the task queue. `post_json` is the one seam replaced: no request leaves the tests."""

from unittest import mock

import pytest

from maillage.directory.tests.factories import InitiativeFactory
from maillage.events.tests.factories import EventFactory
from maillage.opendata import webhooks
from maillage.opendata.models import OpenDataSettings, Webhook, WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender():
    with mock.patch.object(webhooks, "post_json", return_value=200) as post:
        yield post


def test_a_published_initiative_notifies_each_hook_once(sender, django_capture_on_commit_callbacks):
    OpenDataSettings.objects.create(site_url="https://reseau.test")
    Webhook.objects.create(name="Mattermost", url="https://chat.test/hooks/a", format="mattermost")
    Webhook.objects.create(
        name="JSON", url="https://json.test/in", format="json", events=["event.published"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        initiative = InitiativeFactory(title="Jardin partagé")
        initiative.summary = "Modifié"
        initiative.save()
        InitiativeFactory(title="En attente", status="proposed")
    (call,) = sender.call_args_list
    url, payload = call.args
    assert url == "https://chat.test/hooks/a"
    assert "[Jardin partagé](https://reseau.test/annuaire/" in payload["text"]
    assert WebhookDelivery.objects.get().state == "sent"


def test_formats(sender, django_capture_on_commit_callbacks):
    Webhook.objects.create(name="Slack", url="https://slack.test/x", format="slack")
    Webhook.objects.create(name="JSON", url="https://json.test/x", format="json")
    with django_capture_on_commit_callbacks(execute=True):
        EventFactory(title="Forum ouvert")
    payloads = {c.args[0]: c.args[1] for c in sender.call_args_list}
    assert payloads["https://slack.test/x"]["text"].startswith("*Nouvelle rencontre* : <")
    assert payloads["https://json.test/x"]["event"] == "event.published"
    assert payloads["https://json.test/x"]["title"] == "Forum ouvert"


def test_failures_are_retried_then_abandoned(django_capture_on_commit_callbacks):
    Webhook.objects.create(name="Rocket", url="https://rocket.test/x", format="rocketchat")
    with (
        mock.patch.object(webhooks, "post_json", side_effect=[OSError("down"), 500, 200]) as post,
        django_capture_on_commit_callbacks(execute=True),
    ):
        InitiativeFactory()
    assert post.call_count == 3
    delivery = WebhookDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("sent", 3)

    with (
        mock.patch.object(webhooks, "post_json", side_effect=OSError("down")) as post,
        django_capture_on_commit_callbacks(execute=True),
    ):
        InitiativeFactory()
    assert post.call_count == webhooks.MAX_ATTEMPTS
    assert WebhookDelivery.objects.filter(state="failed").count() == 1


def test_retries_are_scheduled_later_when_the_backend_can_defer(settings):
    from django.tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    hook = Webhook.objects.create(name="M", url="https://m.test/x")
    delivery = WebhookDelivery.objects.create(webhook=hook, event="x", object_key="k", payload={})
    with mock.patch.object(webhooks, "post_json", side_effect=OSError("down")):
        assert webhooks.deliver_webhook.call(delivery.pk) == "retry"
    (result,) = default_task_backend.results
    assert result.task.run_after is not None
