"""System checks of the map's settings (`manage.py check`, run before deployment)."""

from django.conf import settings
from django.core.checks import Error, register

from .csp import is_origin


@register()
def check_embed_origins(app_configs=None, **kwargs):
    origins = getattr(settings, "MAP_EMBED_ALLOWED_ORIGINS", [])
    if not isinstance(origins, list | tuple):
        return [Error("MAP_EMBED_ALLOWED_ORIGINS doit être une liste.", id="maps.E001")]
    return [
        Error(
            f"MAP_EMBED_ALLOWED_ORIGINS : « {origin} » n'est pas une origine.",
            hint="Écrivez https://site.example.org (sans chemin), *.example.org ou *.",
            id="maps.E002",
        )
        for origin in origins
        if not is_origin(origin)
    ]
