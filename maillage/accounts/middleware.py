"""Members are asked to accept the charter in force before using the site."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .models import CharterAcceptance
from .services import current_charter_version

SESSION_KEY = "accounts:charter-version"

# Paths a person must reach before accepting: the charter itself, leaving, e-mail
# confirmation, and everything about their personal data (export, deletion).
_OPEN_PREFIXES = ("/charte/", "/compte/", "/i18n/", "/static/", "/media/", "/sante/")


class CharterMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and not self._has_accepted_current(request)
        ):
            url = reverse("accounts:charter_accept")
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _has_accepted_current(self, request: HttpRequest) -> bool:
        version = current_charter_version()
        if version is None:
            return True
        if request.session.get(SESSION_KEY) == version:
            return True
        accepted = CharterAcceptance.objects.filter(
            user=request.user, charter__version=version
        ).exists()
        if accepted:
            request.session[SESSION_KEY] = version
        return accepted
