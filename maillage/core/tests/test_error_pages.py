"""Error pages: 400, 403, 404, 500 and the CSRF failure, in the site's language, each
with a way back to the home page. French first; English when the visitor chose it."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

HOME_LINK = '<a class="button" href="/">'


def english() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def assert_error_page(response, status: int, heading: str) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert HOME_LINK in html
    return html


def test_404_in_the_site_layout(client):
    html = assert_error_page(client.get("/pas-une-page/"), 404, "Page introuvable")
    assert '<html lang="fr">' in html
    assert 'class="site-header"' in html and "Se connaître" in html  # the layout, its menu
    assert f'href="{reverse("search:results")}"' in html
    assert "Not Found" not in html


def test_404_in_english():
    html = english().get("/pas-une-page/").content.decode()
    assert '<html lang="en">' in html
    assert "Join the network" in html and ">Home</a>" in html


def test_403_for_a_member_without_the_permission(member):
    client = Client()
    client.force_login(member)
    html = assert_error_page(client.get(reverse("core:audit_log")), 403, "Accès refusé")
    assert "Votre compte ne permet pas d'ouvrir cette page" in html
    assert "403 Forbidden" not in html
    assert "Se déconnecter" in html  # the layout knows who is there


@override_settings(ALLOWED_HOSTS=["testserver"])
def test_400_for_a_request_to_an_unknown_host(client):
    response = client.get("/", headers={"host": "inconnu.example.org"})
    html = assert_error_page(response, 400, "Demande incorrecte")
    assert "Bad Request" not in html


def test_csrf_failure_page(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = assert_error_page(response, 403, "Formulaire expiré")
    assert "rechargez-la" in html
    assert "CSRF verification failed" not in html and "Forbidden" not in html


def test_csrf_failure_page_in_english():
    client = english()
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="en">' in html and ">Home</a>" in html


@override_settings(ROOT_URLCONF="maillage.core.tests.error_urls")
def test_500_page_stands_alone(client, monkeypatch):
    # Django renders 500.html without the request's context: the page may rely on no
    # context processor (here, one that would fail).
    def broken_processor(request):
        raise AssertionError("500.html must not need the context processors")

    monkeypatch.setattr("maillage.core.context_processors.site", broken_processor)
    client.raise_request_exception = False
    html = assert_error_page(client.get("/essai/erreur/"), 500, "Erreur du serveur")
    assert '<html lang="fr">' in html
    assert settings.SITE_NAME in html
    assert "Server Error" not in html


@override_settings(ROOT_URLCONF="maillage.core.tests.error_urls")
def test_500_page_in_english():
    client = english()
    client.raise_request_exception = False
    response = client.get("/essai/erreur/")
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="en">' in html and ">Home</a>" in html
