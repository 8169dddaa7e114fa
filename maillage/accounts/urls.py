from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("compte/parametres/", views.account_settings, name="settings"),
    path("compte/mes-donnees/", views.personal_data_download, name="personal_data"),
    path("compte/supprimer/", views.account_delete, name="delete"),
    path("charte/", views.charter, name="charter"),
    path("charte/accepter/", views.charter_accept, name="charter_accept"),
    path("charte/modifier/", views.charter_edit, name="charter_edit"),
]
