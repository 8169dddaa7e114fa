"""Template context shared by every page: the site name and the pillars menu."""

from django.conf import settings
from django.http import HttpRequest

from .navigation import pillars


def site(request: HttpRequest) -> dict:
    return {"site_name": settings.SITE_NAME, "pillars": pillars()}
