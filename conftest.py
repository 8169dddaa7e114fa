"""Fixtures shared by every app's tests: media in a temporary folder, users per role."""

import pytest


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
    from django.core.cache import cache

    cache.clear()
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
def role_client(client, member, facilitator, admin_user):
    """Returns a function giving a test client logged in as the named role."""

    users = {"member": member, "facilitator": facilitator, "admin": admin_user}

    def make(role: str):
        from django.test import Client

        c = Client()
        if role != "anonymous":
            c.force_login(users[role])
        return c

    return make
