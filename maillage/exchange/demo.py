"""Demo ads and matching consents, then the full recompute of the suggestions.

Idempotent: an ad is keyed on (author, title) and never written twice; consents are
created only for members who have none. Members with an account get realistic offers and
needs; about two thirds agree to be suggested and to introductions.
"""

from datetime import timedelta

from django.utils import timezone

from maillage.accounts.models import User
from maillage.core.demo import DemoContext, register
from maillage.directory.models import Initiative, Person, Theme

from .matching import recompute_all
from .models import Ad, AdKind, MatchPreferences

FULL_RECOMPUTE_UP_TO = 50_000

ADS = [
    (AdKind.OFFER, "Je prête une remorque à vélo", "Pour vos déménagements et vos marchés, "
     "une remorque à vélo (80 kg) à emprunter le week-end."),
    (AdKind.OFFER, "Animation de réunions et facilitation", "J'anime bénévolement vos "
     "réunions publiques et vos assemblées : ordre du jour, tours de parole, décisions."),
    (AdKind.OFFER, "Aide à la comptabilité associative", "Trésorière d'association depuis "
     "dix ans, je peux vous aider à tenir vos comptes et préparer l'assemblée générale."),
    (AdKind.NEED, "Cherche une salle pour un repair café", "Un lieu couvert de 40 m² un "
     "samedi par mois pour notre repair café, avec des prises électriques."),
    (AdKind.NEED, "Recherche graphiste pour une affiche", "Notre festival a besoin d'une "
     "affiche et d'un programme ; graphisme bénévole ou à petit prix."),
    (AdKind.NEED, "Besoin de bras pour un chantier participatif", "Rénovation d'un lavoir "
     "en pierre sèche : deux week-ends en juin, repas offerts."),
    (AdKind.CALL, "Appel à participation : budget participatif", "Nous cherchons des "
     "habitant·es pour animer des ateliers de concertation sur le budget participatif."),
    (AdKind.CALL, "Rejoignez la centrale villageoise", "Appel à participation pour notre "
     "centrale photovoltaïque citoyenne : devenez sociétaire ou bénévole."),
]  # fmt: skip


def generate(ctx: DemoContext) -> None:
    rng = ctx.rng
    members = list(
        User.objects.filter(joined_at__isnull=False, is_active=True, person__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:2000]
    )
    if not members:
        ctx.say("échanges : aucun membre, rien à faire")
        return
    with_prefs = set(MatchPreferences.objects.values_list("user_id", flat=True))
    MatchPreferences.objects.bulk_create(
        [
            MatchPreferences(
                user_id=pk, suggestable=rng.random() < 0.66, introductions=rng.random() < 0.6
            )
            for pk in members
            if pk not in with_prefs
        ],
        ignore_conflicts=True,
    )
    existing = set(Ad.objects.values_list("author_id", "title"))
    themes = list(Theme.objects.values_list("pk", flat=True))
    communes = dict(
        Person.territories.through.objects.filter(
            person__user_id__in=members, territory__kind="commune"
        ).values_list("person__user_id", "territory_id")
    )
    today = timezone.localdate()
    count = min(ctx.sizes.get("ads", 0), len(members) * len(ADS))
    created = 0
    for i in range(count):
        author = members[(i * 7) % len(members)]
        kind, title, text = ADS[i % len(ADS)]
        if (author, title) in existing:
            continue
        ad = Ad.objects.create(
            kind=kind,
            title=title,
            text=text,
            author_id=author,
            commune_id=communes.get(author),
            expires_on=today + timedelta(days=rng.randint(10, 120)),
        )
        if themes:
            ad.themes.set(rng.sample(themes, min(2, len(themes))))
        existing.add((author, title))
        created += 1
    size = Person.objects.count() + Initiative.objects.count()
    if size > FULL_RECOMPUTE_UP_TO:
        # A benchmark-sized network: the full recompute is measured on its own
        # (benchmarks/suggest_bench.py); the demo does not wait for it.
        ctx.say(
            f"échanges : {created} annonces ; {size} fiches, suggestions non calculées "
            "(manage.py recompute_suggestions)"
        )
        return
    result = recompute_all()
    ctx.say(f"échanges : {created} annonces, {result['suggestions']} suggestions")


register("exchange", generate, {"ads": (60, "nombre de petites annonces")})
