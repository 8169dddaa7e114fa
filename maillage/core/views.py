"""Pages of the shared core: home page, pillar pages, health check, error pages."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from .models import AuditEntry
from .navigation import get_pillar
from .permissions import require_perm


def home(request: HttpRequest) -> HttpResponse:
    members = get_user_model().objects.members().count()
    return render(request, "core/home.html", {"member_count": members})


def pillar(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_pillar(slug)
    if found is None:
        raise Http404
    return render(request, "core/pillar.html", {"pillar": found})


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For the reverse proxy and monitoring: the process answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html")


@require_perm("accounts.view_audit_log")
def audit_log(request: HttpRequest) -> HttpResponse:
    page = Paginator(AuditEntry.objects.recent(), 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """`CSRF_FAILURE_VIEW`: a form sent without its token, or with an expired one, in the
    site's layout rather than Django's page for developers."""
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """`handler500`: 500.html rendered as Django does, without the request's context (the
    context processors, the user or the database may be what failed), plus the site's
    name, which needs none of them."""
    html = loader.get_template("500.html").render({"site_name": settings.SITE_NAME})
    return HttpResponseServerError(html)
