from django.urls import path

from . import views

app_name = "maps"

urlpatterns = [
    path("", views.map_page, name="map"),
    path("donnees/", views.data, name="data"),
    path("points.geojson", views.geojson, name="geojson"),
    path("embed", views.embed, name="embed"),
]
