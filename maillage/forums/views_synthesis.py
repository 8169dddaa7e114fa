"""Pages of the synthesis of an event, generated on each request from the groups' reports:
the complete version (facilitators and the event's organisers, `forums.arrange`: names of
carriers and followers, and the contacts their owners agreed to share) and the public
version (anyone who may see the event: counts, no names, no contacts), each as an HTML
page, a PDF, Markdown and a docx."""

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from maillage.core.audit import log_action
from maillage.core.documents import docx_from_blocks, markdown_from_blocks, render_pdf
from maillage.core.permissions import require_perm
from maillage.events.models import Event

from .synthesis import Synthesis, build_synthesis, synthesis_blocks, synthesis_fingerprint

PERM = "forums.arrange"
# A public PDF may be downloaded by everyone the link was sent to, and WeasyPrint takes
# seconds for a big forum: public files are kept, keyed on their content, for a day.
# Complete versions (names, contacts) are never stored in the cache.
PUBLIC_CACHE_SECONDS = 24 * 3600
VERSIONS = {"complete": True, "publique": False}
FORMATS = {
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _event(request: HttpRequest, event_pk: int, *args, **kwargs) -> Event:
    return get_object_or_404(Event.objects.visible_to(request.user), pk=event_pk)


def _build(request: HttpRequest, event: Event, *, complete: bool) -> Synthesis:
    # The public version is built as an anonymous visitor would see it, whoever asks.
    viewer = request.user if complete else AnonymousUser()
    return build_synthesis(event, viewer=viewer, complete=complete)


@require_GET
@require_perm(PERM, _event)
def synthesis(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = _event(request, event_pk)
    response = render(
        request,
        "forums/synthesis.html",
        {"synthesis": _build(request, event, complete=True), "event": event, "can_see_full": True},
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def synthesis_public(request: HttpRequest, event_pk: int) -> HttpResponse:
    event = _event(request, event_pk)
    return render(
        request,
        "forums/synthesis.html",
        {
            "synthesis": _build(request, event, complete=False),
            "event": event,
            "can_see_full": request.user.has_perm(PERM, event),
        },
    )


@require_GET
def synthesis_download(request: HttpRequest, event_pk: int, version: str, fmt: str) -> HttpResponse:
    if version not in VERSIONS or fmt not in FORMATS:
        raise Http404
    if VERSIONS[version]:
        return _complete_download(request, event_pk, fmt=fmt)
    return _download(request, _event(request, event_pk), fmt=fmt, complete=False)


@require_perm(PERM, _event)
def _complete_download(request: HttpRequest, event_pk: int, *, fmt: str) -> HttpResponse:
    event = _event(request, event_pk)
    response = _download(request, event, fmt=fmt, complete=True)
    response["Cache-Control"] = "private, no-store"
    # Names and contacts leave the site in a file: keep a trace of who took them.
    log_action(
        actor=request.user, action="forums.synthesis_download", obj=event, data={"format": fmt}
    )
    return response


def _render(request: HttpRequest, result: Synthesis, fmt: str) -> bytes:
    if fmt == "pdf":
        return render_pdf(
            "forums/synthesis_print.html",
            {"synthesis": result, "event": result.event},
            request=request,
        )
    if fmt == "md":
        return markdown_from_blocks(synthesis_blocks(result)).encode()
    return docx_from_blocks(synthesis_blocks(result), title=result.title)


def _download(request: HttpRequest, event: Event, *, fmt: str, complete: bool) -> HttpResponse:
    result = _build(request, event, complete=complete)
    if complete or fmt == "md":
        body = _render(request, result, fmt)
    else:
        key = f"forums:synthesis:{event.pk}:{fmt}:{synthesis_fingerprint(result)}"
        body = cache.get(key)
        if body is None:
            body = _render(request, result, fmt)
            cache.set(key, body, PUBLIC_CACHE_SECONDS)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{result.filename}.{fmt}"'
    return response
