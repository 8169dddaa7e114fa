"""Public pages of territories: the autocomplete (JSON or htmx fragment) and a detail page."""

import re

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from .forms import SUGGESTIONS, TerritoryPicker, parse_ticked, text_parts
from .models import Territory, TerritoryKind
from .querysets import SEARCH_LIMIT, clean_query

_NAME = re.compile(r"[\w-]{1,100}")
_CODE = re.compile(r"[0-9A-Za-z]{1,10}")
KIND_PLURALS = {
    TerritoryKind.COMMUNE: _("Communes"),
    TerritoryKind.ARRONDISSEMENT: _("Arrondissements municipaux"),
    TerritoryKind.EPCI: _("Intercommunalités"),
    TerritoryKind.DEPARTEMENT: _("Départements"),
    TerritoryKind.REGION: _("Régions"),
}


def _kinds(request: HttpRequest) -> list[str]:
    asked = request.GET.get("kinds", "").split(",")
    return [kind for kind in asked if kind in TerritoryKind.values]


def autocomplete(request: HttpRequest) -> HttpResponse:
    """`?q=` -> `[{"id", "label", "kind", "code"}]`, at most 20, best first.

    An htmx request gets HTML instead: the choices of a `TerritoryPicker` when it names
    its `field` (see forms.py), or a list of links to the territories' pages.
    `?kinds=commune,epci` restricts the kinds. Any input gives a list, possibly empty.
    """
    territories = Territory.objects.of_kinds(_kinds(request))
    if request.htmx:
        field = request.GET.get("field", "")
        if _NAME.fullmatch(field):
            response = _picker_choices(request, field, territories)
        else:
            query = request.GET.get("q", "")
            response = render(
                request,
                "territories/_suggestions.html#links",
                {"territories": territories.search(query), "query": clean_query(query)},
            )
    else:
        response = JsonResponse(
            [
                {"id": t.pk, "label": t.postal_label, "kind": t.kind, "code": t.code}
                for t in territories.search(request.GET.get("q", ""), limit=SEARCH_LIMIT)
            ],
            safe=False,
        )
    patch_vary_headers(response, ["HX-Request"])
    return response


def _picker_choices(request: HttpRequest, field: str, territories) -> HttpResponse:
    """The ticked territories and the suggestions of a picker, as it asks for them: while
    one types (event=search), or when a box is ticked or unticked (event=change). A
    territory picked among the suggestions joins the chosen ones; its search is then done
    with: the suggestions go and the search box is emptied of its text, out of band."""
    element_id = request.GET.get("id", "")
    if not _NAME.fullmatch(element_id):
        element_id = f"id_{field}"
    widget = TerritoryPicker(multiple=bool(request.GET.get("multiple")), kinds=_kinds(request))
    widget.is_required = not request.GET.get("optional")
    if request.GET.get("empty_label"):
        widget.empty_label = request.GET["empty_label"][:100]
    value = widget.value_from_datadict(request.GET, {}, field)
    kept, picked, _invalid = parse_ticked(value)
    selected = kept + picked  # a picked territory is now one of the chosen ones
    parts = text_parts(value.text)
    if request.GET.get("event") == "change" and picked:
        shown = value.shown
        if parts and shown and clean_query(parts[-1]) == clean_query(shown):
            parts = parts[:-1]
        picker = widget.picker_context(selected=selected, pending="; ".join(parts), oob_search=True)
    elif request.GET.get("event") == "change":
        # A box unticked, or "none" chosen: the suggestions on screen stay.
        shown = value.shown
        picker = widget.picker_context(
            selected=selected,
            suggestions=list(territories.search(shown, limit=SUGGESTIONS)),
            pending=value.text,
            shown=shown,
        )
    else:
        shown = parts[-1] if parts else ""
        picker = widget.picker_context(
            selected=selected,
            suggestions=list(territories.search(shown, limit=SUGGESTIONS)),
            pending=value.text,
            shown=shown,
        )
    context = widget.render_context(field, element_id, picker)
    return render(request, "territories/_suggestions.html#choices", context)


def detail(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    """A territory: the territories above it, its population, its centre, what it holds."""
    if kind not in TerritoryKind.values or not _CODE.fullmatch(code):
        raise Http404
    territory = (
        Territory.objects.select_related("commune", "epci", "departement", "region")
        .filter(kind=kind, code=code)
        .first()
    )
    if territory is None:
        raise Http404
    parents = [
        p
        for p in (territory.region, territory.departement, territory.epci, territory.commune)
        if p is not None
    ]
    if kind != TerritoryKind.NATIONAL:
        parents.insert(0, Territory.objects.national().first())  # None on a bare database
    contents = []
    if kind != TerritoryKind.ARRONDISSEMENT:
        # "433 communes, 9 intercommunalités": one grouped count.
        counts = dict(
            Territory.objects.within(territory)
            .exclude(pk=territory.pk)
            .values_list("kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
        contents = [(label, counts[k]) for k, label in KIND_PLURALS.items() if counts.get(k)]
    postal_codes = []
    if kind in (TerritoryKind.COMMUNE, TerritoryKind.ARRONDISSEMENT):
        postal_codes = sorted(territory.postal_codes.values_list("code", flat=True).distinct())
    return render(
        request,
        "territories/detail.html",
        {
            "territory": territory,
            "parents": [p for p in parents if p is not None],
            "contents": contents,
            "postal_codes": postal_codes,
        },
    )
