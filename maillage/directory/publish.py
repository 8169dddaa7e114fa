"""What the directory publishes through the newsletter and opendata registries: public
organisations, initiatives and people as open datasets, feeds and letter sections (people
only when they ticked `announce_in_letter` on a public profile), and
webhook notifications when an organisation or initiative is published.

Imported by `maillage.opendata.apps` and `maillage.newsletter.apps` (so that the
directory's own `apps.py` stays untouched). Contact fields go out only when their owner
made them public: they are read through `visible_contacts(AnonymousUser())`.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from maillage.newsletter import registry as letters
from maillage.opendata import registry
from maillage.opendata.webhooks import fire

from .models import Initiative, Moderation, Organisation, Person

ANONYMOUS = AnonymousUser()
CONTACT_COLUMNS = ("email", "phone", "address", "website", "social_links")


def _names(manager) -> list[str]:
    return [item.name for item in manager.all()]


def _codes(manager) -> list[str]:
    return [f"{t.kind}:{t.code}" for t in manager.all()]


def _contacts(record) -> dict:
    visible = record.visible_contacts(ANONYMOUS)
    return {name: visible.get(name, "") for name in CONTACT_COLUMNS}


def _commune(record) -> dict:
    commune = record.commune
    return {
        "commune": commune.name if commune else "",
        "commune_code": commune.code if commune else "",
    }


def organisation_row(organisation: Organisation) -> dict:
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "kind": organisation.kind,
        "siren": organisation.siren,
        "presentation": organisation.presentation,
        "themes": _names(organisation.themes),
        "territories": _codes(organisation.territories),
        **_commune(organisation),
        "latitude": organisation.latitude,
        "longitude": organisation.longitude,
        **_contacts(organisation),
        "url": organisation.get_absolute_url(),
        "created_at": organisation.created_at.isoformat(),
        "updated_at": organisation.updated_at.isoformat(),
    }


def initiative_row(initiative: Initiative) -> dict:
    return {
        "id": initiative.pk,
        "title": initiative.title,
        "summary": initiative.summary,
        "description": initiative.description,
        "progress": initiative.progress,
        "website": initiative.website,
        "needs": initiative.needs,
        "themes": _names(initiative.themes),
        "territories": _codes(initiative.territories),
        "carrier_organisations": [o.name for o in initiative.carrier_organisations.all()],
        **_commune(initiative),
        "latitude": initiative.latitude,
        "longitude": initiative.longitude,
        "url": initiative.get_absolute_url(),
        "created_at": initiative.created_at.isoformat(),
        "updated_at": initiative.updated_at.isoformat(),
    }


def person_row(person: Person) -> dict:
    return {
        "id": person.pk,
        "name": person.name,
        "presentation": person.presentation,
        "offers": person.offers,
        "is_resource_person": person.is_resource_person,
        "themes": _names(person.themes),
        "territories": _codes(person.territories),
        **_contacts(person),
        "url": person.get_absolute_url(),
        "created_at": person.created_at.isoformat(),
    }


def _point(record):
    return (record.longitude, record.latitude)


COMMON_FIELDS = [
    ("themes", _("thématiques (noms)")),
    ("territories", _("territoires d'action (type:code INSEE)")),
    ("url", _("adresse de la fiche sur le site")),
    ("created_at", _("date de création (ISO 8601)")),
]
CONTACT_FIELDS = [
    (name, _("publié seulement si son ou sa titulaire l'a rendu public"))
    for name in CONTACT_COLUMNS
]


def _public_people():
    return (
        Person.objects.visible_to(ANONYMOUS)
        .filter(visibility="public")
        .prefetch_related("themes", "territories")
    )


registry.register_dataset(
    "structures",
    _("Structures"),
    queryset=lambda: (
        Organisation.objects.published()
        .select_related("commune")
        .prefetch_related("themes", "territories")
    ),
    row=organisation_row,
    point=_point,
    fields=[
        ("id", _("identifiant")),
        ("name", _("nom")),
        ("kind", _("type de structure")),
        ("siren", _("numéro SIREN")),
        ("presentation", _("présentation")),
        ("commune", _("commune du lieu principal")),
        ("commune_code", _("code INSEE de la commune")),
        ("latitude", _("latitude (WGS 84)")),
        ("longitude", _("longitude (WGS 84)")),
        *CONTACT_FIELDS,
        *COMMON_FIELDS,
        ("updated_at", _("dernière modification")),
    ],
    description=_("Associations, collectivités, entreprises… publiées dans l'annuaire."),
)
registry.register_dataset(
    "initiatives",
    _("Initiatives"),
    queryset=lambda: (
        Initiative.objects.published()
        .select_related("commune")
        .prefetch_related("themes", "territories", "carrier_organisations")
    ),
    row=initiative_row,
    point=_point,
    fields=[
        ("id", _("identifiant")),
        ("title", _("titre")),
        ("summary", _("résumé")),
        ("description", _("description")),
        ("progress", _("avancement (idea, ongoing, paused, finished, abandoned)")),
        ("website", _("site web")),
        ("needs", _("besoins")),
        ("carrier_organisations", _("structures porteuses")),
        ("commune", _("commune du lieu principal")),
        ("commune_code", _("code INSEE de la commune")),
        ("latitude", _("latitude (WGS 84)")),
        ("longitude", _("longitude (WGS 84)")),
        *COMMON_FIELDS,
        ("updated_at", _("dernière modification")),
    ],
    description=_("Les initiatives publiées du réseau."),
)
registry.register_dataset(
    "personnes",
    _("Personnes"),
    queryset=_public_people,
    row=person_row,
    fields=[
        ("id", _("identifiant")),
        ("name", _("nom")),
        ("presentation", _("présentation")),
        ("offers", _("ce que la personne peut apporter")),
        ("is_resource_person", _("personne ressource")),
        *CONTACT_FIELDS,
        *COMMON_FIELDS,
    ],
    description=_("Les seuls profils que leurs titulaires ont rendus publics."),
)


# Feeds --------------------------------------------------------------------------------


def _initiative_items():
    records = Initiative.objects.published().prefetch_related("themes").order_by("-created_at")
    return [
        registry.FeedItem(
            title=i.title,
            url=i.get_absolute_url(),
            description=i.summary,
            published=i.created_at,
            updated=i.updated_at,
            categories=_names(i.themes),
        )
        for i in records[:50]
    ]


def _organisation_items():
    records = Organisation.objects.published().prefetch_related("themes").order_by("-created_at")
    return [
        registry.FeedItem(
            title=o.name,
            url=o.get_absolute_url(),
            description=o.presentation[:500],
            published=o.created_at,
            updated=o.updated_at,
            categories=_names(o.themes),
        )
        for o in records[:50]
    ]


registry.register_feed(
    "initiatives", _("Nouvelles initiatives"), _initiative_items, _("Les initiatives publiées.")
)
registry.register_feed(
    "structures", _("Nouvelles structures"), _organisation_items, _("Les structures publiées.")
)


# Newsletter sections ------------------------------------------------------------------


def _territory_ids(record) -> list[int]:
    territories = list(record.territories.all())
    if record.commune_id:
        territories.append(record.commune)
    return letters.territory_keys(territories)


def _new(model, since, until):
    return (
        model.objects.published()
        .filter(created_at__gte=since, created_at__lt=until)
        .select_related("commune")
        .prefetch_related("themes", "territories")
        .order_by("created_at", "pk")
    )


def _organisation_section(since, until):
    return [
        letters.Item(
            title=o.name,
            url=o.get_absolute_url(),
            summary=o.presentation[:300],
            place=o.commune.name if o.commune_id else "",
            themes=[t.pk for t in o.themes.all()],
            territories=_territory_ids(o),
        )
        for o in _new(Organisation, since, until)
    ]


def _initiative_section(since, until):
    return [
        letters.Item(
            title=i.title,
            url=i.get_absolute_url(),
            summary=i.summary,
            place=i.commune.name if i.commune_id else "",
            themes=[t.pk for t in i.themes.all()],
            territories=_territory_ids(i),
        )
        for i in _new(Initiative, since, until)
    ]


def _announced_people(since, until):
    """Members who ticked `announce_in_letter` and whose profile anyone may read: a letter
    is public once sent, so a members-only or private profile never goes out."""
    return (
        Person.objects.visible_to(ANONYMOUS)
        .filter(
            announce_in_letter=True,
            visibility="public",
            user__is_active=True,
            created_at__gte=since,
            created_at__lt=until,
        )
        .prefetch_related("themes", "territories")
        .order_by("created_at", "pk")
    )


def _person_section(since, until):
    # Name, presentation, themes and territories only: no contact field is read here.
    return [
        letters.Item(
            title=p.name,
            url=p.get_absolute_url(),
            summary=p.presentation[:300],
            place=", ".join(t.name for t in p.territories.all()),
            themes=[t.pk for t in p.themes.all()],
            territories=letters.territory_keys(p.territories.all()),
        )
        for p in _announced_people(since, until)
    ]


letters.register(
    "structures", _("Nouvelles structures du réseau"), _organisation_section, position=10
)
letters.register("initiatives", _("Nouvelles initiatives"), _initiative_section, position=20)
letters.register("membres", _("Nouveaux membres"), _person_section, position=25)


# Webhooks -----------------------------------------------------------------------------

registry.register_event("initiative.published", _("Initiative publiée"))
registry.register_event("organisation.published", _("Structure publiée"))


def _on_initiative_saved(sender, instance: Initiative, **kwargs) -> None:
    if instance.status == Moderation.PUBLISHED:
        fire(
            "initiative.published",
            object_key=f"initiative:{instance.pk}",
            title=instance.title,
            text=instance.summary,
            url=reverse("directory:initiative", args=[instance.pk]),
            label=_("Nouvelle initiative"),
        )


def _on_organisation_saved(sender, instance: Organisation, **kwargs) -> None:
    if instance.status == Moderation.PUBLISHED:
        fire(
            "organisation.published",
            object_key=f"organisation:{instance.pk}",
            title=instance.name,
            text=instance.presentation[:300],
            url=reverse("directory:organisation", args=[instance.pk]),
            label=_("Nouvelle structure"),
        )


post_save.connect(_on_initiative_saved, sender=Initiative, dispatch_uid="opendata_initiative")
post_save.connect(_on_organisation_saved, sender=Organisation, dispatch_uid="opendata_organisation")


# The members' weekly digest: new initiatives of their territories and themes ----------


def _digest_initiatives(user, since, until):
    person = Person.objects.filter(user=user).prefetch_related("territories", "themes").first()
    if person is None:
        return []
    themes = {t.pk for t in person.themes.all()}
    territories = {t.pk for t in person.territories.all()}
    if not themes and not territories:
        return []
    items = _initiative_section(since, until)
    return [i for i in items if letters.matches(vars(i), themes, territories)]


letters.register_digest(
    "initiatives", _("Nouvelles initiatives pour vous"), _digest_initiatives, position=20
)
