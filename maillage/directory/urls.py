from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("personnes/", views.people, name="people"),
    path("personnes/<int:pk>/", views.person, name="person"),
    path("personnes/<int:pk>/modifier/", views.person_edit, name="person_edit"),
    path("personnes-ressources/", views.resource_people, name="resource_people"),
    path("mon-profil/", views.profile_edit, name="profile_edit"),
    path("structures/", views.organisations, name="organisations"),
    path("structures/proposer/", views.organisation_create, name="organisation_create"),
    path("structures/<int:pk>/", views.organisation, name="organisation"),
    path("structures/<int:pk>/modifier/", views.organisation_edit, name="organisation_edit"),
    path(
        "structures/<int:pk>/j-en-fais-partie/", views.organisation_join, name="organisation_join"
    ),
    path("appartenances/<int:pk>/retirer/", views.membership_remove, name="membership_remove"),
    path("reseaux/", views.networks, name="networks"),
    path("initiatives/", views.initiatives, name="initiatives"),
    path("initiatives/proposer/", views.initiative_create, name="initiative_create"),
    path("initiatives/<int:pk>/", views.initiative, name="initiative"),
    path("initiatives/<int:pk>/modifier/", views.initiative_edit, name="initiative_edit"),
    path("initiatives/<int:pk>/rejoindre/", views.initiative_join, name="initiative_join"),
    path("demandes/<int:pk>/decider/", views.join_decide, name="join_decide"),
    path("signaler/<str:kind>/<int:pk>/", views.report_error, name="report_error"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<str:kind>/<int:pk>/", views.moderate, name="moderate"),
    path("signalements/<int:pk>/clore/", views.report_close, name="report_close"),
    path("fusion/<str:kind>/<int:pk>/", views.merge, name="merge"),
    path("thematiques/", views.themes, name="themes"),
    path("thematiques/<int:pk>/", views.theme_edit, name="theme_edit"),
]
