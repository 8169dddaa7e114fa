"""The test client is as strict about headers as a real WSGI server (conftest.py)."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(ROOT_URLCONF="maillage.core.tests.error_urls")
def test_the_test_client_refuses_headers_a_wsgi_server_refuses(client):
    # conftest.py checks every response as wsgiref does: a `str` subclass in a header
    # (here a TextChoices member) fails the test instead of passing unnoticed.
    with pytest.raises(AssertionError, match=r"must be of type str \(got Licence.ODBL\)"):
        client.get("/essai/en-tete/")
