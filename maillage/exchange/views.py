"""Pages of exchange: ads (list, page, form, replies, reports), suggestions, consents,
notifications, introductions (facilitators) and the relational atlas."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maillage.core.permissions import require_perm
from maillage.directory.models import Initiative, Membership, Person

from . import atlas, services
from .context_processors import forget_unread
from .forms import (
    AdFilterForm,
    AdForm,
    AnswerForm,
    AtlasFilterForm,
    IntroductionForm,
    PreferencesForm,
    ReplyForm,
    ReportForm,
)
from .models import Ad, AdReply, AdReport, Introduction, ItemType, MatchPreferences, Suggestion
from .reasons import reasons_text
from .views_support import suggestions_for_display

PAGE_SIZE = 20
PAIRS_SHOWN = 50


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


def _form_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# --- Ads -------------------------------------------------------------------------------


def ads(request: HttpRequest) -> HttpResponse:
    form = AdFilterForm(request.GET)
    found = form.filter(Ad.objects.live()).for_list()
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "exchange/ads.html"
    if request.htmx:
        template += "#results"
    return render(request, template, {"page": page, "form": form})


def _ad_for(request: HttpRequest, pk: int) -> Ad:
    return get_object_or_404(Ad.objects.visible_to(request.user).for_list(), pk=pk)


def ad_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ad = _ad_for(request, pk)
    is_owner = ad.is_owned_by(request.user)
    context = {
        "ad": ad,
        "is_owner": is_owner,
        "can_change": request.user.has_perm("exchange.change_ad", ad),
        "can_reply": request.user.has_perm("exchange.reply_ad") and not is_owner and ad.is_live,
    }
    if is_owner:
        context["suggestions"] = suggestions_for_display(
            ItemType.AD, ad.pk, viewer=request.user, subject=_("Votre annonce")
        )
        context["replies"] = ad.replies.select_related("sender").prefetch_related("answers")
    return render(request, "exchange/ad.html", context)


@require_perm("exchange.post_ad")
def ad_create(request: HttpRequest) -> HttpResponse:
    form = AdForm(request.POST or None, author=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            ad = services.ad_save(form=form, author=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Votre annonce est publiée."))
            return redirect(ad)
    return render(request, "exchange/ad_form.html", {"form": form, "creating": True})


def _ad_to_change(request, pk):
    return get_object_or_404(Ad, pk=pk)


@require_perm("exchange.change_ad", _ad_to_change)
def ad_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ad = get_object_or_404(Ad, pk=pk)
    form = AdForm(request.POST or None, instance=ad, author=ad.author)
    if request.method == "POST" and form.is_valid():
        try:
            services.ad_save(form=form, author=request.user)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Annonce modifiée."))
            return redirect(ad)
    return render(request, "exchange/ad_form.html", {"form": form, "ad": ad})


@require_POST
@require_perm("exchange.change_ad", _ad_to_change)
def ad_close(request: HttpRequest, pk: int) -> HttpResponse:
    ad = get_object_or_404(Ad, pk=pk)
    services.ad_close(ad=ad, actor=request.user)
    messages.success(request, _("Annonce close : elle ne paraît plus dans les listes."))
    return redirect(ad)


@require_perm("exchange.reply_ad")
def ad_reply(request: HttpRequest, pk: int) -> HttpResponse:
    ad = get_object_or_404(Ad.objects.live(), pk=pk)
    if ad.is_owned_by(request.user):
        return redirect(ad)
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ad_reply(
                ad=ad,
                sender=request.user,
                message=form.cleaned_data["message"],
                share_email=form.cleaned_data["share_email"],
                base_url=_base_url(request),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Message transmis à l'auteur·rice de l'annonce."))
            return redirect(ad)
    return render(request, "exchange/reply_form.html", {"form": form, "ad": ad})


@require_perm("exchange.see_suggestions")
def reply_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The author reads a reply and answers it; the answer is relayed by e-mail."""
    reply = get_object_or_404(
        AdReply.objects.select_related("ad", "sender"), pk=pk, ad__author=request.user
    )
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.ad_answer(
            reply=reply,
            author=request.user,
            message=form.cleaned_data["message"],
            base_url=_base_url(request),
        )
        messages.success(request, _("Réponse transmise."))
        return redirect(reply.ad)
    return render(
        request,
        "exchange/answer_form.html",
        {"form": form, "reply": reply, "answers": reply.answers.all()},
    )


def ad_report(request: HttpRequest, pk: int) -> HttpResponse:
    ad = _ad_for(request, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.ad_report(ad=ad, reporter=request.user, message=form.cleaned_data["message"])
        messages.success(request, _("Merci, l'équipe d'animation va examiner cette annonce."))
        return redirect(ad)
    return render(request, "exchange/report_form.html", {"form": form, "ad": ad})


@require_perm("exchange.moderate")
def moderation(request: HttpRequest) -> HttpResponse:
    reports = AdReport.objects.filter(closed_at__isnull=True).select_related("ad", "reporter")
    return render(request, "exchange/moderation.html", {"reports": reports})


@require_perm("exchange.moderate")
@require_POST
def report_decide(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(AdReport.objects.select_related("ad"), pk=pk)
    services.report_decide(
        report=report, actor=request.user, withdraw=request.POST.get("decision") == "withdraw"
    )
    messages.success(request, _("Signalement traité."))
    return redirect("exchange:moderation")


# --- Suggestions, consents, notifications --------------------------------------------


@require_perm("exchange.see_suggestions")
def dashboard(request: HttpRequest) -> HttpResponse:
    person = Person.objects.filter(user=request.user).first()
    prefs = MatchPreferences.objects.filter(user=request.user).first()
    suggestions = (
        suggestions_for_display(ItemType.PERSON, person.pk, viewer=request.user) if person else []
    )
    my_ads = Ad.objects.filter(author=request.user).order_by("-created_at")[:20]
    return render(
        request,
        "exchange/dashboard.html",
        {
            "person": person,
            "prefs": prefs,
            "suggestions": suggestions,
            "my_ads": my_ads,
            "today": timezone.localdate(),
        },
    )


@require_perm("exchange.see_suggestions")
@require_POST
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = get_object_or_404(Suggestion, pk=pk)
    if not _may_dismiss(request.user, suggestion):
        raise Http404
    services.suggestion_dismiss(suggestion=suggestion, user=request.user)
    messages.success(request, _("Suggestion écartée : elle ne reviendra pas."))
    if suggestion.source_type == ItemType.AD:
        return redirect("exchange:ad", pk=suggestion.source_id)
    if suggestion.source_type == ItemType.INITIATIVE:
        return redirect("exchange:initiative_suggestions", pk=suggestion.source_id)
    return redirect("exchange:dashboard")


def _may_dismiss(user, suggestion: Suggestion) -> bool:
    if suggestion.source_type == ItemType.PERSON:
        return Person.objects.filter(pk=suggestion.source_id, user=user).exists()
    if suggestion.source_type == ItemType.AD:
        return Ad.objects.filter(pk=suggestion.source_id, author=user).exists()
    initiative = Initiative.objects.filter(pk=suggestion.source_id).first()
    return initiative is not None and user.has_perm("exchange.initiative_suggestions", initiative)


@require_perm("exchange.see_suggestions")
def preferences(request: HttpRequest) -> HttpResponse:
    prefs = services.preferences_for(user=request.user)
    form = PreferencesForm(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(form=form, user=request.user)
        messages.success(request, _("Préférences enregistrées."))
        return redirect("exchange:dashboard")
    return render(request, "exchange/preferences.html", {"form": form})


@require_perm("exchange.see_suggestions")
def notifications(request: HttpRequest) -> HttpResponse:
    items = list(request.user.notifications.all()[:50])
    request.user.notifications.unread().update(read_at=timezone.now())
    forget_unread(request.user.pk)  # the header's badge, rendered below, says 0
    return render(request, "exchange/notifications.html", {"notifications": items})


def _initiative(request, pk):
    return get_object_or_404(Initiative, pk=pk)


@require_perm("exchange.initiative_suggestions", _initiative)
def initiative_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_object_or_404(Initiative, pk=pk)
    suggestions = suggestions_for_display(
        ItemType.INITIATIVE, initiative.pk, viewer=request.user, subject=initiative.title
    )
    return render(
        request,
        "exchange/initiative_suggestions.html",
        {"initiative": initiative, "suggestions": suggestions},
    )


# --- Introductions (facilitators) ----------------------------------------------------


def _connections(person_ids: set[int]) -> tuple[dict, set]:
    """{person: {"o12", "i3"…}} (shared organisations and initiatives) and introduced pairs."""
    links: dict[int, set[str]] = {pk: set() for pk in person_ids}
    for person, org in Membership.objects.filter(person__in=person_ids).values_list(
        "person_id", "organisation_id"
    ):
        links[person].add(f"o{org}")
    for field in ("carrier_people", "participants"):
        through = getattr(Initiative, field).through
        for initiative, person in through.objects.filter(person__in=person_ids).values_list(
            "initiative_id", "person_id"
        ):
            links[person].add(f"i{initiative}")
    introduced = {
        tuple(sorted(pair))
        for pair in Introduction.objects.filter(
            Q(person_a__in=person_ids) | Q(person_b__in=person_ids)
        ).values_list("person_a_id", "person_b_id")
    }
    return links, introduced


def strongest_pairs(limit: int = PAIRS_SHOWN) -> list[dict]:
    """The strongest suggested pairs of people that are not connected yet: suggestions
    between two profiles, and between an ad and a profile (the ad's author then)."""
    found = list(
        Suggestion.objects.filter(
            source_type__in=[ItemType.PERSON, ItemType.AD],
            target_type=ItemType.PERSON,
            dismissed=False,
        )
        .order_by("-score", "source_type", "source_id", "target_id")
        .values_list("source_type", "source_id", "target_id", "score", "reasons")[: limit * 6]
    )
    ad_ids = [source for kind, source, *_rest in found if kind == ItemType.AD]
    ad_authors = dict(
        Ad.objects.live()
        .filter(pk__in=ad_ids, author__person__isnull=False)
        .values_list("pk", "author__person__id")
    )
    rows = []
    for kind, source, target, value, reasons in found:
        if kind == ItemType.AD:
            if source not in ad_authors:
                continue
            source = ad_authors[source]
        rows.append((source, target, value, reasons))
    ids = {r[0] for r in rows} | {r[1] for r in rows}
    people = {
        p.pk: p for p in Person.objects.filter(pk__in=ids).select_related("user__match_preferences")
    }
    links, introduced = _connections(ids)
    pairs, seen = [], set()
    for a, b, value, reasons in rows:
        key = tuple(sorted((a, b)))
        if key in seen or key in introduced or a not in people or b not in people:
            continue
        seen.add(key)
        if links[a] & links[b]:
            continue
        pa, pb = people[a], people[b]
        pairs.append(
            {
                "a": pa,
                "b": pb,
                "score": value,
                "reasons": reasons_text(reasons, other=pb.name, subject=pa.name),
                "a_agrees": services.consents_to_introductions(pa),
                "b_agrees": services.consents_to_introductions(pb),
            }
        )
        if len(pairs) >= limit:
            break
    return pairs


@require_perm("exchange.introduce")
def introductions(request: HttpRequest) -> HttpResponse:
    recent = Introduction.objects.select_related("person_a", "person_b", "facilitator")[:20]
    return render(
        request, "exchange/introductions.html", {"pairs": strongest_pairs(), "recent": recent}
    )


@require_perm("exchange.introduce")
def introduce(request: HttpRequest, a: int, b: int) -> HttpResponse:
    person_a = get_object_or_404(Person.objects.select_related("user"), pk=a)
    person_b = get_object_or_404(Person.objects.select_related("user"), pk=b)
    form = IntroductionForm(
        request.POST or None,
        initial={
            "message": _(
                "Je pense que vous avez des choses à vous dire : %(a)s et %(b)s, je vous "
                "laisse faire connaissance."
            )
            % {"a": person_a.name, "b": person_b.name}
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.introduction_create(
                facilitator=request.user,
                person_a=person_a,
                person_b=person_b,
                message=form.cleaned_data["message"],
                base_url=_base_url(request),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Mise en relation envoyée aux deux personnes."))
            return redirect("exchange:introductions")
    return render(
        request,
        "exchange/introduce.html",
        {
            "form": form,
            "a": person_a,
            "b": person_b,
            "a_agrees": services.consents_to_introductions(person_a),
            "b_agrees": services.consents_to_introductions(person_b),
        },
    )


# --- Atlas -----------------------------------------------------------------------------


def _atlas(request: HttpRequest) -> tuple[AtlasFilterForm, dict]:
    form = AtlasFilterForm(request.GET)
    criteria = form.criteria()
    graph = atlas.build(
        request.user,
        theme=criteria.get("theme"),
        territory=criteria.get("territoire"),
        with_suggestions=request.user.has_perm("exchange.network_figures"),
    )
    return form, graph


def atlas_page(request: HttpRequest) -> HttpResponse:
    form, graph = _atlas(request)
    return render(
        request,
        "exchange/atlas.html",
        {
            "form": form,
            "graph": graph,
            "figures": graph["figures"],
            "show_figures": request.user.has_perm("exchange.network_figures"),
        },
    )


def atlas_data(request: HttpRequest) -> JsonResponse:
    _form, graph = _atlas(request)
    if not request.user.has_perm("exchange.network_figures"):
        graph = {k: v for k, v in graph.items() if k != "figures"}
    return JsonResponse(graph)
