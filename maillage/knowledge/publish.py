"""What the library publishes through the newsletter and opendata registries: public
experience sheets and public resources as open datasets and feeds, a letter section of the
sheets published since the previous letter, and a webhook notification when a public
sheet is published.

Imported by `maillage.opendata.apps` (the knowledge app's own `apps.py` stays untouched).
Only what an anonymous visitor reads goes out (`visible_to(AnonymousUser())`): no draft,
no members-only or working-group record. A sheet's writer appears by the display name the
sheet page already shows, never by anything drawn from an e-mail address; the people and
structures quoted in obstacles and tips stay on the site.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import F
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from maillage.forums.search import scrub
from maillage.newsletter import registry as letters
from maillage.opendata import registry
from maillage.opendata.webhooks import fire

from .models import Audience, ExperienceSheet, Resource, SheetItem, SheetStatus

ANONYMOUS = AnonymousUser()


def _names(manager) -> list[str]:
    return [item.name for item in manager.all()]


def _codes(manager) -> list[str]:
    return [f"{t.kind}:{t.code}" for t in manager.all()]


def _writer(sheet: ExperienceSheet) -> str:
    return sheet.created_by.display_name if sheet.created_by_id else ""


def _public_sheets():
    return (
        ExperienceSheet.objects.visible_to(ANONYMOUS)
        .select_related("created_by")
        .prefetch_related("themes", "territories", "items")
    )


def _public_resources():
    return Resource.objects.visible_to(ANONYMOUS).prefetch_related("themes", "territories")


def sheet_row(sheet: ExperienceSheet) -> dict:
    items = list(sheet.items.all())
    return {
        "id": sheet.pk,
        "title": sheet.title,
        "summary": sheet.summary,
        "outcome": sheet.outcome,
        "context": sheet.context,
        "actions": sheet.actions,
        "results": sheet.results,
        "differently": sheet.differently,
        "obstacles": [i.text for i in items if i.kind == SheetItem.Kind.OBSTACLE],
        "tips": [i.text for i in items if i.kind == SheetItem.Kind.TIP],
        "author": _writer(sheet),
        "themes": _names(sheet.themes),
        "territories": _codes(sheet.territories),
        "url": sheet.get_absolute_url(),
        "published_at": (sheet.published_at or sheet.created_at).isoformat(),
        "created_at": sheet.created_at.isoformat(),
    }


def resource_row(resource: Resource) -> dict:
    return {
        "id": resource.pk,
        "kind": resource.kind,
        "title": resource.title,
        "description": resource.description,
        "author": resource.author,
        "published_on": resource.published_on.isoformat(),
        "licence": resource.licence,
        "licence_url": resource.licence_url,
        "link": resource.url,
        "file_type": resource.file_type,
        "themes": _names(resource.themes),
        "territories": _codes(resource.territories),
        "url": resource.get_absolute_url(),
        "created_at": resource.created_at.isoformat(),
    }


COMMON_FIELDS = [
    ("themes", _("thématiques (noms)")),
    ("territories", _("territoires (type:code INSEE)")),
    ("url", _("adresse de la page sur le site")),
    ("created_at", _("date de création (ISO 8601)")),
]

registry.register_dataset(
    "fiches",
    _("Fiches d'expérience"),
    queryset=_public_sheets,
    row=sheet_row,
    fields=[
        ("id", _("identifiant")),
        ("title", _("titre")),
        ("summary", _("en bref")),
        ("outcome", _("issue (success, mixed, failure, ongoing)")),
        ("context", _("le contexte")),
        ("actions", _("ce qui a été fait")),
        ("results", _("les résultats")),
        ("differently", _("ce que nous ferions autrement")),
        ("obstacles", _("obstacles rencontrés")),
        ("tips", _("astuces")),
        ("author", _("nom affiché de la personne qui a écrit la fiche (vide s'il n'y en a pas)")),
        ("published_at", _("date de publication (ISO 8601)")),
        *COMMON_FIELDS,
    ],
    description=_("Les fiches d'expérience publiées et ouvertes à tout le monde."),
)
registry.register_dataset(
    "ressources",
    _("Ressources"),
    queryset=_public_resources,
    row=resource_row,
    fields=[
        ("id", _("identifiant")),
        ("kind", _("type (document, link, video)")),
        ("title", _("titre")),
        ("description", _("description")),
        ("author", _("auteur·rice (tel que crédité sur la ressource)")),
        ("published_on", _("date de la ressource")),
        ("licence", _("licence")),
        ("licence_url", _("texte de la licence")),
        ("link", _("lien externe (liens et vidéos)")),
        ("file_type", _("format du fichier (documents)")),
        *COMMON_FIELDS,
    ],
    description=_("Les ressources ouvertes à tout le monde, chacune avec sa licence."),
)


# Feeds --------------------------------------------------------------------------------


def _sheet_items():
    sheets = _public_sheets().order_by("-created_at", "-pk")[:50]
    return [
        registry.FeedItem(
            title=sheet.title,
            url=sheet.get_absolute_url(),
            description=scrub(sheet.summary or sheet.context[:500]),
            published=sheet.published_at or sheet.created_at,
            updated=sheet.updated_at,
            categories=_names(sheet.themes),
        )
        for sheet in sheets
    ]


def _licence_line(resource: Resource) -> str:
    return str(_("Licence : %(licence)s")) % {"licence": resource.get_licence_display()}


def _resource_items():
    resources = _public_resources().order_by("-created_at", "-pk")[:50]
    return [
        registry.FeedItem(
            title=resource.title,
            url=resource.get_absolute_url(),
            description="\n".join(
                part
                for part in (
                    str(_("%(kind)s de %(author)s"))
                    % {"kind": resource.get_kind_display(), "author": resource.author},
                    _licence_line(resource),
                    scrub(resource.description[:500]),
                )
                if part
            ),
            published=resource.created_at,
            updated=resource.updated_at,
            categories=_names(resource.themes),
        )
        for resource in resources
    ]


registry.register_feed(
    "fiches",
    _("Fiches d'expérience"),
    _sheet_items,
    _("Les fiches d'expérience publiées."),
)
registry.register_feed(
    "ressources",
    _("Ressources"),
    _resource_items,
    _("Les ressources ouvertes à tout le monde, avec leur licence."),
)


# Newsletter section -------------------------------------------------------------------


def _section(since, until):
    sheets = (
        _public_sheets()
        .annotate(went_public=Coalesce(F("published_at"), F("created_at")))
        .filter(went_public__gte=since, went_public__lt=until)
        .order_by("went_public", "pk")
    )
    return [
        letters.Item(
            title=sheet.title,
            url=sheet.get_absolute_url(),
            summary=scrub(sheet.summary),
            themes=[t.pk for t in sheet.themes.all()],
            territories=letters.territory_keys(sheet.territories.all()),
        )
        for sheet in sheets
    ]


letters.register("fiches", _("Fiches d'expérience"), _section, position=50)


# Webhook ------------------------------------------------------------------------------

registry.register_event("sheet.published", _("Fiche d'expérience publiée"))


def _on_sheet_saved(sender, instance: ExperienceSheet, **kwargs) -> None:
    if instance.status == SheetStatus.PUBLISHED and instance.visibility == Audience.PUBLIC:
        fire(
            "sheet.published",
            object_key=f"sheet:{instance.pk}",
            title=instance.title,
            text=instance.summary,
            url=instance.get_absolute_url(),
            label=_("Nouvelle fiche d'expérience"),
        )


post_save.connect(_on_sheet_saved, sender=ExperienceSheet, dispatch_uid="opendata_sheet")
