"""The search page (results and facets) and the as-you-type suggestions."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from . import registry
from .facets import facet_groups, selected_criteria
from .forms import SearchForm
from .highlight import Highlighter
from .query import MAX_PAGE, PAGE_SIZE, Search, Viewer, suggestions


def _results(search: Search, hits) -> list[dict]:
    completions = search.match.completions if search.match else []
    highlighter = Highlighter(search.highlight_words, completions)
    items = []
    for hit in hits:
        doc_type = registry.get(hit.kind)
        items.append(
            {
                "hit": hit,
                "label": doc_type.label if doc_type else hit.kind,
                "status": doc_type.status_labels.get(hit.status, "") if doc_type else "",
                "title": highlighter.title(hit.title),
                "snippet": highlighter.snippet(hit.body),
            }
        )
    return items


def _pages(request: HttpRequest, number: int, total: int) -> dict:
    count = min(MAX_PAGE, max(1, -(-total // PAGE_SIZE)))
    number = min(number, count)
    return {"number": number, "count": count, "previous": number - 1, "next": number + 1}


# The search's document kinds as the map's `type` values (a kind the map does not show
# has no map link).
MAP_TYPES = {
    "person": "personne",
    "organisation": "structure",
    "initiative": "initiative",
    "event": "rencontre",
}


def _map_url(form) -> str | None:
    """The map with the same criteria (type, theme, territory; the map has no words)."""
    params = {}
    kind = form.value("type", "")
    if kind:
        if kind not in MAP_TYPES:
            return None
        params["type"] = MAP_TYPES[kind]
    if form.value("theme"):
        params["theme"] = form.value("theme").slug
    if form.value("territoire"):
        params["territoire"] = form.value("territoire").pk
    url = reverse("maps:map")
    return f"{url}?{urlencode(params)}" if params else url


def results(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    form.is_valid()
    search = Search(form.value("q", ""), viewer=Viewer.of(request.user), filters=form.filters())
    number = form.value("page", 1)
    facets, hits = search.run(number)
    if facets.total == 0 and search.widen():
        facets, hits = search.run(number)
    pages = _pages(request, number, facets.total)
    if not hits and number > pages["number"]:  # past the last page: show the last one
        facets, hits = search.run(pages["number"])
    context = {
        "form": form,
        "query": form.value("q", ""),
        "search": search,
        "facets": facets,
        "groups": facet_groups(request, form, facets),
        "selected": selected_criteria(request, form),
        "results": _results(search, hits),
        "pages": pages,
        "map_url": _map_url(form),
    }
    template = "search/results.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


def suggest(request: HttpRequest) -> HttpResponse:
    """JSON by default; the list fragment for htmx (or `?format=html`)."""
    query = request.GET.get("q", "")
    found = suggestions(query, viewer=Viewer.of(request.user))
    items = []
    for hit in found:
        doc_type = registry.get(hit.kind)
        items.append(
            {"title": hit.title, "kind": hit.kind, "label": doc_type.label, "url": hit.url}
        )
    if request.htmx or request.GET.get("format") == "html":
        return render(request, "search/_suggestions.html", {"items": items, "query": query})
    return JsonResponse(
        {"query": query[:200], "suggestions": [{**i, "label": str(i["label"])} for i in items]}
    )
