"""Pages of the directory: lists with criteria, detail pages, forms, moderation."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from maillage.core.permissions import require_perm

from . import services
from .duplicates import find_duplicates
from .forms import (
    ErrorReportForm,
    InitiativeFilterForm,
    InitiativeForm,
    JoinForm,
    MembershipForm,
    MergeForm,
    OrganisationFilterForm,
    OrganisationForm,
    PersonFilterForm,
    ProfileForm,
    ThemeForm,
)
from .jsonld import initiative_jsonld, organisation_jsonld, person_jsonld
from .models import (
    ErrorReport,
    Initiative,
    JoinRequest,
    Membership,
    Organisation,
    Person,
    Theme,
)
from .querysets import list_count

PAGE_SIZE = 24


class ListPaginator(Paginator):
    """A paginator whose total is exact for small lists and estimated for large ones
    (see `querysets.list_count`): the lists stay fast at 300,000 records."""

    estimated = False

    def __init__(self, *args, skewed: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.skewed = skewed

    @cached_property
    def count(self) -> int:
        total, self.estimated = list_count(self.object_list, skewed=self.skewed)
        return total


def _filtered(queryset, form):
    # An invalid criterion (a half-typed territory…) is shown as an error on the form and
    # ignored; the valid ones still apply.
    form.is_valid()
    data = form.cleaned_data
    if data.get("q"):
        from maillage.core.text import normalise

        queryset = queryset.filter(search_name__contains=normalise(data["q"]))
    if data.get("theme"):
        queryset = queryset.with_theme(data["theme"])
    if data.get("territoire"):
        queryset = queryset.in_territory(data["territoire"])
    return queryset


LISTS = {
    "people": {
        "title": _lazy("Les personnes du réseau"),
        "lead": _lazy("Ce qui les anime, ce qu'elles cherchent, ce qu'elles peuvent apporter."),
        "card_template": "directory/_person_card.html",
    },
    "resource_people": {
        "title": _lazy("Personnes ressources"),
        "lead": _lazy(
            "Le carnet d'adresses des personnes qui acceptent d'être sollicitées sur une "
            "thématique."
        ),
        "card_template": "directory/_person_card.html",
    },
    "organisations": {
        "title": _lazy("Les structures"),
        "lead": _lazy(
            "Collectivités, associations, entreprises, réseaux… qui agissent sur les territoires."
        ),
        "card_template": "directory/_organisation_card.html",
        "create": ("directory:organisation_create", _lazy("Proposer une structure")),
    },
    "initiatives": {
        "title": _lazy("Les initiatives"),
        "lead": _lazy("Les projets du réseau, et comment les rejoindre."),
        "card_template": "directory/_initiative_card.html",
        "create": ("directory:initiative_create", _lazy("Proposer une initiative")),
    },
}


def _list_page(request, name: str, queryset, form):
    # A territory criterion defeats the planner's estimate (see `_sampled_rows`).
    skewed = bool(form.is_valid() and form.cleaned_data.get("territoire"))
    paginator = ListPaginator(queryset, PAGE_SIZE, skewed=skewed)
    page = paginator.get_page(request.GET.get("page"))
    spec = LISTS[name]
    context = {
        "page": page,
        "form": form,
        "title": spec["title"],
        "lead": spec["lead"],
        "card_template": spec["card_template"],
        "action_url": reverse(f"directory:{name}"),
    }
    if "create" in spec:
        context["create_url"] = reverse(spec["create"][0])
        context["create_label"] = spec["create"][1]
    template = "directory/list.html#results" if request.htmx else "directory/list.html"
    return render(request, template, context)


def people(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET)
    queryset = _filtered(Person.objects.visible_to(request.user), form)
    if form.cleaned_data.get("ressource"):
        queryset = queryset.resource_people()
    return _list_page(request, "people", queryset.for_list(), form)


def resource_people(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET)
    queryset = _filtered(Person.objects.visible_to(request.user).resource_people(), form)
    queryset = queryset.for_list().prefetch_related("resource_themes")
    return _list_page(request, "resource_people", queryset, form)


def organisations(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET)
    queryset = _filtered(Organisation.objects.visible_to(request.user), form)
    if form.cleaned_data.get("type"):
        queryset = queryset.of_kind(form.cleaned_data["type"])
    return _list_page(request, "organisations", queryset.for_list(), form)


def initiatives(request: HttpRequest) -> HttpResponse:
    form = InitiativeFilterForm(request.GET)
    queryset = _filtered(Initiative.objects.visible_to(request.user), form)
    if form.cleaned_data.get("avancement"):
        queryset = queryset.with_progress(form.cleaned_data["avancement"])
    return _list_page(request, "initiatives", queryset.for_list(), form)


def networks(request: HttpRequest) -> HttpResponse:
    """Who's who of networks: each network with the members who said they belong to it."""
    visible_people = Person.objects.visible_to(request.user)
    memberships = Membership.objects.filter(person__in=visible_people).select_related("person")
    queryset = (
        Organisation.objects.visible_to(request.user)
        .networks()
        .prefetch_related(
            Prefetch("memberships", queryset=memberships, to_attr="visible_memberships")
        )
        .annotate(
            member_count=Count("memberships", filter=Q(memberships__person__in=visible_people))
        )
        .order_by("search_name")
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "directory/networks.html", {"page": page})


def _visible_or_404(queryset, viewer, pk):
    record = get_object_or_404(queryset.visible_to(viewer), pk=pk)
    return record


def person(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Person.objects.visible_to(request.user).for_list(), pk=pk)
    visible_orgs = Organisation.objects.visible_to(request.user).filter(memberships__person=record)
    memberships = Membership.objects.filter(
        person=record, organisation__in=visible_orgs
    ).select_related("organisation")
    carried = Initiative.objects.visible_to(request.user).filter(carrier_people=record)
    return render(
        request,
        "directory/person.html",
        {
            "person": record,
            "contacts": record.visible_contacts(request.user),
            "memberships": memberships,
            "carried": carried,
            "jsonld": person_jsonld(record, request),
            "can_edit": request.user.has_perm("directory.change_person", record),
            "is_owner": record.is_owned_by(request.user),
        },
    )


def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Organisation.objects.visible_to(request.user).for_list(), pk=pk)
    visible_people = Person.objects.visible_to(request.user)
    memberships = record.memberships.filter(person__in=visible_people).select_related("person")
    is_member_here = request.user.is_authenticated and any(
        m.person.user_id == request.user.pk for m in memberships
    )
    return render(
        request,
        "directory/organisation.html",
        {
            "membership_form": MembershipForm(),
            "can_join": request.user.has_perm("directory.join_organisation")
            and record.is_published
            and not is_member_here,
            "organisation": record,
            "contacts": record.visible_contacts(request.user),
            "memberships": memberships,
            "carried": Initiative.objects.visible_to(request.user).filter(
                carrier_organisations=record
            ),
            "jsonld": organisation_jsonld(record, request),
            "can_edit": request.user.has_perm("directory.change_organisation", record),
            "can_merge": request.user.has_perm("directory.merge"),
        },
    )


def initiative(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Initiative.objects.visible_to(request.user).for_list(), pk=pk)
    visible_people = Person.objects.visible_to(request.user)
    can_decide = request.user.has_perm("directory.decide_join", record)
    my_request = None
    if request.user.is_authenticated:
        my_request = JoinRequest.objects.filter(
            initiative=record, person__user=request.user
        ).first()
    return render(
        request,
        "directory/initiative.html",
        {
            "initiative": record,
            "carriers": record.carrier_people.filter(pk__in=visible_people.values("pk")),
            "participants": record.participants.filter(pk__in=visible_people.values("pk")),
            "pending": record.join_requests.filter(state="pending").select_related("person")
            if can_decide
            else [],
            "my_request": my_request,
            "join_form": JoinForm(),
            "jsonld": initiative_jsonld(record, request),
            "can_edit": request.user.has_perm("directory.change_initiative", record),
            "can_join": request.user.has_perm("directory.join_initiative"),
            "can_merge": request.user.has_perm("directory.merge"),
        },
    )


@require_perm("directory.edit_profile")
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    record = services.person_for_user(user=request.user)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=record)
    if request.method == "POST" and form.is_valid():
        services.record_save(form=form, actor=request.user, action="person")
        messages.success(request, _("Votre profil est enregistré."))
        return redirect(record)
    return render(request, "directory/profile_form.html", {"form": form, "person": record})


def _deny(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Facilitators correct anyone's profile; members are sent to their own form."""
    record = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    if record.is_owned_by(request.user):
        return redirect("directory:profile_edit")
    if not request.user.has_perm("directory.change_person", record):
        return _deny(request)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=record)
    if request.method == "POST" and form.is_valid():
        services.record_save(form=form, actor=request.user, action="person")
        messages.success(request, _("Le profil est enregistré."))
        return redirect(record)
    return render(request, "directory/profile_form.html", {"form": form, "person": record})


@require_perm("directory.join_organisation")
@require_POST
def organisation_join(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Organisation.objects.published(), pk=pk)
    form = MembershipForm(request.POST)
    if form.is_valid():
        services.membership_add(
            organisation=record,
            person=services.person_for_user(user=request.user),
            role=form.cleaned_data["role"],
            actor=request.user,
        )
        messages.success(request, _("Vous apparaissez désormais parmi les personnes liées."))
    return redirect(record)


@require_POST
def membership_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("organisation", "person"), pk=pk
    )
    allowed = membership.person.is_owned_by(request.user) or request.user.has_perm(
        "directory.change_organisation", membership.organisation
    )
    if not allowed:
        return _deny(request)
    services.membership_remove(membership=membership, actor=request.user)
    return redirect(membership.organisation)


def _record_form(request, *, model_form, instance, action, template, title):
    form = model_form(
        request.POST or None, request.FILES or None, instance=instance, actor=request.user
    )
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if instance is None and not request.POST.get("confirm_not_duplicate"):
            duplicates = find_duplicates(
                model_form._meta.model,
                name=data.get("name") or data.get("title") or "",
                commune=data.get("commune"),
                website=data.get("website") or "",
                siren=data.get("siren") or "",
            )
        if not duplicates:
            record = services.record_save(form=form, actor=request.user, action=action)
            if record.is_published:
                messages.success(request, _("La fiche est enregistrée."))
                return redirect(record)
            messages.success(
                request,
                _(
                    "Merci ! Votre proposition sera publiée après validation par l'équipe "
                    "d'animation."
                ),
            )
            if record.created_by_id:
                return redirect(record)
            return redirect(
                "directory:initiatives" if action == "initiative" else "directory:organisations"
            )
    return render(
        request,
        template,
        {"form": form, "record": instance, "duplicates": duplicates, "title": title},
    )


@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    return _record_form(
        request,
        model_form=OrganisationForm,
        instance=None,
        action="organisation",
        template="directory/record_form.html",
        title=_("Proposer une structure"),
    )


@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Organisation.objects.exclude(status="rejected"), pk=pk)
    if not request.user.has_perm("directory.change_organisation", record):
        return _deny(request)
    return _record_form(
        request,
        model_form=OrganisationForm,
        instance=record,
        action="organisation",
        template="directory/record_form.html",
        title=_("Modifier la structure"),
    )


@require_http_methods(["GET", "POST"])
def initiative_create(request: HttpRequest) -> HttpResponse:
    return _record_form(
        request,
        model_form=InitiativeForm,
        instance=None,
        action="initiative",
        template="directory/record_form.html",
        title=_("Proposer une initiative"),
    )


@require_http_methods(["GET", "POST"])
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Initiative.objects.exclude(status="rejected"), pk=pk)
    if not request.user.has_perm("directory.change_initiative", record):
        return _deny(request)
    return _record_form(
        request,
        model_form=InitiativeForm,
        instance=record,
        action="initiative",
        template="directory/record_form.html",
        title=_("Modifier l'initiative"),
    )


@require_perm("directory.join_initiative")
@require_POST
def initiative_join(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(Initiative.objects.published(), pk=pk)
    form = JoinForm(request.POST)
    if form.is_valid():
        person = services.person_for_user(user=request.user)
        services.join_request_create(
            initiative=record, person=person, message=form.cleaned_data["message"]
        )
        messages.success(request, _("Votre demande est envoyée aux porteur·euses de l'initiative."))
    return redirect(record)


@require_POST
def join_decide(request: HttpRequest, pk: int) -> HttpResponse:
    join_request = get_object_or_404(JoinRequest.objects.select_related("initiative"), pk=pk)
    if not request.user.has_perm("directory.decide_join", join_request.initiative):
        return _deny(request)
    accept = request.POST.get("decision") == "accept"
    services.join_request_decide(join_request=join_request, actor=request.user, accept=accept)
    return redirect(join_request.initiative)


RECORD_MODELS = {"structure": Organisation, "initiative": Initiative, "personne": Person}


def _record(kind: str, pk: int, viewer):
    model = RECORD_MODELS.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model.objects.visible_to(viewer), pk=pk)


@require_http_methods(["GET", "POST"])
def report_error(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    record = _record(kind, pk, request.user)
    form = ErrorReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.error_report_create(
            record=record, message=form.cleaned_data["message"], reporter=request.user
        )
        messages.success(request, _("Merci, l'équipe d'animation va vérifier."))
        return redirect(record)
    return render(request, "directory/report_form.html", {"form": form, "record": record})


@require_perm("directory.moderate")
def moderation(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/moderation.html",
        {
            "organisations": Organisation.objects.proposed()
            .select_related("created_by", "commune")
            .prefetch_related("themes", "territories"),
            "initiatives": Initiative.objects.proposed()
            .select_related("created_by", "commune")
            .prefetch_related("themes", "territories"),
            "reports": ErrorReport.objects.filter(closed_at__isnull=True).select_related(
                "reporter"
            ),
        },
    )


@require_perm("directory.moderate")
@require_POST
def moderate(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = {"structure": Organisation, "initiative": Initiative}.get(kind)
    if model is None:
        raise Http404
    record = get_object_or_404(model.objects.proposed(), pk=pk)
    accept = request.POST.get("decision") == "accept"
    services.record_moderate(record=record, actor=request.user, accept=accept)
    if accept:
        messages.success(request, _("La fiche « %(name)s » est publiée.") % {"name": record})
    else:
        messages.success(request, _("La fiche « %(name)s » est refusée.") % {"name": record})
    return redirect("directory:moderation")


@require_perm("directory.moderate")
@require_POST
def report_close(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(ErrorReport, pk=pk, closed_at__isnull=True)
    services.error_report_close(report=report, actor=request.user)
    return redirect("directory:moderation")


@require_perm("directory.merge")
@require_http_methods(["GET", "POST"])
def merge(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = {"structure": Organisation, "initiative": Initiative}.get(kind)
    if model is None:
        raise Http404
    survivor = get_object_or_404(model.objects.exclude(status="rejected"), pk=pk)
    form = MergeForm(request.POST or request.GET or None)
    other = None
    if form.is_valid():
        other = (
            model.objects.exclude(status="rejected").filter(pk=form.cleaned_data["other"]).first()
        )
        if other is None or other.pk == survivor.pk:
            form.add_error("other", _("Aucune autre fiche de ce type ne porte ce numéro."))
            other = None
        elif request.method == "POST" and request.POST.get("confirm"):
            services.records_merge(survivor=survivor, duplicate=other, actor=request.user)
            messages.success(request, _("Les deux fiches sont fusionnées."))
            return redirect(survivor)
    name = survivor.title if isinstance(survivor, Initiative) else survivor.name
    duplicates = find_duplicates(
        model,
        name=name,
        commune=survivor.commune,
        website=survivor.website,
        siren=getattr(survivor, "siren", ""),
        exclude_pk=survivor.pk,
    )
    return render(
        request,
        "directory/merge.html",
        {"record": survivor, "other": other, "form": form, "duplicates": duplicates, "kind": kind},
    )


@require_perm("directory.manage_themes")
@require_http_methods(["GET", "POST"])
def themes(request: HttpRequest) -> HttpResponse:
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        theme = form.save()
        from maillage.core.audit import log_action

        log_action(actor=request.user, action="theme.create", obj=theme)
        messages.success(request, _("La thématique « %(name)s » est ajoutée.") % {"name": theme})
        return redirect("directory:themes")
    return render(
        request,
        "directory/themes.html",
        {"themes": Theme.objects.with_counts(), "form": form},
    )


@require_perm("directory.manage_themes")
@require_http_methods(["GET", "POST"])
def theme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    theme = get_object_or_404(Theme, pk=pk)
    form = ThemeForm(request.POST or None, instance=theme)
    if request.method == "POST":
        if request.POST.get("delete"):
            from maillage.core.audit import log_action

            log_action(actor=request.user, action="theme.delete", data={"name": theme.name})
            theme.delete()
            messages.success(request, _("La thématique est supprimée."))
            return redirect("directory:themes")
        if form.is_valid():
            form.save()
            messages.success(request, _("La thématique est enregistrée."))
            return redirect("directory:themes")
    return render(request, "directory/theme_form.html", {"form": form, "theme": theme})
