"""Pages of the newsletter: subscribing and confirming, one-click unsubscribe, the public
archive of sent letters, and the facilitators' desk (write, preview, test, send)."""

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from maillage.core.forms import MAX_ID
from maillage.core.permissions import require_perm

from . import services
from .forms import DigestForm, LetterForm, ScheduleForm, SubscribeForm
from .models import Letter, LetterStatus, Subscriber

PAGE_SIZE = 20


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _letter_or_404(pk: int) -> Letter:
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(Letter, pk=pk)


# The form sends e-mail to any address typed in: limit how often, per address and per
# client, so that it cannot be used to flood someone's mailbox.
LIMITS = {"email": (3, 3600), "ip": (20, 3600)}


def _over_limit(kind: str, key: str) -> bool:
    count, window = LIMITS[kind]
    cache_key = f"newsletter:subscribe:{kind}:{key}"
    cache.add(cache_key, 0, window)
    return cache.incr(cache_key) > count


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    initial = {}
    if request.user.is_authenticated:
        initial["email"] = request.user.email
    form = SubscribeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        if _over_limit("ip", request.META.get("REMOTE_ADDR", "")) or _over_limit("email", email):
            form.add_error(None, _("Trop de demandes : réessayez dans une heure."))
            return render(request, "newsletter/subscribe.html", {"form": form}, status=429)
        services.subscription_request(
            email=form.cleaned_data["email"],
            themes=list(form.cleaned_data["themes"]),
            territories=list(form.cleaned_data["territories"]),
            user=request.user,
            base_url=_base_url(request),
        )
        return render(
            request, "newsletter/subscribe_sent.html", {"email": form.cleaned_data["email"]}
        )
    return render(request, "newsletter/subscribe.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST confirms."""
    data = services.subscription_from_token(token)
    if data is None:
        return render(request, "newsletter/confirm.html", {"invalid": True})
    if request.method == "POST":
        subscriber = services.subscription_confirm(token=token)
        return render(request, "newsletter/confirm.html", {"subscriber": subscriber, "done": True})
    return render(request, "newsletter/confirm.html", {"email": data["email"]})


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a form.
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token) -> HttpResponse:
    subscriber = Subscriber.objects.filter(token=token).first()
    if subscriber is None:
        return render(request, "newsletter/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.subscriber_unsubscribe(subscriber=subscriber)
        return render(
            request, "newsletter/unsubscribe.html", {"subscriber": subscriber, "done": True}
        )
    return render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber})


def archive(request: HttpRequest) -> HttpResponse:
    letters = Letter.objects.sent().only("pk", "subject", "sent_at")
    page = Paginator(letters, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "newsletter/archive.html", {"page": page})


def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter_or_404(pk)
    if not letter.is_sent and not request.user.has_perm("newsletter.manage"):
        raise Http404
    sections = services.letter_sections(letter)
    for section in sections:
        for item in section["items"]:
            item["absolute_url"] = item["url"]
    return render(
        request,
        "newsletter/letter.html",
        {"letter": letter, "sections": sections, "jsonld": _jsonld(letter, request)},
    )


def _jsonld(letter: Letter, request: HttpRequest) -> str:
    from maillage.directory.jsonld import _dump

    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": request.build_absolute_uri(letter.get_absolute_url()),
        "headline": letter.subject,
        "articleBody": letter.editorial,
    }
    if letter.sent_at:
        data["datePublished"] = letter.sent_at.isoformat()
    return _dump(data)


# The facilitators' desk ----------------------------------------------------------------


@require_perm("newsletter.manage")
def desk(request: HttpRequest) -> HttpResponse:
    letters = Letter.objects.annotate(deliveries_count=Count("deliveries")).order_by(
        "-created_at", "-pk"
    )
    page = Paginator(letters, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "newsletter/desk.html",
        {"page": page, "subscribers": Subscriber.objects.active().count()},
    )


@require_perm("newsletter.manage")
@require_http_methods(["GET", "HEAD", "POST"])
def letter_create(request: HttpRequest) -> HttpResponse:
    form = LetterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        letter = form.save(commit=False)
        letter.created_by = request.user
        letter.save()
        form.save_m2m()
        return redirect("newsletter:preview", pk=letter.pk)
    return render(request, "newsletter/letter_form.html", {"form": form})


@require_perm("newsletter.manage")
@require_http_methods(["GET", "HEAD", "POST"])
def letter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter_or_404(pk)
    if not letter.is_draft:
        messages.error(request, _("Une lettre envoyée ou programmée ne se modifie plus."))
        return redirect("newsletter:preview", pk=letter.pk)
    form = LetterForm(request.POST or None, instance=letter)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("newsletter:preview", pk=letter.pk)
    return render(request, "newsletter/letter_form.html", {"form": form, "letter": letter})


@require_perm("newsletter.manage")
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter_or_404(pk)
    sections = services.letter_sections(letter)
    for section in sections:
        for item in section["items"]:
            item["absolute_url"] = item["url"]
    return render(
        request,
        "newsletter/preview.html",
        {
            "letter": letter,
            "sections": sections,
            "since": services.letter_since(letter),
            "schedule_form": ScheduleForm(),
            "subscribers": Subscriber.objects.active().count(),
        },
    )


@require_perm("newsletter.manage")
@require_POST
def send_test(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter_or_404(pk)
    services.letter_send_test(letter=letter, user=request.user, base_url=_base_url(request))
    messages.success(
        request, _("Un essai a été envoyé à %(email)s.") % {"email": request.user.email}
    )
    return redirect("newsletter:preview", pk=letter.pk)


@require_perm("newsletter.manage")
@require_POST
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    letter = _letter_or_404(pk)
    form = ScheduleForm(request.POST)
    if letter.status != LetterStatus.DRAFT:
        messages.error(request, _("Cette lettre est déjà programmée ou envoyée."))
        return redirect("newsletter:preview", pk=letter.pk)
    if not form.is_valid():
        sections = services.letter_sections(letter)
        return render(
            request,
            "newsletter/preview.html",
            {
                "letter": letter,
                "sections": sections,
                "since": services.letter_since(letter),
                "schedule_form": form,
                "subscribers": Subscriber.objects.active().count(),
            },
            status=400,
        )
    services.letter_schedule(
        letter=letter, actor=request.user, base_url=_base_url(request), at=form.cleaned_data["at"]
    )
    messages.success(request, _("La lettre est programmée : elle part par lots."))
    return redirect("newsletter:desk")


# The personal weekly digest ------------------------------------------------------------


@require_perm("newsletter.digest")
@require_http_methods(["GET", "HEAD", "POST"])
def digest(request: HttpRequest) -> HttpResponse:
    from .models import DigestPreference

    preference = DigestPreference.objects.filter(user=request.user).first()
    form = DigestForm(
        request.POST or None, initial={"weekly": bool(preference and preference.weekly)}
    )
    if request.method == "POST" and form.is_valid():
        services.digest_preference_set(user=request.user, weekly=form.cleaned_data["weekly"])
        messages.success(request, _("C'est enregistré."))
        return redirect("newsletter:digest")
    return render(request, "newsletter/digest.html", {"form": form})


@csrf_exempt  # RFC 8058 one-click, as for the letter.
@require_http_methods(["GET", "HEAD", "POST"])
def digest_stop(request: HttpRequest, token: str) -> HttpResponse:
    user = services.digest_user_from_token(token)
    if user is None:
        return render(request, "newsletter/digest_stop.html", {"invalid": True}, status=404)
    if request.method == "POST":
        services.digest_preference_set(user=user, weekly=False)
        return render(request, "newsletter/digest_stop.html", {"done": True})
    return render(request, "newsletter/digest_stop.html", {})
