from django.urls import path

from . import views

app_name = "territories"

urlpatterns = [
    path("autocompletion/", views.autocomplete, name="autocomplete"),
    path("<slug:kind>/<str:code>/", views.detail, name="detail"),
]
