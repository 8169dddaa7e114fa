"""French sentences for the demo network, so that its pages read like a real network's.

Faker's French paragraphs are random words; a facilitator trying the demo, or a search
test over it, needs text that speaks of cantines, haies and budgets participatifs.
Each function draws sentences from banks written for one kind of record and fills in
the commune; the draws come from the demo's seeded random generator, so a seed gives
the same network every time.
"""

from random import Random

PERSON = [
    "Je suis {role} dans une association de {c} depuis une dizaine d'années.",
    "J'habite {c} et je me suis engagé·e après une réunion publique sur le plan climat.",
    "Élue municipale, je porte les sujets de démocratie locale et de vie associative.",
    "Agent·e de collectivité, j'accompagne les projets citoyens de l'intercommunalité.",
    "Ancienne enseignante, je donne du temps au jardin partagé et au repair café.",
    "Maraîcher en agriculture biologique, je livre deux cantines du secteur.",
    "Je coordonne un tiers-lieu où se croisent habitant·es, artisans et associations.",
    "J'anime des ateliers de fresque du climat dans les écoles et les mairies.",
    "Je travaille dans une SCIC d'énergie renouvelable qui finance des toitures solaires.",
    "Je suis arrivé·e sur le territoire il y a deux ans et je cherche à m'impliquer.",
    "Mon métier : faciliter des réunions où chacun peut prendre la parole.",
    "Je m'intéresse surtout à la mobilité en zone rurale et au covoiturage de proximité.",
]
ORGANISATION = [
    "Nous rassemblons une quarantaine d'adhérent·es autour de {c}.",
    "Créée en 2016, la structure accompagne les habitant·es qui veulent agir localement.",
    "Nous organisons chaque mois une soirée d'échanges ouverte à toutes et tous.",
    "Notre équipe salariée est réduite : l'essentiel repose sur les bénévoles.",
    "Nous travaillons avec la mairie, le département et plusieurs associations voisines.",
    "Nos priorités : l'alimentation locale, la sobriété énergétique et le lien social.",
    "Nous proposons des formations courtes pour les élu·es et les agent·es.",
    "Nos comptes rendus et nos outils sont publiés sous licence libre.",
    "Un collectif d'habitant·es anime le lieu et décide des projets en assemblée.",
    "Nous cherchons à essaimer ce qui marche dans les communes voisines.",
]
INITIATIVE = [
    "Le projet est né en {year} d'une discussion au conseil de quartier de {c}.",
    "Une vingtaine de bénévoles s'y relaient, avec l'appui d'un agent communal.",
    "La commune a mis à disposition un terrain et une salle pour les réunions.",
    "Les premiers mois ont été difficiles : il a fallu convaincre et trouver des bras.",
    "Un financement du programme LEADER a permis d'acheter le matériel.",
    "Les écoles du secteur participent une fois par trimestre.",
    "Nous tenons un carnet de bord ouvert pour que d'autres puissent s'en inspirer.",
    "Le bilan de la première année a été présenté en réunion publique.",
    "Les habitant·es choisissent ensemble les priorités de l'année suivante.",
    "Nous cherchons à partager nos outils avec d'autres communes rurales.",
    "Le projet s'appuie sur une convention avec l'intercommunalité.",
    "Un comité de suivi réunit élu·es, associations et habitant·es tous les deux mois.",
]
EVENT = [
    "Une journée pour partager ce qui marche, ce qui coince et repartir avec des contacts.",
    "Le matin est consacré aux retours d'expérience, l'après-midi aux ateliers.",
    "Les ateliers se tiennent en petits groupes, avec un compte rendu pour chacun.",
    "Le repas est partagé : chacun apporte un plat à faire goûter.",
    "Les élu·es, agent·es, associations et habitant·es y sont les bienvenus.",
    "L'accès est libre, l'inscription aide à préparer l'accueil.",
    "Les échanges seront synthétisés et publiés sur la plateforme du réseau.",
    "La salle est accessible aux personnes à mobilité réduite.",
]
SESSION = [
    "Un temps d'échange à partir de deux retours d'expérience.",
    "Chaque participant·e repart avec une piste d'action pour son territoire.",
    "L'atelier alterne apports courts et travail en petits groupes.",
    "Venez avec vos questions et vos réussites, comme avec vos échecs.",
    "Animation en cercle, prise de parole tournante.",
]


def _compose(bank: list[str], rng: Random, count: int, **values) -> str:
    return " ".join(s.format(**values) for s in rng.sample(bank, k=min(count, len(bank))))


def person_presentation(rng: Random, commune: str, role: str = "bénévole") -> str:
    return _compose(PERSON, rng, 2, c=commune, role=role.lower())


def organisation_presentation(rng: Random, commune: str) -> str:
    return _compose(ORGANISATION, rng, 3, c=commune)


def initiative_description(rng: Random, commune: str) -> str:
    return _compose(INITIATIVE, rng, 4, c=commune, year=rng.randint(2012, 2025))


def event_description(rng: Random) -> str:
    return _compose(EVENT, rng, 4)


def session_description(rng: Random) -> str:
    return _compose(SESSION, rng, 2)
