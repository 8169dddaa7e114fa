"""Likely duplicates: same normalised name, same or a neighbouring commune, same website
or SIREN. Candidates come from indexed columns, never from comparing every pair.

For organisations, « the same name » is the directory's one matcher (`matching`):
« Le Garage solidaire » and « Garage solidaire », « Commune de Lavaur » and « Mairie de
Lavaur » are the same name.
"""

import math
from urllib.parse import urlsplit

from django.db.models import Q

from maillage.core.text import normalise

from .matching import candidate_names
from .models import Organisation

NEIGHBOUR_KM = 10.0


def _site(url: str) -> str:
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.")


def _distance_km(a, b) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


def find_duplicates(
    model,
    *,
    name: str,
    commune=None,
    website: str = "",
    siren: str = "",
    exclude_pk=None,
    limit: int = 10,
):
    """Records of `model` that may be the same as the one described, with the reasons."""
    key = normalise(name)
    names = {key} if key else set()
    if key and issubclass(model, Organisation):
        names |= candidate_names(name)
    query = Q(search_name__in=names) if names else Q(pk__in=[])
    site = _site(website) if website else ""
    if site:
        query |= Q(website__icontains=site)
    if siren and hasattr(model, "siren"):
        query |= Q(siren=siren)
    candidates = model.objects.exclude(status="rejected").filter(query).select_related("commune")
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    found = []
    for record in candidates[: limit * 3]:
        reasons = []
        if record.search_name in names:
            reasons.append("same_name")
            if commune is not None and record.commune_id:
                if record.commune_id == commune.pk:
                    reasons.append("same_commune")
                elif (
                    record.commune.latitude is not None
                    and commune.latitude is not None
                    and _distance_km(
                        (record.commune.latitude, record.commune.longitude),
                        (commune.latitude, commune.longitude),
                    )
                    <= NEIGHBOUR_KM
                ):
                    reasons.append("neighbouring_commune")
        if site and _site(getattr(record, "website", "") or "") == site:
            reasons.append("same_website")
        if siren and getattr(record, "siren", "") == siren:
            reasons.append("same_siren")
        if reasons:
            found.append((record, reasons))
    found.sort(key=lambda pair: -len(pair[1]))
    return found[:limit]
