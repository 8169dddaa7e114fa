"""The site's URLs plus views that misbehave, for the tests of the error pages and of the
test client's header check (conftest.py). Test settings only."""

from django.http import HttpResponse
from django.urls import path

from config import urls as site_urls
from maillage.opendata.models import Licence


def broken(request):
    raise RuntimeError("Une vue qui échoue, pour les tests de la page 500.")


def enum_header(request):
    response = HttpResponse("ok")
    response["X-Data-Licence"] = Licence.ODBL  # a str subclass: wsgiref refuses it
    return response


urlpatterns = [
    path("essai/erreur/", broken),
    path("essai/en-tete/", enum_header),
    *site_urls.urlpatterns,
]
handler500 = site_urls.handler500
