"""The library on the pages of what it is attached to: an initiative, an event, a forums
group and its working-group space show the sheets and resources the viewer may see (each
resource with its licence), in a number of queries that does not grow with them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from maillage.accounts.tests.factories import UserFactory
from maillage.directory.tests.factories import InitiativeFactory
from maillage.events.tests.factories import EventFactory
from maillage.forums.tests.factories import accepted_group
from maillage.knowledge.models import ExperienceSheet, Resource

from .factories import ResourceFactory, SheetFactory

pytestmark = pytest.mark.django_db


def _initiative():
    record = InitiativeFactory()
    return record, reverse("directory:initiative", args=[record.pk]), {"initiative": record}


def _event():
    record = EventFactory()
    return record, reverse("events:event", args=[record.pk]), {"event": record}


def _group(carrier=None):
    record = accepted_group(proposer=carrier or UserFactory())
    return record, reverse("forums:group", args=[record.pk]), {"group": record}


def _working_group(carrier=None):
    record = accepted_group(proposer=carrier or UserFactory())
    record.working_since = timezone.now()
    record.save(update_fields=["working_since"])
    return record, reverse("forums:working_group", args=[record.pk]), {"group": record}


PAGES = {
    "initiative": _initiative,
    "event": _event,
    "group": _group,
    "working_group": _working_group,
}
# Pages a visitor reaches (the working-group space is for members).
PUBLIC_PAGES = ["initiative", "event", "group"]


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("kind", list(PAGES))
def test_page_lists_public_items_with_their_licence(client, member, kind):
    _record, url, attach = PAGES[kind]()
    SheetFactory(title="Un marché paysan qui a tenu", outcome="success", **attach)
    ResourceFactory(title="Guide du marché", licence="etalab-2.0", **attach)
    elsewhere = _initiative()[2] if kind != "initiative" else _event()[2]
    ResourceFactory(title="Ressource d'ailleurs", **elsewhere)
    client.force_login(member)

    html = _page(client, url)

    assert "Dans la bibliothèque" in html
    assert "Un marché paysan qui a tenu" in html
    assert "Guide du marché" in html
    assert (
        '<a href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/" '
        'rel="license noopener">Licence Ouverte 2.0</a>'
    ) in html
    assert "Ressource d'ailleurs" not in html


@pytest.mark.parametrize("kind", PUBLIC_PAGES)
def test_visitor_sees_public_items_not_members_only_ones(client, kind):
    _record, url, attach = PAGES[kind]()
    ResourceFactory(title="Fiche pratique ouverte", licence="cc-by", **attach)
    ResourceFactory(title="Annuaire interne", visibility="members", **attach)

    html = _page(client, url)

    assert "Fiche pratique ouverte" in html
    assert 'rel="license noopener">CC BY</a>' in html
    assert "Annuaire interne" not in html
    # Visitors may not add: no link to the forms.
    assert reverse("knowledge:resource_create") not in html
    assert reverse("knowledge:sheet_create") not in html


@pytest.mark.parametrize("kind", list(PAGES))
def test_working_group_resource_only_for_the_group(client, member, kind):
    carrier = UserFactory()
    record, url, attach = PAGES[kind](carrier) if "group" in kind else PAGES[kind]()
    group = record if "group" in kind else accepted_group(proposer=carrier)
    ResourceFactory(title="Notes du groupe", visibility="group", **({"group": group} | attach))

    client.force_login(member)
    assert "Notes du groupe" not in _page(client, url)
    client.force_login(carrier)
    assert "Notes du groupe" in _page(client, url)


@pytest.mark.parametrize("kind", list(PAGES))
def test_draft_sheet_only_for_its_author_and_facilitators(client, member, facilitator, kind):
    author = UserFactory()
    _record, url, attach = PAGES[kind]()
    SheetFactory(title="Brouillon en cours", status="draft", created_by=author, **attach)

    client.force_login(member)
    assert "Brouillon en cours" not in _page(client, url)
    client.force_login(author)
    assert "Brouillon en cours" in _page(client, url)
    client.force_login(facilitator)
    assert "Brouillon en cours" in _page(client, url)


@pytest.mark.parametrize("kind", list(PAGES))
def test_members_get_prefilled_add_links(client, member, kind):
    record, url, _attach = PAGES[kind]()
    client.force_login(member)

    html = _page(client, url)

    param = {"initiative": "initiative", "event": "rencontre"}.get(kind, "groupe")
    assert f"{reverse('knowledge:resource_create')}?{param}={record.pk}" in html
    assert f"{reverse('knowledge:sheet_create')}?{param}={record.pk}" in html
    from_group = reverse("knowledge:sheet_from_group", args=[record.pk])
    assert (from_group in html) == ("group" in kind)


@pytest.mark.parametrize(
    ("kind", "param", "field"),
    [("initiative", "initiative", "initiative"), ("event", "rencontre", "event")],
)
def test_add_links_prefill_the_forms(client, member, kind, param, field):
    record, _url, _attach = PAGES[kind]()
    client.force_login(member)
    for name in ("knowledge:sheet_create", "knowledge:resource_create"):
        response = client.get(reverse(name), {param: record.pk})
        assert response.status_code == 200
        assert response.context["form"][field].value() == record.pk


def test_sheet_form_prefills_a_group(client, member):
    group = accepted_group(proposer=UserFactory())
    client.force_login(member)
    response = client.get(reverse("knowledge:sheet_create"), {"groupe": group.pk})
    assert response.context["form"]["group"].value() == group.pk


@pytest.mark.parametrize("value", ["abc", "-3", "0", "99999999999999999999", "999999"])
def test_sheet_form_ignores_bad_or_unknown_ids(client, member, value):
    client.force_login(member)
    response = client.get(
        reverse("knowledge:sheet_create"),
        {"initiative": value, "rencontre": value, "groupe": value},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form["initiative"].value() is None
    assert form["event"].value() is None


def test_sheet_form_ignores_a_record_the_writer_may_not_see(client, member):
    hidden = EventFactory(status="draft")
    proposed = InitiativeFactory(status="proposed")
    client.force_login(member)
    response = client.get(
        reverse("knowledge:sheet_create"), {"rencontre": hidden.pk, "initiative": proposed.pk}
    )
    form = response.context["form"]
    assert form["event"].value() is None
    assert form["initiative"].value() is None
    assert hidden.title not in response.content.decode()


def test_sheet_created_from_the_link_is_attached(client, member):
    initiative = InitiativeFactory()
    client.force_login(member)
    url = reverse("knowledge:sheet_create") + f"?initiative={initiative.pk}"
    data = {
        "title": "Une cantine qui a fermé",
        "outcome": "failure",
        "initiative": initiative.pk,
        "visibility": "public",
        "publish": "1",
    }
    for prefix in ("obstacles", "tips"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    sheet = ExperienceSheet.objects.get(title="Une cantine qui a fermé")
    assert sheet.initiative == initiative
    assert "Une cantine qui a fermé" in _page(
        client, reverse("directory:initiative", args=[initiative.pk])
    )


def _attach_many(attach, n, start=0):
    for i in range(start, start + n):
        SheetFactory(title=f"Fiche {i}", **attach)
        ResourceFactory(title=f"Ressource {i}", **attach)


@pytest.mark.parametrize("kind", list(PAGES))
def test_query_count_does_not_grow_with_attached_items(
    client, member, kind, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _record, url, attach = PAGES[kind]()
    client.force_login(member)
    _attach_many(attach, 1)
    _page(client, url)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert "Ressource 0" in _page(client, url)
    _attach_many(attach, 8, start=1)
    with django_assert_max_num_queries(len(few)):
        html = _page(client, url)
    assert "Ressource 8" in html and "Fiche 8" in html
    assert Resource.objects.count() == 9
