"""The feeds, datasets and webhooks contributed by the forums, the library and the ads:
only public records, no e-mail or phone, valid RSS/Atom, each webhook fired once.
`post_json` is the one network seam replaced, as in test_webhooks."""

import json
import re
from datetime import timedelta
from unittest import mock

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.tests.factories import UserFactory
from maillage.events.tests.factories import EventFactory
from maillage.exchange.tests.factories import AdFactory
from maillage.forums import services as forums
from maillage.forums.tests.factories import accepted_group
from maillage.knowledge import services as knowledge
from maillage.knowledge.tests.factories import ResourceFactory, SheetFactory
from maillage.opendata import registry, webhooks
from maillage.opendata.models import Webhook, WebhookDelivery

pytestmark = pytest.mark.django_db

SECRET = "secret-ne-pas-publier"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"0\d([ .]?\d\d){4}")
NEW_FEEDS = ("comptes-rendus", "fiches", "ressources", "annonces")
NEW_DATASETS = ("fiches", "ressources")


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _report(group, **data):
    return forums.report_save(
        group=group, actor=None, data=data, base_version=forums.report_for(group).version
    )


@pytest.fixture
def records():
    event = EventFactory(title="Forum ouvert")
    group = accepted_group(event=event, title="Cantines bio")
    _report(
        group,
        findings="Il manque des producteurs ; josiane@cantine.example.org ou 06 12 34 56 78",
        resource_person_name=f"Josiane {SECRET}",
    )
    hidden = accepted_group(event=EventFactory(status="draft"), title=f"Groupe {SECRET}")
    _report(hidden, findings=f"Constat {SECRET}")

    writer = UserFactory(display_name="Camille R.", email=f"{SECRET}@example.org")
    anonymous_writer = UserFactory(display_name="", email=f"{SECRET}-b@example.org")
    SheetFactory(title="Une ressourcerie qui marche", created_by=writer)
    SheetFactory(
        title="Fiche sans nom affiché",
        created_by=anonymous_writer,
        summary="",
        context="Une commune rurale ; contact : compost@mairie.example.org",
    )
    SheetFactory(title=f"Brouillon {SECRET}", status="draft")
    SheetFactory(title=f"Membres {SECRET}", visibility="members")

    ResourceFactory(title="Guide du compost", licence="cc-by-sa", author="Collectif Compost")
    ResourceFactory(title=f"Ressource membres {SECRET}", visibility="members")
    ResourceFactory(title=f"Ressource du groupe {SECRET}", visibility="group", group=group)

    AdFactory(title="Prêt de broyeur", text="Contact : broyeur@example.org, 06 98 76 54 32")
    AdFactory(title=f"Expirée {SECRET}", expires_on=timezone.localdate() - timedelta(days=1))
    AdFactory(title=f"Close {SECRET}", status="closed")
    return {"group": group, "writer": writer}


def _parse(client, name: str, key: str):
    response = client.get(reverse(name, args=[key]))
    assert response.status_code == 200
    body = response.content.decode()
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, (key, parsed.bozo_exception)
    return body, parsed


def test_new_feeds_validate_and_hold_only_public_records(client, records):
    expected = {
        "comptes-rendus": ["Cantines bio — Forum ouvert"],
        "fiches": ["Fiche sans nom affiché", "Une ressourcerie qui marche"],
        "ressources": ["Guide du compost"],
        "annonces": ["Je propose · Prêt de broyeur"],
    }
    for key in NEW_FEEDS:
        for name in ("opendata:feed_rss", "opendata:feed_atom"):
            body, parsed = _parse(client, name, key)
            assert sorted(e.title for e in parsed.entries) == sorted(expected[key]), (key, name)
            assert SECRET not in body, (key, name)
            assert not EMAIL.search(body), (key, name, EMAIL.search(body))
            assert not PHONE.search(body), (key, name, PHONE.search(body))


def test_the_resources_feed_states_each_licence(client, records):
    _body_text, parsed = _parse(client, "opendata:feed_rss", "ressources")
    (entry,) = parsed.entries
    assert "Licence" in entry.summary
    assert "CC BY-SA" in entry.summary or "by-sa" in entry.summary.lower()
    assert "Collectif Compost" in entry.summary


def test_open_datasets_of_sheets_and_resources(client, records):
    sheets = json.loads(_body(client.get(reverse("opendata:export_json", args=["fiches"]))))
    by_title = {r["title"]: r for r in sheets["results"]}
    assert set(by_title) == {"Une ressourcerie qui marche", "Fiche sans nom affiché"}
    # The display name shown on the public sheet page, never anything from the e-mail.
    assert by_title["Une ressourcerie qui marche"]["author"] == "Camille R."
    assert by_title["Fiche sans nom affiché"]["author"] == ""
    assert sheets["licence"]["id"] == "ODbL-1.0"

    resources = client.get(reverse("opendata:api:list_ressources")).json()
    (row,) = resources["results"]
    assert row["title"] == "Guide du compost"
    assert (row["licence"], row["author"]) == ("cc-by-sa", "Collectif Compost")
    assert row["licence_url"].startswith("https://creativecommons.org/")


def test_privacy_sweep_over_the_new_exports_feeds_and_endpoints(client, records):
    urls = [
        reverse(name, args=[key])
        for key in NEW_DATASETS
        for name in ("opendata:export_csv", "opendata:export_json", "opendata:export_geojson")
    ]
    urls += [reverse(f"opendata:api:list_{key}") for key in NEW_DATASETS]
    urls += [
        reverse(f"opendata:feed_{kind}", args=[key])
        for key in NEW_FEEDS
        for kind in ("rss", "atom")
    ]
    urls.append(reverse("opendata:index"))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = _body(response).decode()
        assert SECRET not in body, url
        assert "josiane@" not in body and "broyeur@" not in body, url


def test_every_new_feed_and_dataset_is_registered_and_listed(client):
    assert {f.key for f in registry.feeds()} >= set(NEW_FEEDS)
    assert {d.key for d in registry.datasets()} >= set(NEW_DATASETS)
    assert {"report.published", "sheet.published", "ad.published"} <= {
        e.key for e in registry.events()
    }
    page = client.get(reverse("opendata:index")).content.decode()
    for key in NEW_FEEDS:
        assert reverse("opendata:feed_rss", args=[key]) in page


def test_new_dataset_exports_query_count_does_not_grow(client, django_assert_max_num_queries):
    for n in range(30):
        SheetFactory(title=f"Fiche {n}", created_by=UserFactory(display_name=f"Auteur {n}"))
        ResourceFactory(title=f"Ressource {n}")
    for key in NEW_DATASETS:
        with django_assert_max_num_queries(9):
            body = _body(client.get(reverse("opendata:export_json", args=[key])))
        assert len(json.loads(body)["results"]) == 30


def test_new_feeds_query_count_does_not_grow(client, django_assert_max_num_queries):
    for n in range(20):
        group = accepted_group(title=f"Groupe {n}")
        _report(group, findings=f"Constat {n}")
        AdFactory(title=f"Annonce {n}")
        SheetFactory(title=f"Fiche {n}")
    for key in NEW_FEEDS:
        with django_assert_max_num_queries(8):
            response = client.get(reverse("opendata:feed_rss", args=[key]))
        assert response.status_code == 200


# --- Webhooks -------------------------------------------------------------------------


@pytest.fixture
def sender():
    with mock.patch.object(webhooks, "post_json", return_value=200) as post:
        yield post


@pytest.fixture
def hook():
    return Webhook.objects.create(
        name="JSON",
        url="https://json.test/in",
        format="json",
        events=["report.published", "sheet.published", "ad.published"],
    )


def _events(sender) -> list[tuple[str, str]]:
    return [(c.args[1]["event"], c.args[1]["title"]) for c in sender.call_args_list]


def test_a_report_notifies_once_when_first_written(
    sender, hook, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        group = accepted_group(event=EventFactory(title="Forum ouvert"), title="Cantines bio")
        draft_group = accepted_group(event=EventFactory(status="draft"), title="Caché")
    assert sender.call_count == 0  # an empty report is no news
    with django_capture_on_commit_callbacks(execute=True):
        _report(group, findings="Premier constat, écrire à josiane@example.org")
        _report(group, findings="Deuxième version")
        _report(draft_group, findings="Pas public")
    assert _events(sender) == [("report.published", "Cantines bio — Forum ouvert")]
    (call,) = sender.call_args_list
    assert "josiane@" not in json.dumps(call.args[1])
    assert WebhookDelivery.objects.get().object_key.startswith("report:")


def test_a_sheet_notifies_once_when_published_for_everyone(
    sender, hook, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = SheetFactory(title="Brouillon", status="draft")
        SheetFactory(title="Pour les membres", visibility="members")
    assert sender.call_count == 0
    with django_capture_on_commit_callbacks(execute=True):
        knowledge.sheet_publish(sheet=draft, actor=None)
        draft.summary = "Complété"
        draft.save()
    assert _events(sender) == [("sheet.published", "Brouillon")]


def test_a_new_ad_notifies_once(sender, hook, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ad = AdFactory(title="Prêt de broyeur", text="Appelez le 06 12 34 56 78")
        ad.text = "Modifiée"
        ad.save()
        AdFactory(title="Déjà expirée", expires_on=timezone.localdate() - timedelta(days=1))
        AdFactory(title="Close", status="closed")
    assert _events(sender) == [("ad.published", "Je propose · Prêt de broyeur")]
    assert "06 12 34 56 78" not in json.dumps(sender.call_args.args[1])


def test_a_hook_can_listen_to_the_new_events_only(sender, django_capture_on_commit_callbacks):
    Webhook.objects.create(
        name="Annonces", url="https://chat.test/ads", format="mattermost", events=["ad.published"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        SheetFactory(title="Fiche")
        AdFactory(title="Coup de main")
    (call,) = sender.call_args_list
    assert call.args[0] == "https://chat.test/ads"
    assert "Coup de main" in call.args[1]["text"]
