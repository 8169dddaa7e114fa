"""Pages of imports: upload and list, review (source beside the draft), progress,
accept, invitations, and the claim page reached from the invitation's signed link."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from maillage.core.forms import MAX_ID
from maillage.core.permissions import require_perm

from . import services
from .forms import UploadForm
from .models import DocumentImport, ImportedContact, ImportedFollowUp, ImportStatus

PAGE_SIZE = 20


def _document(pk: int) -> DocumentImport:
    if pk > MAX_ID:
        raise Http404
    return get_object_or_404(DocumentImport, pk=pk)


@require_perm("imports.manage")
@require_http_methods(["GET", "POST"])
def import_list(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.import_start(
                text=data["read_text"],
                source_format=data["read_format"],
                file_name=data["file_name"],
                actor=request.user,
            )
        except services.DuplicateImport as duplicate:
            when = duplicate.existing.created_at.strftime("%d/%m/%Y")
            if duplicate.near:
                message = _(
                    "Un document presque identique (%(percent)s %% du texte en commun) a "
                    "déjà été importé le %(date)s : rien n'a été créé une deuxième fois."
                ) % {"percent": int(duplicate.similarity * 100), "date": when}
            else:
                message = _(
                    "Ce document a déjà été importé le %(date)s : "
                    "rien n'a été créé une deuxième fois."
                ) % {"date": when}
            messages.warning(request, message)
            return redirect(duplicate.existing)
        return redirect(document)
    imports = DocumentImport.objects.for_list()
    page = Paginator(imports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/list.html",
        {"form": form, "page": page},
        status=400 if form.errors else 200,
    )


def _review_context(document: DocumentImport, errors=None) -> dict:
    context = {"document": document, "errors": errors or []}
    if document.status == ImportStatus.REVIEW:
        context["matches"] = services.describe_matches(document.draft)
        context["unplaced"] = {line["line"] for line in document.draft.get("unplaced", [])}
    if document.is_accepted:
        context["contacts"] = services.people_of(document)
        context["groups"] = _accepted_groups(document)
    return context


def _accepted_groups(document: DocumentImport):
    from maillage.forums.models import Group

    return (
        Group.objects.filter(pk__in=document.result.get("groups", []))
        .prefetch_related("imported_followups__person", "imported_followups__organisation")
        .order_by("number")
    )


@require_perm("imports.manage")
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(pk)
    if request.method == "POST":
        try:
            services.import_review_save(document=document, data=request.POST, actor=request.user)
        except ValidationError as error:
            document.refresh_from_db()
            return render(
                request,
                "imports/review.html",
                _review_context(document, error.messages),
                status=400,
            )
        messages.success(request, _("Corrections enregistrées."))
        return redirect(document)
    return render(request, "imports/review.html", _review_context(document))


@require_perm("imports.manage")
def status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of the draft's extraction (polled by htmx while it runs)."""
    document = _document(pk)
    if not document.is_pending and request.htmx:
        return HttpResponseClientRedirect(document.get_absolute_url())
    return render(request, "imports/review.html#progress", {"document": document})


@require_perm("imports.manage")
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(pk)
    try:
        if document.status == ImportStatus.REVIEW:
            services.import_review_save(document=document, data=request.POST, actor=request.user)
        event = services.import_accept(document=document, actor=request.user)
    except ValidationError as error:
        document.refresh_from_db()
        return render(
            request, "imports/review.html", _review_context(document, error.messages), status=400
        )
    messages.success(
        request,
        _(
            "Import accepté : la rencontre « %(title)s » et ce qui en dépend ont été créés. "
            "Rien n'est encore public : la rencontre (avec ses groupes) et les fiches sont "
            "des brouillons, les structures attendent la modération ; publiez-les une fois "
            "relues."
        )
        % {"title": event.title},
    )
    document.refresh_from_db(fields=["result"])
    refused = document.result.get("refused_names", 0)
    if refused:
        messages.warning(
            request,
            ngettext(
                "%(n)s nom a été écarté : il contenait une adresse ou un numéro de téléphone.",
                "%(n)s noms ont été écartés : ils contenaient une adresse ou un numéro de "
                "téléphone.",
                refused,
            )
            % {"n": refused},
        )
    return redirect(document)


@require_perm("imports.manage")
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(pk)
    try:
        services.import_delete(document=document, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(document)
    messages.success(request, _("Import supprimé ; rien n'a été créé."))
    return redirect("imports:list")


@require_perm("imports.manage")
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    if pk > MAX_ID:
        raise Http404
    contact = get_object_or_404(ImportedContact.objects.select_related("person"), pk=pk)
    try:
        services.contact_invite(
            contact=contact, actor=request.user, base_url=request.build_absolute_uri("/")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Invitation envoyée à %(name)s.") % {"name": contact.person.name}
        )
    return redirect(contact.document)


@require_http_methods(["GET", "POST"])
def claim(request: HttpRequest, token: str) -> HttpResponse:
    """An imported person confirms their profile, or asks to be forgotten."""
    contact = services.contact_from_token(token)
    if contact is None:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "forget":
            try:
                services.contact_forget(contact=contact)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("imports:claim", token=token)
            return render(request, "imports/forgotten.html")
        if action == "claim":
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            try:
                services.contact_claim(contact=contact, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("imports:claim", token=token)
            messages.success(request, _("Votre profil est confirmé : complétez-le à votre guise."))
            return redirect("imports:claim", token=token)
    person = contact.person
    mine = request.user.is_authenticated and person.user_id == request.user.pk
    # The groups the report lists this person for: they sign up themselves, choosing
    # which contacts to share (the import never does it for them).
    groups = (
        [f.group for f in ImportedFollowUp.objects.filter(person=person).select_related("group")]
        if mine
        else []
    )
    return render(
        request,
        "imports/claim.html",
        {"contact": contact, "person": person, "mine": mine, "groups": groups},
    )
