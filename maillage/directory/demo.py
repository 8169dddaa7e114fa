"""Demo directory: profiles for the demo members, organisations and initiatives spread over
real French communes, with contact fields of every visibility (so that privacy shows)."""

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from maillage.accounts.models import User
from maillage.core import demo_texts
from maillage.core.demo import DemoContext, register
from maillage.core.text import normalise

from .models import (
    Initiative,
    InitiativeStatus,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    Theme,
    Visibility,
)

BATCH = 2000
# The demo network lives mostly in the south-west, with members elsewhere in France.
HOME_DEPARTEMENTS = ["81", "11", "31", "34", "12", "82", "09", "26"]

DRIVES = [
    "Que chaque habitant·e puisse peser sur les décisions qui le concernent.",
    "Relocaliser l'alimentation et redonner du sens au travail agricole.",
    "Faire de la sobriété énergétique une aventure collective, pas une contrainte.",
    "Recréer du lien entre générations dans les villages.",
    "Montrer que la coopération entre collectivités et associations est possible.",
    "Partager ce qui marche… et ce qui n'a pas marché.",
    "Rendre la mobilité possible sans voiture individuelle en zone rurale.",
    "Protéger la biodiversité ordinaire, celle du bord des chemins.",
]
SEEKS = [
    "Des retours d'expérience sur les budgets participatifs.",
    "Une personne pour animer des réunions publiques.",
    "Des partenaires pour une centrale villageoise photovoltaïque.",
    "Un lieu pour accueillir un atelier de réparation de vélos.",
    "Des producteurs pour approvisionner une cantine scolaire.",
    "Des outils libres pour cartographier les initiatives du territoire.",
    "Des bénévoles pour un jardin partagé.",
    "Un financement pour un tiers-lieu.",
]
OFFERS = [
    "Facilitation et animation de réunions (forum ouvert, world café).",
    "Montage de dossiers de subventions et d'appels à projets.",
    "Connaissance des marchés publics et de la commande publique.",
    "Cartographie et logiciels libres.",
    "Maraîchage biologique et compostage.",
    "Communication et réseaux sociaux pour les associations.",
    "Droit des associations et des coopératives (SCIC, SCOP).",
    "Diagnostic énergétique des bâtiments publics.",
]
ROLES = [
    "Présidente",
    "Chargé de mission",
    "Bénévole",
    "Co-fondatrice",
    "Élu délégué",
    "Coordinatrice",
]
ORG_PATTERNS = [
    (OrganisationKind.ASSOCIATION, "Les Jardins partagés de {c}"),
    (OrganisationKind.ASSOCIATION, "Atelier vélo solidaire de {c}"),
    (OrganisationKind.ASSOCIATION, "{c} en transition"),
    (OrganisationKind.COLLECTIVITE, "Mairie de {c}"),
    (OrganisationKind.SCOP_SCIC, "SCIC Énergies citoyennes de {c}"),
    (OrganisationKind.ENTREPRISE, "Épicerie coopérative de {c}"),
    (OrganisationKind.COLLECTIF, "Collectif des habitant·es de {c}"),
    (OrganisationKind.RESEAU, "Réseau des acteurs de la transition — {c}"),
    (OrganisationKind.FORMATION_RECHERCHE, "Lycée agricole de {c}"),
]
INITIATIVE_PATTERNS = [
    ("Régie alimentaire de {c}", "Une régie municipale qui produit des légumes pour la cantine."),
    (
        "Centrale villageoise de {c}",
        "Des toitures solaires financées et gérées par les habitant·es.",
    ),
    (
        "Budget participatif de {c}",
        "Les habitant·es proposent et votent des projets pour leur commune.",
    ),
    ("Tiers-lieu de {c}", "Un lieu ouvert pour travailler, réparer, apprendre et se rencontrer."),
    (
        "Covoiturage solidaire de {c}",
        "Une plateforme et des conducteurs bénévoles pour les trajets du quotidien.",
    ),
    ("Repair café de {c}", "Un samedi par mois, on répare ensemble au lieu de jeter."),
    (
        "Conseil citoyen de {c}",
        "Une assemblée tirée au sort qui éclaire les décisions municipales.",
    ),
    ("Haies et chemins de {c}", "Replanter des haies champêtres avec les agriculteurs et l'école."),
]


def _communes(ctx: DemoContext):
    from maillage.territories.models import Territory

    if "communes" not in ctx.shared:
        home = list(
            Territory.objects.communes()
            .filter(departement__code__in=HOME_DEPARTEMENTS, latitude__isnull=False)
            .order_by("code")
        )
        everywhere = list(
            Territory.objects.communes().filter(latitude__isnull=False).order_by("code")[::20]
        )
        ctx.shared["communes"] = (home, everywhere)
    return ctx.shared["communes"]


def _pick_commune(ctx: DemoContext):
    home, everywhere = _communes(ctx)
    pool = home if (home and ctx.rng.random() < 0.8) or not everywhere else everywhere
    return ctx.rng.choice(pool)


def _visibility(ctx: DemoContext, public_share: float) -> str:
    draw = ctx.rng.random()
    if draw < public_share:
        return Visibility.PUBLIC
    if draw < public_share + 0.3:
        return Visibility.MEMBERS
    return Visibility.PRIVATE


def _people(ctx: DemoContext, themes: list[Theme]) -> None:
    emails = [email for email, _name in ctx.shared.get("people", [])]
    from maillage.accounts.demo import DEMO_LOGINS

    emails += [email for email, _name, _role in DEMO_LOGINS]
    users = User.objects.filter(email__in=emails, person__isnull=True).values_list(
        "pk", "display_name", "email"
    )
    created = []
    for start in tqdm(
        range(0, len(emails), BATCH), desc="profils", unit="lot", disable=len(emails) < BATCH
    ):
        chunk = list(users.filter(email__in=emails[start : start + BATCH]))
        persons = []
        for pk, name, email in chunk:
            persons.append(
                Person(
                    user_id=pk,
                    name=name,
                    search_name=normalise(name),
                    presentation=demo_texts.person_presentation(
                        ctx.rng, _pick_commune(ctx).name, ctx.rng.choice(ROLES)
                    ),
                    drives=ctx.rng.choice(DRIVES),
                    seeks=ctx.rng.choice(SEEKS),
                    offers=ctx.rng.choice(OFFERS),
                    visibility=_visibility(ctx, 0.5),
                    is_resource_person=ctx.rng.random() < 0.15,
                    on_map=ctx.rng.random() < 0.3,
                    email=email,
                    email_visibility=_visibility(ctx, 0.1),
                    phone=ctx.fake.phone_number(),
                    phone_visibility=_visibility(ctx, 0.05),
                    address=ctx.fake.address(),
                    address_visibility=_visibility(ctx, 0.02),
                )
            )
        with transaction.atomic():
            Person.objects.bulk_create(persons, ignore_conflicts=True)
            saved = Person.objects.filter(user_id__in=[pk for pk, _n, _e in chunk])
            _link_themes_and_places(ctx, Person, saved, themes)
            created.extend(saved.values_list("pk", flat=True))
    ctx.say(f"Annuaire : {Person.objects.count()} profils.")


def _link_themes_and_places(ctx, model, records, themes) -> None:
    theme_rows, place_rows = [], []
    owner = f"{model._meta.model_name}_id"
    for record in records:
        for theme in ctx.rng.sample(themes, k=min(len(themes), ctx.rng.randint(1, 3))):
            theme_rows.append(model.themes.through(**{owner: record.pk, "theme_id": theme.pk}))
        commune = getattr(record, "commune", None) or _pick_commune(ctx)
        place_rows.append(
            model.territories.through(**{owner: record.pk, "territory_id": commune.pk})
        )
        if commune.departement_id and ctx.rng.random() < 0.3:
            place_rows.append(
                model.territories.through(
                    **{owner: record.pk, "territory_id": commune.departement_id}
                )
            )
    model.themes.through.objects.bulk_create(theme_rows, ignore_conflicts=True)
    model.territories.through.objects.bulk_create(place_rows, ignore_conflicts=True)


def _organisations(ctx: DemoContext, themes: list[Theme]) -> None:
    count = ctx.sizes.get("organisations", 0)
    existing = Organisation.objects.count()
    people = list(Person.objects.filter(user__isnull=False).values_list("pk", flat=True)[:5000])
    now = timezone.now()
    for start in tqdm(
        range(existing, count, BATCH), desc="structures", unit="lot", disable=count < BATCH
    ):
        rows = []
        for index in range(start, min(count, start + BATCH)):
            kind, pattern = ORG_PATTERNS[index % len(ORG_PATTERNS)]
            commune = _pick_commune(ctx)
            name = pattern.format(c=commune.name)
            if index >= len(ORG_PATTERNS) * 50:
                name = f"{name} ({index})"
            rows.append(
                Organisation(
                    name=name,
                    search_name=normalise(name),
                    kind=kind,
                    presentation=demo_texts.organisation_presentation(ctx.rng, commune.name),
                    status="published" if ctx.rng.random() > 0.05 else "proposed",
                    commune=commune,
                    latitude=commune.latitude,
                    longitude=commune.longitude,
                    website=f"https://{normalise(name).replace(' ', '-')[:40]}.example.org",
                    website_visibility=Visibility.PUBLIC,
                    email=f"contact{index}@structures.example.org",
                    email_visibility=_visibility(ctx, 0.4),
                    phone=ctx.fake.phone_number(),
                    phone_visibility=_visibility(ctx, 0.3),
                    created_at=now,
                )
            )
        with transaction.atomic():
            saved = Organisation.objects.bulk_create(rows)
            _link_themes_and_places(ctx, Organisation, saved, themes)
            if people:
                Membership.objects.bulk_create(
                    [
                        Membership(
                            organisation_id=org.pk,
                            person_id=ctx.rng.choice(people),
                            role=ctx.rng.choice(ROLES),
                            is_admin=True,
                        )
                        for org in saved
                        if ctx.rng.random() < 0.7
                    ],
                    ignore_conflicts=True,
                )
    ctx.say(f"Annuaire : {Organisation.objects.count()} structures.")


def _initiatives(ctx: DemoContext, themes: list[Theme]) -> None:
    count = ctx.sizes.get("initiatives", 0)
    existing = Initiative.objects.count()
    people = list(Person.objects.filter(user__isnull=False).values_list("pk", flat=True)[:5000])
    organisations = list(Organisation.objects.published().values_list("pk", flat=True)[:5000])
    progress = [choice for choice, _label in InitiativeStatus.choices]
    for start in tqdm(
        range(existing, count, BATCH), desc="initiatives", unit="lot", disable=count < BATCH
    ):
        rows = []
        for index in range(start, min(count, start + BATCH)):
            pattern, summary = INITIATIVE_PATTERNS[index % len(INITIATIVE_PATTERNS)]
            commune = _pick_commune(ctx)
            title = pattern.format(c=commune.name)
            rows.append(
                Initiative(
                    title=title,
                    search_name=normalise(title),
                    summary=summary,
                    description=demo_texts.initiative_description(ctx.rng, commune.name),
                    progress=ctx.rng.choice(progress),
                    status="published" if ctx.rng.random() > 0.05 else "proposed",
                    commune=commune,
                    latitude=commune.latitude,
                    longitude=commune.longitude,
                    needs=ctx.rng.choice(SEEKS),
                    charter_tasks="Une réunion mensuelle et un chantier par trimestre.",
                    charter_time="Deux à quatre heures par mois",
                    charter_limits="Aucune obligation de présence ; on fait ce qu'on peut.",
                    charter_leaving="Un simple message aux porteur·euses suffit.",
                )
            )
        with transaction.atomic():
            saved = Initiative.objects.bulk_create(rows)
            _link_themes_and_places(ctx, Initiative, saved, themes)
            if people:
                Initiative.carrier_people.through.objects.bulk_create(
                    [
                        Initiative.carrier_people.through(
                            initiative_id=i.pk, person_id=ctx.rng.choice(people)
                        )
                        for i in saved
                    ],
                    ignore_conflicts=True,
                )
            if organisations:
                Initiative.carrier_organisations.through.objects.bulk_create(
                    [
                        Initiative.carrier_organisations.through(
                            initiative_id=i.pk, organisation_id=ctx.rng.choice(organisations)
                        )
                        for i in saved
                        if ctx.rng.random() < 0.6
                    ],
                    ignore_conflicts=True,
                )
    ctx.say(f"Annuaire : {Initiative.objects.count()} initiatives.")


def generate(ctx: DemoContext) -> None:
    from .services import themes_seed

    themes_seed()
    themes = list(Theme.objects.all())
    if not _communes(ctx)[0] and not _communes(ctx)[1]:
        ctx.say("Annuaire : territoires absents, lancez d'abord load_territories.")
        return
    _people(ctx, themes)
    _organisations(ctx, themes)
    _initiatives(ctx, themes)


register(
    "directory",
    generate,
    {
        "organisations": (60, "nombre de structures fictives"),
        "initiatives": (90, "nombre d'initiatives fictives"),
    },
)
