"""Facets as the page shows them: labelled values with counts and the link that adds
(or removes) each criterion, keeping the others. Plain links, so they work without
JavaScript; htmx only swaps the results when one is followed.
"""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from maillage.directory.models import Theme
from maillage.territories.models import Territory

from . import registry
from .query import RECENT_DAYS, TERRITORY_FACET_SIZE, Facets


def criterion_url(request: HttpRequest, name: str, value=None) -> str:
    """The current search with `name` set to `value` (removed when None), page 1."""
    params = request.GET.copy()
    params.pop("page", None)
    if value is None:
        params.pop(name, None)
    else:
        params[name] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


def _item(request, name: str, value, label, count: int, current) -> dict:
    selected = str(value) == str(current or "")
    return {
        "label": label,
        "count": count,
        "selected": selected,
        "url": criterion_url(request, name, None if selected else value),
    }


def facet_groups(request: HttpRequest, form, facets: Facets) -> list[dict]:
    groups = []
    current_type = form.value("type", "")
    groups.append(
        {
            "name": "type",
            "title": _("Type"),
            "items": [
                _item(request, "type", t.kind, t.label, facets.kind[t.kind], current_type)
                for t in registry.types()
                if facets.kind.get(t.kind)
            ],
        }
    )
    theme = form.value("theme")
    themes = Theme.objects.filter(pk__in=list(facets.theme)).order_by("position", "name")
    groups.append(
        {
            "name": "theme",
            "title": _("Thématique"),
            "items": [
                _item(
                    request, "theme", t.slug, t.name, facets.theme[t.pk], getattr(theme, "slug", "")
                )
                for t in themes
            ],
        }
    )
    groups.append(_territory_group(request, form, facets))
    current_status = form.value("statut", "")
    labels = {k: v for t in registry.types() for k, v in t.status_labels.items()}
    groups.append(
        {
            "name": "statut",
            "title": _("Avancement"),
            "items": [
                _item(request, "statut", value, label, facets.status[value], current_status)
                for value, label in labels.items()
                if facets.status.get(value)
            ],
        }
    )
    current_date = form.value("date", "")
    dates = []
    if facets.recent:
        label = _("%(days)s derniers jours") % {"days": RECENT_DAYS}
        dates.append(_item(request, "date", "30j", label, facets.recent, current_date))
    for year in sorted(facets.year, reverse=True):
        dates.append(_item(request, "date", year, str(year), facets.year[year], current_date))
    groups.append({"name": "date", "title": _("Date d'ajout"), "items": dates})
    return [g for g in groups if g["items"]]


def _territory_group(request, form, facets: Facets) -> dict:
    selected = form.value("territoire")
    # Only the most frequent are shown: a département has hundreds of communes.
    top = sorted(facets.territory, key=lambda pk: (-facets.territory[pk], pk))
    territories = Territory.objects.filter(pk__in=top[: TERRITORY_FACET_SIZE * 3]).only(
        "pk", "kind", "code", "name", "region_id"
    )
    if selected is not None and selected.kind == "region":
        territories = territories.filter(region=selected)
    ranked = sorted(territories, key=lambda t: (-facets.territory[t.pk], t.name))
    title = _("Territoire") if selected is None else _("Dans ce territoire")
    return {
        "name": "territoire",
        "title": title,
        "items": [
            _item(request, "territoire", t.pk, t.label, facets.territory[t.pk], None)
            for t in ranked[:TERRITORY_FACET_SIZE]
        ],
    }


def selected_criteria(request: HttpRequest, form) -> list[dict]:
    """The active criteria, each with the link that removes it (and, for a territory,
    the one that widens it to the level above)."""
    chips = []
    kind = form.value("type", "")
    doc_type = registry.get(kind) if kind else None
    if doc_type:
        chips.append({"label": doc_type.label, "url": criterion_url(request, "type")})
    theme = form.value("theme")
    if theme:
        chips.append({"label": theme.name, "url": criterion_url(request, "theme")})
    territory = form.value("territoire")
    if territory:
        parent = territory.departement if territory.kind != "departement" else territory.region
        parent = parent or territory.region
        chips.append(
            {
                "label": territory.label,
                "url": criterion_url(request, "territoire"),
                "up_label": parent.label if parent else "",
                "up_url": criterion_url(request, "territoire", parent.pk) if parent else "",
            }
        )
    status = form.value("statut", "")
    if status:
        labels = {k: v for t in registry.types() for k, v in t.status_labels.items()}
        chips.append({"label": labels.get(status, status), "url": criterion_url(request, "statut")})
    date = form.value("date", "")
    if date:
        label = _("%(days)s derniers jours") % {"days": RECENT_DAYS} if date == "30j" else date
        chips.append({"label": label, "url": criterion_url(request, "date")})
    return chips
