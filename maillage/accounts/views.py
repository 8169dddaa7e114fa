"""Account settings, personal data, and the network's charter."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from maillage.core.permissions import require_perm

from . import services
from .forms import AccountForm, CharterAcceptForm, CharterForm, DeleteAccountForm
from .middleware import SESSION_KEY
from .models import CharterVersion


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    form = AccountForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Vos informations ont été enregistrées."))
        return redirect("accounts:settings")
    from maillage.core.navigation import tools_for

    return render(
        request, "accounts/settings.html", {"form": form, "tools": tools_for(request.user)}
    )


@login_required
def personal_data_download(request: HttpRequest) -> HttpResponse:
    data = services.personal_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mes-donnees-maillage-{stamp}.json"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.account_delete(user=user)
        messages.success(
            request,
            _("Votre compte a été supprimé. Vos données personnelles ont été effacées."),
        )
        return redirect("core:home")
    return render(request, "accounts/delete.html", {"form": form})


def charter(request: HttpRequest) -> HttpResponse:
    versions = list(CharterVersion.objects.select_related("published_by"))
    return render(
        request,
        "accounts/charter.html",
        {"charter": versions[0] if versions else None, "versions": versions},
    )


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def charter_accept(request: HttpRequest) -> HttpResponse:
    current = CharterVersion.objects.current()
    if current is None:
        return redirect(_safe_next(request))
    form = CharterAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        was_member = request.user.is_member
        services.charter_accept(user=request.user, charter=current)
        request.session[SESSION_KEY] = current.version
        if was_member:
            messages.success(request, _("Merci, vous avez accepté la nouvelle charte."))
        else:
            messages.success(request, _("Bienvenue dans le réseau !"))
        return redirect(_safe_next(request))
    already = current.acceptances.filter(user=request.user).exists()
    return render(
        request,
        "accounts/charter_accept.html",
        {"charter": current, "form": form, "already": already, "next": _safe_next(request)},
    )


@require_perm("accounts.edit_charter")
@require_http_methods(["GET", "HEAD", "POST"])
def charter_edit(request: HttpRequest) -> HttpResponse:
    current = CharterVersion.objects.current()
    initial = {"text": current.text} if current else {}
    form = CharterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        charter = services.charter_publish(
            author=request.user,
            text=form.cleaned_data["text"],
            summary=form.cleaned_data["summary"],
        )
        messages.success(
            request,
            _(
                "La version %(version)s de la charte est publiée ; les membres seront invité·es "
                "à l'accepter."
            )
            % {"version": charter.version},
        )
        return redirect("accounts:charter")
    return render(request, "accounts/charter_edit.html", {"form": form, "current": current})
