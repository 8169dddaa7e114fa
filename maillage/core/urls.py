from django.urls import path, re_path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("a-propos/", views.about, name="about"),
    path("sante/", views.health, name="health"),
    path("journal/", views.audit_log, name="audit_log"),
    re_path(
        r"^(?P<slug>se-connaitre|agir|se-faire-connaitre|capitaliser)/$",
        views.pillar,
        name="pillar",
    ),
]
