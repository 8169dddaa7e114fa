"""URLs of imports, mounted at /imports/."""

from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/etat/", views.status, name="status"),
    path("<int:pk>/accepter/", views.accept, name="accept"),
    path("<int:pk>/supprimer/", views.delete, name="delete"),
    path("contacts/<int:pk>/inviter/", views.invite, name="invite"),
    path("profil/<str:token>/", views.claim, name="claim"),
]
