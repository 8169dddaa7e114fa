from django.urls import path

from . import views
from .api import build
from .feeds import RegistryAtom, RegistryRss

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:key>.csv", views.export_csv, name="export_csv"),
    path("<slug:key>.json", views.export_json, name="export_json"),
    path("<slug:key>.geojson", views.export_geojson, name="export_geojson"),
    path("flux/<slug:key>.rss", RegistryRss(), name="feed_rss"),
    path("flux/<slug:key>.atom", RegistryAtom(), name="feed_atom"),
    path("api/", views.api_docs, name="api_docs"),
    path("api/v1/", build().urls),
    path("gogocarto/elements.json", views.gogocarto_elements, name="gogocarto"),
    path("gogocarto/import/", views.gogocarto_import, name="gogocarto_import"),
]
