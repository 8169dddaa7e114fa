"""Demo library: experience sheets of every outcome (failures told without blame), an
evaluation grid with assessments, resources with their licences (links, videos, a small
PDF document, one for a working group only) and a collection.

Idempotent: sheets, grids, resources and collections are keyed on their title, and a
record that exists is left as it is. Sheets go through `sheet_create` (as an import
would), so that their obstacles and tips are structured items with their actor.
"""

import random
from dataclasses import replace
from datetime import date

from faker import Faker

from maillage.accounts.models import User
from maillage.core.demo import DemoContext, register
from maillage.directory.models import Initiative, Organisation, Theme

from . import services
from .models import (
    Collection,
    CollectionSheet,
    EvaluationGrid,
    ExperienceSheet,
    Licence,
    Origin,
    Outcome,
    Resource,
)

# (title, outcome, themes, summary, context, actions, obstacles, tips, results, differently)
SHEETS = [
    (
        "Une épicerie solidaire portée par les habitant·es",
        Outcome.SUCCESS,
        ["Alimentation", "Cohésion sociale"],
        "Un local prêté par la mairie, quarante bénévoles et des prix adaptés aux revenus.",
        "Le dernier commerce du bourg avait fermé ; les personnes âgées et les familles "
        "sans voiture faisaient 20 km pour acheter de quoi manger.",
        "Réunions publiques, enquête auprès de 200 foyers, convention avec la mairie pour "
        "un local, approvisionnement auprès de six producteurs du canton, tarifs en trois "
        "tranches selon le quotient familial.",
        ["Trouver des bénévoles pour les ouvertures du samedi", "La chambre froide coûte cher"],
        [
            "Commencer par deux demi-journées d'ouverture, pas plus",
            "Un planning partagé en ligne et sur papier, affiché à la mairie",
        ],
        "180 foyers adhérents après un an, dont un tiers au tarif solidaire ; deux emplois "
        "aidés créés.",
        "Associer plus tôt les commerçants des villages voisins, qui ont craint la concurrence.",
    ),
    (
        "Une régie alimentaire municipale qui n'a pas tenu",
        Outcome.FAILURE,
        ["Alimentation", "Agriculture"],
        "Une régie maraîchère pour la cantine, arrêtée au bout de deux saisons.",
        "La commune voulait servir des légumes bio et locaux à la cantine (350 repas par "
        "jour) sans dépendre des grossistes.",
        "Achat de 3 hectares, recrutement d'un maraîcher en contrat de droit public, "
        "construction d'une serre, légumerie partagée avec la commune voisine.",
        [
            "Un seul maraîcher pour tout : l'arrêt maladie de l'été a tout arrêté",
            "Le coût de la légumerie sous-estimé de moitié",
            "Le changement d'équipe municipale a remis le projet en question",
        ],
        [
            "Prévoir au moins deux postes, ou un partenariat avec une ferme voisine",
            "Faire valider le modèle économique par un autre territoire qui l'a déjà fait",
        ],
        "Deux saisons de production (environ 40 % des légumes de la cantine) puis arrêt ; "
        "le terrain est aujourd'hui loué à une jeune agricultrice.",
        "Construire le projet avec les agents de la cantine dès le début, et l'inscrire "
        "dans un projet alimentaire territorial pour qu'il survive aux élections.",
    ),
    (
        "Un covoiturage rural qui a trouvé son public à moitié",
        Outcome.MIXED,
        ["Mobilités"],
        "Des arrêts de covoiturage balisés entre cinq villages et le marché.",
        "Pas de transport en commun le week-end ; beaucoup de personnes âgées sans voiture.",
        "Douze arrêts balisés, une application et une ligne téléphonique, une animation "
        "dans les clubs des aînés.",
        ["L'application n'a pas été adoptée par les plus âgé·es"],
        ["La ligne téléphonique tenue par une association a fait toute la différence"],
        "Bon usage le jour du marché, très faible le reste de la semaine.",
        "Partir des trajets réellement faits (marché, médecin) plutôt que d'un réseau complet.",
    ),
    (
        "Des toits solaires citoyens sur les écoles",
        Outcome.ONGOING,
        ["Énergie", "Participation citoyenne"],
        "Une société citoyenne installe des panneaux sur trois écoles de l'intercommunalité.",
        "Une centrale villageoise existante voulait passer à l'échelle de l'intercommunalité.",
        "Levée de fonds auprès de 150 habitant·es, études de toiture, convention "
        "d'occupation avec l'intercommunalité.",
        ["Les délais de raccordement au réseau"],
        ["Une réunion publique par école, avec les parents d'élèves"],
        "Première école équipée ; les deux autres sont prévues l'an prochain.",
        "",
    ),
    (
        "Un budget participatif qui n'a mobilisé personne",
        Outcome.FAILURE,
        ["Participation citoyenne"],
        "Peu de projets déposés, très peu de votes : nous en avons tiré des leçons.",
        "Commune de 4 000 habitant·es, première expérience de démocratie participative.",
        "Appel à projets en ligne, vote en ligne, communication dans le bulletin municipal.",
        ["Tout était en ligne, rien dans les lieux de vie", "Trois semaines pour déposer"],
        ["Aller au marché et à la sortie des écoles avec des urnes"],
        "Sept projets déposés, 112 votes.",
        "Laisser trois mois, accompagner les porteur·euses de projets et voter sur papier.",
    ),
]

GRID_NAME = "Grille des bonnes pratiques du réseau"
GRID_CRITERIA = [
    (
        "Reproductible ailleurs",
        "Un autre territoire pourrait-il le refaire sans moyens hors du commun ?",
    ),
    (
        "Coopération entre acteurs",
        "Collectivités, associations, entreprises et habitant·es ensemble.",
    ),
    ("Implication des habitant·es", "Les personnes concernées ont-elles pris part aux décisions ?"),
    ("Coût maîtrisé", "Le coût est-il à la portée d'une petite commune ou d'une association ?"),
    ("Durée dans le temps", "L'action tient-elle sans l'énergie d'une seule personne ?"),
]

# (title, kind, url, author, licence, visibility, theme)
RESOURCES = [
    (
        "Guide : monter une épicerie solidaire",
        "document",
        "",
        "Réseau des épiceries solidaires",
        Licence.CC_BY_SA,
        "public",
        "Alimentation",
    ),
    (
        "Les communs, une introduction",
        "video",
        "https://www.youtube.com/watch?v=Vf2L1xJ-6kM",
        "Collectif Transition",
        Licence.CC_BY,
        "public",
        "Participation citoyenne",
    ),
    (
        "Base adresse nationale",
        "link",
        "https://adresse.data.gouv.fr/",
        "Etalab",
        Licence.ETALAB,
        "public",
        "Numérique",
    ),
    (
        "Carte collaborative des arrêts de covoiturage",
        "link",
        "https://www.openstreetmap.org/",
        "Contributeurs OpenStreetMap",
        Licence.ODBL,
        "members",
        "Mobilités",
    ),
    (
        "Tableau des financements pour les centrales villageoises",
        "link",
        "https://www.centralesvillageoises.fr/",
        "Association des Centrales Villageoises",
        Licence.ALL_RIGHTS,
        "members",
        "Énergie",
    ),
]

COLLECTION = "Se nourrir localement : réussites et échecs"

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _sheets(ctx, users, themes, initiatives, orgs) -> list[ExperienceSheet]:
    sheets = []
    for index, row in enumerate(SHEETS):
        (title, outcome, theme_names, summary, context, actions) = row[:6]
        obstacles, tips, results, differently = row[6:]
        existing = ExperienceSheet.objects.filter(title=title).first()
        if existing:
            sheets.append(existing)
            continue
        author = users[index % len(users)] if users else None
        organisation = orgs[index % len(orgs)] if orgs else None
        initiative = initiatives[index % len(initiatives)] if initiatives else None
        territories = list(initiative.territories.all()[:1]) if initiative else []
        if initiative and initiative.commune_id and not territories:
            territories = [initiative.commune]
        sheet = services.sheet_create(
            actor=author,
            title=title,
            outcome=outcome,
            origin=Origin.IMPORT if index == 1 else Origin.MEMBER,
            source="Compte rendu de la rencontre régionale (PDF)" if index == 1 else "",
            summary=summary,
            context=context,
            actions=actions,
            results=results,
            differently=differently,
            initiative=initiative,
            themes=[themes[n] for n in theme_names if n in themes],
            territories=territories,
            organisations=[organisation] if organisation else [],
            obstacles=[
                services.ItemInput(text, organisation=organisation if i == 0 else None)
                for i, text in enumerate(obstacles)
            ],
            tips=[services.ItemInput(text, actor_name="Un·e bénévole") for text in tips],
            publish=True,
        )
        sheets.append(sheet)
    return sheets


def _grid(facilitator) -> EvaluationGrid:
    grid = EvaluationGrid.objects.filter(name=GRID_NAME).first()
    if grid:
        return grid
    return services.grid_save(
        actor=facilitator,
        name=GRID_NAME,
        defined_by_name="Le groupe de travail « Capitaliser »",
        description="Pour repérer ce qui peut inspirer d'autres territoires, sans classer "
        "les expériences : chaque critère se lit avec le contexte de la fiche.",
        criteria=GRID_CRITERIA,
    )


def _assess(ctx, grid, sheets, users) -> None:
    criteria = list(grid.criteria.all())
    comments = [
        "Facile à transposer dans un bourg comparable.",
        "Dépend beaucoup de l'équipe municipale.",
        "Les habitant·es ont été associé·es dès le départ.",
        "",
    ]
    for sheet in sheets:
        if sheet.assessments.exists():
            continue
        assessors = [u for u in users if u.pk != sheet.created_by_id][:2]
        for assessor in assessors:
            services.assessment_save(
                sheet=sheet,
                grid=grid,
                assessor=assessor,
                ratings={c.pk: (ctx.rng.randint(1, 4), ctx.rng.choice(comments)) for c in criteria},
                comment="Une expérience utile à d'autres territoires.",
            )


def _resources(ctx, users, themes, sheets) -> None:
    for index, (title, kind, url, author, licence, visibility, theme) in enumerate(RESOURCES):
        if Resource.objects.filter(title=title).exists():
            continue
        from .embeds import video_embed

        resource = Resource(
            kind=kind,
            title=title,
            url=url,
            embed_url=(video_embed(url).url if kind == "video" else ""),
            author=author,
            licence=licence,
            visibility=visibility,
            published_on=date(2024, 1 + index * 2, 10),
            description="Partagée par un·e membre du réseau.",
            sheet=sheets[index % len(sheets)] if sheets else None,
        )
        checked = None
        if kind == "document":
            from django.core.files.uploadedfile import SimpleUploadedFile

            from .uploads import CheckedFile

            upload = SimpleUploadedFile("guide.pdf", DEMO_PDF, content_type="application/pdf")
            checked = CheckedFile(upload, "guide-epicerie-solidaire.pdf", "pdf", "application/pdf")
        services.resource_save(
            resource=resource,
            actor=users[index % len(users)] if users else None,
            checked=checked,
            themes=[themes[theme]] if theme in themes else [],
        )
    _group_resource(users)


def _group_resource(users) -> None:
    """One resource for a working group only, if the forums demo made a working group."""
    from maillage.forums.models import Group

    title = "Notes internes du groupe de travail"
    if Resource.objects.filter(title=title).exists():
        return
    group = Group.objects.filter(working_since__isnull=False).order_by("pk").first()
    if group is None:
        return
    member = group.members.select_related("user").first()
    resource = Resource(
        kind="link",
        title=title,
        url="https://pad.example.org/groupe",
        author="Le groupe de travail",
        licence=Licence.ALL_RIGHTS,
        visibility="group",
        group=group,
        published_on=date(2025, 2, 1),
    )
    services.resource_save(resource=resource, actor=member.user if member else None)


def _collection(facilitator, sheets) -> None:
    collection, created = Collection.objects.get_or_create(
        title=COLLECTION,
        defaults={
            "description": "Deux expériences autour de l'alimentation : une épicerie qui "
            "marche, une régie qui n'a pas tenu — et ce que chacune nous apprend.",
            "curated_by": facilitator,
        },
    )
    if created:
        food = [s for s in sheets if s.themes.filter(name="Alimentation").exists()]
        for position, sheet in enumerate(food):
            CollectionSheet.objects.get_or_create(
                collection=collection, sheet=sheet, defaults={"position": position}
            )
        collection.resources.set(Resource.objects.filter(visibility="public")[:2])


def generate(shared_ctx: DemoContext) -> None:
    fake = Faker("fr_FR")
    fake.seed_instance(shared_ctx.seed + 7)
    ctx = replace(shared_ctx, rng=random.Random(shared_ctx.seed + 7), fake=fake)
    users = list(
        User.objects.filter(is_active=True, joined_at__isnull=False, role="member").order_by("pk")[
            :20
        ]
    )
    facilitator = User.objects.filter(role="facilitator").order_by("pk").first()
    themes = {t.name: t for t in Theme.objects.all()}
    initiatives = list(Initiative.objects.published().order_by("pk")[:5])
    orgs = list(Organisation.objects.published().order_by("pk")[:5])
    sheets = _sheets(ctx, users, themes, initiatives, orgs)
    grid = _grid(facilitator)
    if len(users) >= 3:
        _assess(ctx, grid, sheets, users)
    _resources(ctx, users, themes, sheets)
    _collection(facilitator, sheets)
    ctx.say(
        f"Bibliothèque : {ExperienceSheet.objects.count()} fiches, "
        f"{Resource.objects.count()} ressources, {Collection.objects.count()} collections."
    )


register("knowledge", generate)
