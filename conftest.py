"""Fixtures shared by every app's tests: media in a temporary folder, users per role."""

import pytest


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` check PostgreSQL itself (row locks under concurrent
    writers, its French text analysis): on SQLite they are deselected, not skipped, and
    `.ci/run` runs the whole suite on PostgreSQL too."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    kept = [item for item in items if item.get_closest_marker("postgresql") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


@pytest.fixture(autouse=True, scope="session")
def _headers_as_strict_as_wsgiref():
    """Fail any test whose response a real WSGI server would refuse.

    The test client hands the response object back as it is, so a header value that is a
    `str` subclass (a `TextChoices` member, a `SafeString`) passes, while the development
    server (wsgiref) and other strict servers answer 500 with « Header names/values must be
    of type str ». Every response the test client receives goes through wsgiref's own
    `start_response` checks (status, exact `str` names and values, no hop-by-hop header),
    with the headers Django's WSGI handler would send, cookies included.
    """
    from wsgiref.handlers import BaseHandler

    from django.test.client import ClientHandler

    original = ClientHandler.__call__

    def checked(self, environ):
        response = original(self, environ)
        headers = [
            *response.items(),
            *(("Set-Cookie", cookie.output(header="")) for cookie in response.cookies.values()),
        ]
        status = f"{response.status_code} {response.reason_phrase}"
        try:
            BaseHandler().start_response(status, headers)
        except AssertionError as error:
            raise AssertionError(
                f"{environ.get('REQUEST_METHOD')} {environ.get('PATH_INFO')}: a WSGI server "
                f"would refuse this response: {error}"
            ) from None
        return response

    ClientHandler.__call__ = checked
    yield
    ClientHandler.__call__ = original


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _mail_through_tasks(settings):
    # Django's test environment swaps every mailer for locmem; restore ours so that
    # e-mails go through the task queue as in production (tasks run immediately in tests).
    from config.settings import test as test_settings

    settings.MAILERS = test_settings.MAILERS


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and the cached charter version live in the cache: start each test clean.
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    cache.clear()
    # A transactional test flushes the tables, and content types may come back with new
    # ids: the in-process ContentType cache must not hand out the old ones.
    ContentType.objects.clear_cache()
    yield
    cache.clear()


@pytest.fixture
def member(db):
    from maillage.accounts.tests.factories import UserFactory

    return UserFactory(display_name="Camille Membre")


@pytest.fixture
def facilitator(db):
    from maillage.accounts.tests.factories import UserFactory

    return UserFactory(display_name="Sophie Animation", role="facilitator")


@pytest.fixture
def admin_user(db):
    from maillage.accounts.tests.factories import UserFactory

    return UserFactory(display_name="Alex Admin", role="admin")


@pytest.fixture
def owner(db):
    """A member who owns the records of `world` (profile, organisation, initiative)."""
    from maillage.accounts.tests.factories import UserFactory

    return UserFactory(display_name="Olivia Porteuse")


@pytest.fixture
def world(owner):
    """One record of each kind, owned by `owner`: what the access matrix visits."""
    from maillage.directory.models import JoinRequest, Membership
    from maillage.directory.services import person_for_user
    from maillage.directory.tests.factories import (
        InitiativeFactory,
        OrganisationFactory,
        PersonFactory,
        ThemeFactory,
        aude_and_herault,
    )
    from maillage.events.tests.factories import world_event

    places = aude_and_herault()
    person = person_for_user(user=owner)
    organisation = OrganisationFactory(created_by=owner, commune=places["carcassonne"])
    membership = Membership.objects.create(person=person, organisation=organisation, is_admin=True)
    initiative = InitiativeFactory(created_by=owner, commune=places["limoux"])
    initiative.carrier_people.add(person)
    applicant = PersonFactory()
    join_request = JoinRequest.objects.create(initiative=initiative, person=applicant)
    base = {
        **places,
        "person": person,
        "organisation": organisation,
        "initiative": initiative,
        "theme": ThemeFactory(),
        "join_request": join_request,
        "membership": membership,
        "events": world_event(owner),
    }
    # Apps that declare access-matrix rows add the records those rows visit.
    from maillage.core.tests.matrix import app_access_modules

    for label, module in app_access_modules():
        if hasattr(module, "world"):
            base[label] = module.world(owner, base)
    return base


@pytest.fixture
def role_client(client, member, owner, facilitator, admin_user):
    """Returns a function giving a test client logged in as the named role."""

    users = {"member": member, "owner": owner, "facilitator": facilitator, "admin": admin_user}

    def make(role: str):
        from django.test import Client

        c = Client()
        if role != "anonymous":
            c.force_login(users[role])
        return c

    return make
