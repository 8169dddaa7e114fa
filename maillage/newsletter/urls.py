from django.urls import path

from . import views

app_name = "newsletter"

urlpatterns = [
    path("", views.archive, name="archive"),
    path("abonnement/", views.subscribe, name="subscribe"),
    path("confirmation/<str:token>/", views.confirm, name="confirm"),
    path("desabonnement/<uuid:token>/", views.unsubscribe, name="unsubscribe"),
    path("<int:pk>/", views.letter_detail, name="letter"),
    path("resume/", views.digest, name="digest"),
    path("resume/arret/<str:token>/", views.digest_stop, name="digest_stop"),
    path("redaction/", views.desk, name="desk"),
    path("redaction/nouvelle/", views.letter_create, name="letter_create"),
    path("redaction/<int:pk>/modifier/", views.letter_edit, name="letter_edit"),
    path("redaction/<int:pk>/apercu/", views.preview, name="preview"),
    path("redaction/<int:pk>/essai/", views.send_test, name="send_test"),
    path("redaction/<int:pk>/envoi/", views.schedule, name="schedule"),
]
