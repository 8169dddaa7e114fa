"""Pages of the shared core: home page, pillar pages, health check."""

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

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
