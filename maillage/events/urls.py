from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("passees/", views.past, name="past"),
    path("calendrier/", views.month_calendar, name="calendar"),
    path("agenda.ics", views.feed_all, name="feed_all"),
    path("thematique/<slug:slug>.ics", views.feed_theme, name="feed_theme"),
    path("territoire/<str:kind>/<str:code>.ics", views.feed_territory, name="feed_territory"),
    path("nouvelle/", views.event_create, name="event_create"),
    path("<int:pk>/", views.event_detail, name="event"),
    path("<int:pk>/modifier/", views.event_edit, name="event_edit"),
    path("<int:pk>/programme/", views.programme, name="programme"),
    path("<int:pk>/rencontre.ics", views.feed_event, name="feed_event"),
    path("<int:pk>/inscription/", views.register, name="register"),
    path("<int:pk>/desinscription/", views.unregister, name="unregister"),
    path("<int:pk>/participants/", views.participants, name="participants"),
    path("<int:pk>/participants.csv", views.participants_csv, name="participants_csv"),
    path("<int:pk>/presences/", views.attendance, name="attendance"),
    path("<int:pk>/programme/ajouter/", views.session_create, name="session_create"),
    path("sequences/<int:pk>/modifier/", views.session_edit, name="session_edit"),
    path("sequences/<int:pk>/supprimer/", views.session_delete, name="session_delete"),
    path("sequences/<int:pk>/inscription/", views.session_register, name="session_register"),
    path("sequences/<int:pk>/desinscription/", views.session_unregister, name="session_unregister"),
    path("annulation/<str:token>/", views.cancel, name="cancel"),
]
