from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("", views.ads, name="ads"),
    path("annonces/nouvelle/", views.ad_create, name="ad_create"),
    path("annonces/<int:pk>/", views.ad_detail, name="ad"),
    path("annonces/<int:pk>/modifier/", views.ad_edit, name="ad_edit"),
    path("annonces/<int:pk>/clore/", views.ad_close, name="ad_close"),
    path("annonces/<int:pk>/repondre/", views.ad_reply, name="ad_reply"),
    path("annonces/<int:pk>/signaler/", views.ad_report, name="ad_report"),
    path("reponses/<int:pk>/", views.reply_answer, name="reply_answer"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/<int:pk>/", views.report_decide, name="report_decide"),
    path("suggestions/", views.dashboard, name="dashboard"),
    path("suggestions/<int:pk>/ecarter/", views.dismiss, name="dismiss"),
    path(
        "suggestions/initiative/<int:pk>/",
        views.initiative_suggestions,
        name="initiative_suggestions",
    ),
    path("preferences/", views.preferences, name="preferences"),
    path("notifications/", views.notifications, name="notifications"),
    path("mises-en-relation/", views.introductions, name="introductions"),
    path("mises-en-relation/<int:a>/<int:b>/", views.introduce, name="introduce"),
    path("atlas/", views.atlas_page, name="atlas"),
    path("atlas/donnees/", views.atlas_data, name="atlas_data"),
]
