"""A small French test corpus for search: 30 documents over the Aude and the Hérault.

Built through the models (so signals index it, as in real life). Each relevance test
names documents by their title; the same expectations hold on SQLite and PostgreSQL.
"""

from datetime import timedelta

from django.utils import timezone

from maillage.accounts.tests.factories import UserFactory
from maillage.directory.models import Initiative, Organisation, Person, Theme
from maillage.directory.tests.factories import ThemeFactory, aude_and_herault, place

INITIATIVES = [
    # title, summary, description, progress, commune, themes
    (
        "Épicerie coopérative de Limoux",
        "Une coopérative d'habitants pour une alimentation locale.",
        "Les produits viennent des fermes voisines.",
        "ongoing",
        "limoux",
        ["alimentation"],
    ),
    (
        "Coopération intercommunale pour l'eau",
        "Les communes partagent leurs stations d'épuration.",
        "",
        "idea",
        "carcassonne",
        ["eau"],
    ),
    (
        "Centrale villageoise photovoltaïque",
        "Des toitures solaires gérées par les habitants.",
        "Une société citoyenne de production d'ÉNERGIE renouvelable.",
        "ongoing",
        "carcassonne",
        ["energie"],
    ),
    (
        "Atelier vélo solidaire de Béziers",
        "On répare ensemble les vélos du quartier.",
        "Un atelier participatif ouvert le samedi.",
        "ongoing",
        "beziers",
        ["mobilites"],
    ),
    (
        "Repair café de Carcassonne",
        "Un samedi par mois, on répare au lieu de jeter.",
        "Réparation de petit électroménager et de vêtements.",
        "finished",
        "carcassonne",
        ["dechets"],
    ),
    (
        "Budget participatif de Limoux",
        "Les habitantes et habitants votent des projets pour leur commune.",
        "",
        "ongoing",
        "limoux",
        ["participation"],
    ),
    (
        "Les jardins partagés de Béziers",
        "Des parcelles cultivées en commun au pied des immeubles.",
        "Compost collectif et ateliers de jardinage.",
        "ongoing",
        "beziers",
        ["alimentation"],
    ),
    (
        "Tiers-lieux numériques de l'Aude",
        "Un réseau de tiers-lieux ruraux.",
        "Espaces de travail partagés et médiation numérique.",
        "idea",
        "limoux",
        ["numerique"],
    ),
    (
        "Conseil citoyen de Carcassonne",
        "Une assemblée tirée au sort.",
        "",
        "paused",
        "carcassonne",
        ["participation"],
    ),
    (
        "Covoiturage rural",
        "Des trajets partagés entre villages.",
        "Mobilité sans voiture individuelle.",
        "abandoned",
        "beziers",
        ["mobilites"],
    ),
    (
        "Cantine bio au collège",
        "Des repas issus de l'agriculture biologique locale.",
        "",
        "ongoing",
        "carcassonne",
        ["alimentation"],
    ),
    (
        "Haies champêtres",
        "Replanter des haies avec les agriculteurs.",
        "La biodiversité des chemins.",
        "finished",
        "limoux",
        ["biodiversite"],
    ),
    (
        "Rénovation énergétique des écoles",
        "Isoler les bâtiments publics.",
        "Un diagnostic énergétique avant les travaux.",
        "idea",
        "beziers",
        ["energie"],
    ),
    (
        "Festival des transitions",
        "Concerts, conférences et ateliers sur la transition écologique.",
        "",
        "finished",
        "carcassonne",
        ["culture"],
    ),
    (
        "Photos du patrimoine",
        "Un concours de photographies des lavoirs et des moulins.",
        "",
        "ongoing",
        "limoux",
        ["culture"],
    ),
]

ORGANISATIONS = [
    # name, kind, presentation, commune, themes
    (
        "Coopérative d'énergie citoyenne de l'Aude",
        "scop_scic",
        "Une SCIC qui finance des centrales solaires.",
        "carcassonne",
        ["energie"],
    ),
    (
        "Mairie de Limoux",
        "collectivite",
        "La commune soutient les initiatives de ses habitants.",
        "limoux",
        [],
    ),
    (
        "Association Vélocité Béziers",
        "association",
        "Promouvoir les déplacements à vélo.",
        "beziers",
        ["mobilites"],
    ),
    (
        "Réseau des épiceries solidaires",
        "reseau",
        "Un réseau d'épiceries coopératives et solidaires.",
        "beziers",
        ["alimentation"],
    ),
    (
        "Lycée agricole de Carcassonne",
        "formation_recherche",
        "Formation au maraîchage biologique.",
        "carcassonne",
        ["agriculture"],
    ),
]

PEOPLE = [
    # name, visibility, presentation, places
    ("Camille Roux", "public", "Facilitatrice de forums ouverts et d'ateliers.", ["carcassonne"]),
    ("Élodie Brûlé", "members", "Je travaille sur l'énergie citoyenne.", ["limoux"]),
    ("Jean Secret", "private", "Membre discret d'une coopérative secrète.", ["aude"]),
    ("Yannick Le Gall", "public", "Maraîchage et compostage.", ["beziers"]),
    ("Sophie Giraud", "members", "Animatrice du réseau, forum ouvert.", ["herault"]),
]

THEMES = {
    "alimentation": "Alimentation",
    "eau": "Eau",
    "energie": "Énergie",
    "mobilites": "Mobilités",
    "dechets": "Déchets et réemploi",
    "participation": "Participation citoyenne",
    "numerique": "Numérique",
    "biodiversite": "Biodiversité",
    "culture": "Culture",
    "agriculture": "Agriculture",
}


def build(owner=None) -> dict:
    """Create the corpus; `owner` proposes one initiative and owns the private profile's
    neighbour. Returns the places, themes, users and records by title."""
    places = aude_and_herault()
    narbonne = place(
        "commune",
        "11262",
        "Narbonne",
        departement=places["aude"],
        region=places["occitanie"],
    )
    places["narbonne"] = narbonne
    # The default themes are seeded by a migration; a flushed database may lack them.
    themes = {
        key: Theme.objects.filter(name=name).first() or ThemeFactory(slug=key, name=name)
        for key, name in THEMES.items()
    }
    owner = owner or UserFactory(display_name="Olivia Porteuse")
    secret_user = UserFactory(display_name="Jean Secret")
    records: dict[str, object] = {}
    old = timezone.now() - timedelta(days=400)
    for index, (title, summary, description, progress, commune, slugs) in enumerate(INITIATIVES):
        initiative = Initiative.objects.create(
            title=title,
            summary=summary,
            description=description,
            progress=progress,
            commune=places[commune],
            status="published",
        )
        initiative.themes.set([themes[s] for s in slugs])
        initiative.territories.set([places[commune]])
        if index % 3 == 0:
            # Some are older, for the date facet: bulk update bypasses auto_now_add.
            Initiative.objects.filter(pk=initiative.pk).update(created_at=old)
            initiative.refresh_from_db()
            initiative.save()
        records[title] = initiative
    for name, kind, presentation, commune, slugs in ORGANISATIONS:
        organisation = Organisation.objects.create(
            name=name,
            kind=kind,
            presentation=presentation,
            commune=places[commune],
            status="published",
            email="contact@cooperative.example.org",
            email_visibility="private",
        )
        organisation.themes.set([themes[s] for s in slugs])
        records[name] = organisation
    for name, visibility, presentation, where in PEOPLE:
        user = secret_user if name == "Jean Secret" else UserFactory(display_name=name)
        person = Person.objects.create(
            user=user,
            name=name,
            visibility=visibility,
            presentation=presentation,
            email=f"{user.pk}@personnes.example.org",
            phone="06 12 34 56 78",
            address="12 rue des Coopératives, Carcassonne",
        )
        person.territories.set([places[w] for w in where])
        records[name] = person
    # A proposal (waiting for validation) and a rejected record, both about coopératives.
    proposal = Initiative.objects.create(
        title="Coopérative funéraire en projet",
        summary="Une proposition de coopérative, pas encore validée.",
        status="proposed",
        created_by=owner,
        commune=narbonne,
    )
    proposal.territories.set([narbonne])
    records[proposal.title] = proposal
    rejected = Organisation.objects.create(
        name="Coopérative refusée", kind="autre", status="rejected", created_by=owner
    )
    records[rejected.name] = rejected
    return {
        "places": places,
        "themes": themes,
        "owner": owner,
        "secret_user": secret_user,
        "records": records,
    }
