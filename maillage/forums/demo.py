"""Demo open forums: past "forum ouvert" events with their grid (rooms × slots), topics,
groups with carriers and participants, full structured reports (with their first
revision), people who signed up to follow up (each with their own consent choices) and
working groups that live on: a purpose, a next meeting and a task board.

The texts are written the way networks write their reports (territories in transition,
food, mobility, energy, citizen participation). Idempotent: our events are keyed on their
title, and any past open forum that already has groups is left as it is (the agenda's
own past open forum, created by the events demo, is filled the first time).
"""

import random
from dataclasses import dataclass, replace
from datetime import time, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from faker import Faker

from maillage.accounts.models import User
from maillage.core.demo import DemoContext, register
from maillage.events.models import (
    Event,
    EventKind,
    EventStatus,
    Registration,
    TimeSlot,
    local_datetime,
)

from .models import (
    FollowUp,
    Group,
    GroupMember,
    Report,
    ReportRevision,
    Room,
    Task,
    Topic,
)


@dataclass(frozen=True)
class DemoTopic:
    title: str
    question: str
    findings: str
    proposals: str
    vigilance: str
    network_continue: str
    network_stop: str
    network_with: str
    resource_person_name: str
    notes: str
    purpose: str
    tasks: tuple[tuple[str, str], ...]  # (title, status)


TOPICS = {
    "alimentation": [
        DemoTopic(
            "Une régie agricole pour les cantines",
            "Comment une commune rurale peut-elle produire elle-même les légumes de ses cantines ?",
            "Trois communes du groupe ont déjà un terrain communal en friche.\n"
            "Le coût d'un maraîcher salarié est le premier frein cité par les élu·es.\n"
            "Les cuisinier·es sont prêt·es à changer les menus si on les associe tôt.",
            "Mutualiser un poste de maraîcher entre deux ou trois communes.\n"
            "Visiter la régie de Mouans-Sartoux avec des élu·es et des cuisinier·es.\n"
            "Commencer par les légumes de garde (pommes de terre, courges, carottes).",
            "Ne pas fragiliser les maraîchers installés qui livrent déjà la restauration "
            "scolaire. Bien chiffrer l'eau d'irrigation avant de choisir le terrain.",
            "Mobiliser les élu·es des communes voisines ; réfléchir à un modèle de "
            "convention entre communes ; faire circuler les retours d'expérience.",
            "Porter lui-même la régie ou recruter à la place des communes.",
            "La chambre d'agriculture, le CIVAM, le PETR et son projet alimentaire "
            "territorial, la Fédération des régies agricoles.",
            "Hélène Vidal, chargée de mission PAT au PETR",
            "Liste des terrains communaux à compléter avant la prochaine réunion.",
            "Accompagner deux communes jusqu'à une première saison de production.",
            (
                ("Recenser les terrains communaux disponibles", "done"),
                ("Organiser la visite de Mouans-Sartoux", "doing"),
                ("Chiffrer un poste de maraîcher partagé", "todo"),
                ("Rencontrer les cuisinier·es des trois cantines", "todo"),
            ),
        ),
        DemoTopic(
            "Les épiceries solidaires en milieu rural",
            "Comment rendre une alimentation de qualité accessible aux ménages modestes "
            "loin des villes ?",
            "Les épiceries solidaires existantes sont toutes dans les bourgs-centres.\n"
            "La honte d'être vu·e reste un frein fort dans les petites communes.",
            "Tester une épicerie itinérante qui passe dans les villages un jour par semaine.\n"
            "Ouvrir l'épicerie à toutes et tous avec des prix différenciés.",
            "Le transport et la chaîne du froid coûtent cher : chercher des partenaires "
            "avant d'acheter un camion.",
            "Faire se rencontrer les épiceries du département ; relayer les appels à "
            "projets de la Région.",
            "Gérer une épicerie ou distribuer de l'aide alimentaire.",
            "Les centres sociaux, le Secours populaire, les CCAS, les AMAP.",
            "Yasmina Benali, coordinatrice d'une épicerie solidaire",
            "",
            "Monter un premier trajet d'épicerie itinérante avec un centre social.",
            (
                ("Cartographier les épiceries solidaires du département", "doing"),
                ("Contacter le centre social pour le trajet d'essai", "todo"),
            ),
        ),
        DemoTopic(
            "Relier producteurs et restauration collective",
            "Comment faciliter les achats locaux des collèges et des EHPAD malgré les "
            "marchés publics ?",
            "Les gestionnaires connaissent mal les possibilités d'allotissement.\n"
            "Les producteurs n'ont pas le temps de répondre aux appels d'offres.",
            "Une formation courte sur les marchés publics pour les gestionnaires.\n"
            "Une plateforme de commande groupée gérée par les producteurs.",
            "Ne pas promettre des volumes que les producteurs ne peuvent pas tenir.",
            "Réfléchir avec le Département à une charte d'achat local ; faire connaître "
            "les plateformes existantes.",
            "Se substituer aux acheteurs publics.",
            "Le Département, les gestionnaires de collèges, la plateforme Agrilocal.",
            "",
            "Le groupe demande une fiche pratique sur l'allotissement.",
            "",
            (),
        ),
    ],
    "mobilite": [
        DemoTopic(
            "Covoiturage solidaire en zone rurale",
            "Comment se déplacer sans voiture quand on habite à vingt kilomètres du bourg ?",
            "Les arrêts de covoiturage posés il y a trois ans sont peu utilisés faute "
            "d'animation.\n"
            "Les personnes âgées et les jeunes sans permis sont les premiers concerné·es.\n"
            "Un réseau de chauffeurs bénévoles existe déjà dans deux communes.",
            "Un numéro unique pour demander un trajet, tenu par le centre social.\n"
            "Une « tournée du marché » le jeudi, testée pendant trois mois.\n"
            "Des soirées pour recruter des conducteurs et conductrices bénévoles.",
            "Les questions d'assurance des bénévoles doivent être réglées avant de "
            "communiquer. Ne pas faire concurrence au transport à la demande.",
            "Animer un réseau des initiatives de mobilité solidaire ; partager les "
            "modèles de charte bénévole ; mobiliser l'intercommunalité.",
            "Organiser lui-même les trajets ou gérer un service de transport.",
            "L'intercommunalité (autorité organisatrice de la mobilité), les centres "
            "sociaux, Rezo Pouce, la MSA.",
            "Thomas Roux, conseiller mobilité à la communauté de communes",
            "Le groupe a été le plus nombreux de la journée : 14 personnes.",
            "Lancer la tournée du marché du jeudi et recruter dix conducteur·rices.",
            (
                ("Vérifier l'assurance des conducteur·rices bénévoles", "done"),
                ("Rédiger la charte du conducteur bénévole", "doing"),
                ("Imprimer les affiches pour les mairies", "todo"),
                ("Bilan des trois mois d'essai", "todo"),
            ),
        ),
        DemoTopic(
            "Le vélo pour aller au collège",
            "Que faut-il pour que les collégien·nes viennent à vélo depuis les villages ?",
            "Les parents citent d'abord la sécurité de la route départementale.\n"
            "Le collège n'a pas d'abri vélo couvert.",
            "Un vélobus encadré par des parents deux matins par semaine.\n"
            "Demander au Département un aménagement de la portion la plus dangereuse.",
            "Ne pas culpabiliser les familles qui n'ont pas d'autre choix que la voiture.",
            "Faire remonter les besoins d'aménagement ; relayer le programme Génération "
            "Vélo ; réfléchir avec les collèges.",
            "Décider des aménagements routiers.",
            "Le Département, le collège, l'association de parents d'élèves, le club cyclo.",
            "",
            "",
            "",
            (),
        ),
        DemoTopic(
            "Tiers-lieux et télétravail pour moins se déplacer",
            "Un tiers-lieu dans chaque bassin de vie peut-il réduire les trajets "
            "domicile-travail ?",
            "Beaucoup de salarié·es peuvent télétravailler deux jours par semaine mais "
            "s'isolent chez eux.\n"
            "Les tiers-lieux existants manquent de visibilité.",
            "Une carte des tiers-lieux et de leurs horaires.\n"
            "Un « pass » commun pour travailler dans tous les tiers-lieux du réseau.",
            "Un tiers-lieu vit de son animation, pas seulement de ses bureaux.",
            "Faire connaître les tiers-lieux ; mettre en relation les employeurs du territoire.",
            "Financer le fonctionnement des lieux.",
            "France Tiers-Lieux, les employeurs publics, la CCI.",
            "Inès Garnier, animatrice d'un tiers-lieu",
            "",
            "Publier la carte des tiers-lieux et tester le pass commun.",
            (
                ("Recenser les horaires des tiers-lieux", "doing"),
                ("Proposer le pass commun aux trois lieux pilotes", "todo"),
            ),
        ),
    ],
    "transition": [
        DemoTopic(
            "Des centrales villageoises sur les toits publics",
            "Comment financer et gérer ensemble des toits solaires citoyens ?",
            "Plusieurs écoles et salles des fêtes ont des toitures bien orientées.\n"
            "Les habitant·es veulent investir localement mais craignent la complexité.\n"
            "Une SAS citoyenne existe dans la vallée voisine et peut partager ses statuts.",
            "Créer une société citoyenne par bassin de vie plutôt que par commune.\n"
            "Faire un premier projet de six toitures pour apprendre.\n"
            "Ouvrir le capital aux communes et aux habitant·es.",
            "Les études de charpente coûtent cher : les mutualiser. Le bénévolat ne "
            "suffit pas à long terme.",
            "Avancer sur l'accompagnement juridique ; mobiliser les communes "
            "propriétaires des toits ; faire circuler les statuts types.",
            "Investir lui-même dans les installations.",
            "Énergie Partagée, le réseau des Centrales Villageoises, le syndicat "
            "d'énergie, l'ADEME.",
            "Paul Mercier, Énergie Partagée Occitanie",
            "Réunion publique de lancement à prévoir au printemps.",
            "Créer la société citoyenne et équiper six toitures publiques.",
            (
                ("Lister les toitures publiques bien orientées", "done"),
                ("Demander les statuts de la SAS voisine", "done"),
                ("Lancer les études de charpente groupées", "doing"),
                ("Préparer la réunion publique de lancement", "todo"),
                ("Rencontrer le syndicat d'énergie", "todo"),
            ),
        ),
        DemoTopic(
            "Associer les habitant·es aux décisions",
            "Comment faire participer celles et ceux qu'on ne voit jamais en réunion publique ?",
            "Les réunions publiques réunissent toujours les mêmes personnes.\n"
            "Les formats courts et conviviaux (porte-à-porte, stand au marché) touchent "
            "d'autres publics.\n"
            "Les élu·es craignent d'ouvrir des débats qu'ils ne pourront pas suivre.",
            "Former des binômes élu·e – habitant·e à l'animation.\n"
            "Un budget participatif modeste mais réel dans chaque commune volontaire.\n"
            "Toujours dire ce qui a été fait des avis recueillis.",
            "La participation sans suite décourage plus que l'absence de participation.",
            "Réfléchir aux méthodes ; mobiliser des facilitateur·rices ; capitaliser les "
            "expériences de budgets participatifs.",
            "Décider à la place des conseils municipaux.",
            "Les centres sociaux, les conseils de développement, l'Institut de la concertation.",
            "Lucie Morel, facilitatrice",
            "",
            "Accompagner trois communes dans un premier budget participatif.",
            (
                ("Écrire une fiche « budget participatif en 6 étapes »", "doing"),
                ("Trouver trois communes volontaires", "todo"),
            ),
        ),
        DemoTopic(
            "Sobriété dans les bâtiments communaux",
            "Par où commencer pour réduire la facture énergétique d'une petite commune ?",
            "Les communes connaissent mal leurs consommations, faute de suivi.\n"
            "Les conseillers en énergie partagée sont débordés.",
            "Un relevé mensuel des compteurs par un·e élu·e référent·e.\n"
            "Des gestes simples : programmation du chauffage, réglage des horloges.",
            "Les économies ne doivent pas dégrader le confort des écoles et des EHPAD.",
            "Partager des outils de suivi ; réunir les élu·es référent·es.",
            "Réaliser les audits énergétiques.",
            "Le syndicat d'énergie, l'ALEC, le conseil en énergie partagée.",
            "",
            "",
            "",
            (),
        ),
    ],
}

# (title pattern, topic bank, days before today)
FORUMS = [
    ("Forum ouvert : territoires en transition — {c}", "transition", 210),
    ("Forum ouvert : se déplacer autrement à {c}", "mobilite", 40),
]
ROOMS = ["Grande salle", "Salle du conseil", "Médiathèque"]
MESSAGES = [
    "Je peux aider à organiser la prochaine réunion.",
    "Intéressée pour partager notre expérience.",
    "Je peux relayer auprès des élu·es de ma commune.",
    "",
    "Disponible le soir surtout.",
    "",
]


def _bank_for(event: Event) -> str:
    title = event.title.lower()
    if "nourrir" in title or "aliment" in title:
        return "alimentation"
    if "déplacer" in title or "mobilit" in title:
        return "mobilite"
    return "transition"


def _ensure_event(ctx: DemoContext, title: str, days_ago: int, commune, facilitator) -> Event:
    event = Event.objects.filter(title=title).first()
    if event is not None:
        return event
    day = timezone.localdate() - timedelta(days=days_ago)
    return Event.objects.create(
        title=title,
        kind=EventKind.OPEN_FORUM,
        summary="Une journée où chacun·e propose les sujets qui lui tiennent à cœur.",
        description=(
            "Pas d'intervenant·es ni de programme fixé à l'avance : les participant·es "
            "proposent les sujets le matin, s'organisent en groupes et repartent avec "
            "des comptes rendus et des suites à donner."
        ),
        status=EventStatus.PUBLISHED,
        starts_at=local_datetime(day, time(9, 0)),
        ends_at=local_datetime(day, time(17, 0)),
        commune=commune,
        address="Salle polyvalente, place de la Mairie" if commune else "",
        latitude=getattr(commune, "latitude", None),
        longitude=getattr(commune, "longitude", None),
        capacity=80,
        registration_open=False,
        created_by=facilitator,
    )


def _fill(ctx: DemoContext, event: Event, users: list, facilitator) -> int:
    """Topics, grid, groups, reports, follow-ups and boards for a past open forum."""
    bank = TOPICS[_bank_for(event)]
    day = timezone.localtime(event.starts_at).date()
    rooms = [
        Room.objects.get_or_create(event=event, name=name, defaults={"position": i})[0]
        for i, name in enumerate(ROOMS)
    ]
    slot = TimeSlot.objects.filter(event=event, day=day, starts=time(10, 30)).first()
    if slot is None:
        slot = TimeSlot.objects.create(
            event=event, day=day, starts=time(10, 30), ends=time(12, 0), title="Groupes"
        )
    # Participants: the people registered, or members drawn for an event we created.
    registered = [
        r.user
        for r in Registration.objects.filter(event=event, status="confirmed").select_related("user")
    ]
    if len(registered) < 12:
        drawn = ctx.rng.sample(users, k=min(len(users), 30))
        now = timezone.now()
        Registration.objects.bulk_create(
            [
                Registration(
                    event=event,
                    user=u,
                    status="confirmed",
                    queued_at=now - timedelta(minutes=i),
                    attended=True,
                )
                for i, u in enumerate(drawn)
            ],
            ignore_conflicts=True,
        )
        Event.objects.filter(pk=event.pk).update(
            seats_taken=Registration.objects.filter(event=event, status="confirmed").count()
        )
        registered = list({u.pk: u for u in registered + drawn}.values())
    if len(registered) < 4:
        return 0
    ended = event.ends_at
    for number, content in enumerate(bank, start=1):
        proposer = ctx.rng.choice(registered)
        topic = Topic.objects.create(
            event=event,
            title=content.title,
            question=content.question,
            proposed_by=proposer,
            status="accepted",
            room=rooms[(number - 1) % len(rooms)],
            slot=slot,
        )
        group = Group.objects.create(
            event=event,
            topic=topic,
            number=number,
            title=content.title,
            question=content.question,
            other_carriers="Un·e élu·e de la commune d'accueil" if number == 2 else "",
        )
        people = ctx.rng.sample(registered, k=min(len(registered), ctx.rng.randint(5, 9)))
        if proposer not in people:
            people[0] = proposer
        GroupMember.objects.bulk_create(
            [
                GroupMember(
                    group=group,
                    user=u,
                    role="carrier" if u == proposer or index == 1 else "participant",
                )
                for index, u in enumerate(people)
            ],
            ignore_conflicts=True,
        )
        texts = {
            "question": content.question,
            "findings": content.findings,
            "proposals": content.proposals,
            "vigilance": content.vigilance,
            "network_continue": content.network_continue,
            "network_stop": content.network_stop,
            "network_with": content.network_with,
            "resource_person_name": content.resource_person_name,
            "notes": content.notes,
        }
        written = ended + timedelta(days=ctx.rng.randint(1, 6))
        report = Report.objects.create(
            group=group, version=1, updated_at=written, updated_by=proposer, **texts
        )
        ReportRevision.objects.create(
            report=report,
            number=1,
            content={**texts, "resource_person_id": None},
            author=proposer,
        )
        if not content.purpose:
            continue
        followers = ctx.rng.sample(people, k=min(len(people), ctx.rng.randint(3, 5)))
        FollowUp.objects.bulk_create(
            [
                FollowUp(
                    group=group,
                    user=u,
                    # As the follow-up form asks: at least one contact shared.
                    share_email=(choice := ctx.rng.random()) < 0.85,
                    share_phone=choice > 0.6,
                    message=ctx.rng.choice(MESSAGES),
                    consented_at=ended + timedelta(hours=i),
                )
                for i, u in enumerate(followers)
            ],
            ignore_conflicts=True,
        )
        meeting_day = timezone.localdate() + timedelta(days=ctx.rng.randint(7, 30))
        Group.objects.filter(pk=group.pk).update(
            working_since=ended + timedelta(hours=2),
            purpose=content.purpose,
            next_meeting_at=local_datetime(meeting_day, time(18, 30)),
            next_meeting_place=ctx.rng.choice(
                ["Tiers-lieu de la gare", "Salle du conseil municipal", "En visio"]
            ),
        )
        positions: dict[str, int] = {}
        tasks = []
        for title, status in content.tasks:
            positions[status] = positions.get(status, 0) + 1
            tasks.append(
                Task(
                    group=group,
                    title=title,
                    status=status,
                    owner=ctx.rng.choice(followers),
                    due_on=(
                        None
                        if status == "done"
                        else timezone.localdate() + timedelta(days=ctx.rng.randint(5, 60))
                    ),
                    position=positions[status],
                    created_by=followers[0],
                )
            )
        Task.objects.bulk_create(tasks)
    return len(bank)


def generate(shared_ctx: DemoContext) -> None:
    # Our own random streams, so that what came before never shifts what we draw.
    fake = Faker("fr_FR")
    fake.seed_instance(shared_ctx.seed + 7)
    ctx = replace(shared_ctx, rng=random.Random(shared_ctx.seed + 7), fake=fake)
    users = list(
        User.objects.filter(is_active=True, joined_at__isnull=False, deleted_at__isnull=True)
        .filter(Q(role="member") | Q(role="facilitator"))
        .order_by("pk")[:300]
    )
    if len(users) < 4:
        ctx.say("Forums ouverts : pas assez de membres, lancez d'abord l'annuaire.")
        return
    facilitator = User.objects.filter(role="facilitator").order_by("pk").first()
    from maillage.territories.models import Territory

    communes = list(
        Territory.objects.communes()
        .filter(latitude__isnull=False)
        .order_by("-population", "code")[:6]
    )
    for index, (pattern, _bank, days_ago) in enumerate(FORUMS):
        commune = communes[(index + 3) % len(communes)] if communes else None
        title = pattern.format(c=commune.name if commune else "Carcassonne")
        with transaction.atomic():
            _ensure_event(ctx, title, days_ago, commune, facilitator)
    groups = 0
    forums = Event.objects.filter(
        kind=EventKind.OPEN_FORUM, status=EventStatus.PUBLISHED, ends_at__lt=timezone.now()
    ).order_by("starts_at", "pk")
    for event in forums:
        if Group.objects.filter(event=event).exists():
            continue
        with transaction.atomic():
            groups += _fill(ctx, event, users, facilitator)
    ctx.say(
        f"Forums ouverts : {groups} groupes créés, "
        f"{Group.objects.working().count()} groupes de travail actifs."
    )


register("forums", generate)
