"""View decorators for permissions declared in each app's `rules.py`.

Anonymous visitors are sent to the log-in page; a logged-in person who lacks the
permission gets a 403 page (not a log-in loop).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def require_perm(perm: str, get_object: Callable | None = None):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            obj = get_object(request, *args, **kwargs) if get_object else None
            if request.user.has_perm(perm, obj):
                return view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied

        return wrapped

    return decorator
