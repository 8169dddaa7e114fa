"""Root URL configuration: each app mounts its own `urls.py` under a French path."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

urlpatterns = [
    path("", include("maillage.core.urls")),
    path("", include("maillage.accounts.urls")),
    path("annuaire/", include("maillage.directory.urls")),
    path("agenda/", include("maillage.events.urls")),
    path("recherche/", include("maillage.search.urls")),
    path("carte/", include("maillage.maps.urls")),
    path("territoires/", include("maillage.territories.urls")),
    path("groupes/", include("maillage.forums.urls")),
    path("imports/", include("maillage.imports.urls")),
    path("bibliotheque/", include("maillage.knowledge.urls")),
    path("echanges/", include("maillage.exchange.urls")),
    path("lettre/", include("maillage.newsletter.urls")),
    path("donnees/", include("maillage.opendata.urls")),
    path("compte/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

# 400, 403 and 404 are Django's views with our templates (maillage/core/templates);
# the 500 page gets the site's name without the request's context.
handler500 = "maillage.core.views.server_error"
