"""Suggested-connections benchmark: full recompute time, top-10 p50/p95 for one item.

Runs on the database of DATABASE_URL (a throwaway one!). Unless --skip-generate, it
migrates, loads the territories and bulk-inserts --people members (with accounts and
consents, --opted-in of them suggestable) and --ads ads, with French skills drawn from a
vocabulary, 1 to 3 themes and a commune each. Bulk inserts bypass signals: the full
recompute (`recompute_all`, what `manage.py recompute_suggestions` runs) is then timed,
followed by --queries top-10 computations from the indexes (`matching.suggest`, what
the incremental refresh runs) and as many reads of stored suggestions.

    createdb -h 127.0.0.1 -U postgres maillage_suggest_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/maillage_suggest_bench \\
        .venv/bin/python benchmarks/suggest_bench.py --people 100000 --ads 100000
    DATABASE_URL=sqlite:////tmp/suggest_bench.sqlite3 .venv/bin/python benchmarks/suggest_bench.py
"""

import argparse
import json
import os
import random
import resource
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

SKILLS = [
    "animation de réunions", "facilitation", "comptabilité associative", "graphisme",
    "montage de dossiers de subvention", "jardinage", "maraîchage", "réparation de vélos",
    "informatique", "site web", "communication", "rédaction", "traduction", "menuiserie",
    "électricité", "plomberie", "cuisine collective", "conserverie", "apiculture",
    "compostage", "permaculture", "éducation populaire", "médiation", "droit associatif",
    "statuts de SCIC", "gestion de projet", "prise de parole", "photographie", "vidéo",
    "radio associative", "covoiturage", "autopartage", "rénovation énergétique",
    "centrale villageoise", "photovoltaïque", "énergie citoyenne", "habitat participatif",
    "chantier participatif", "couture", "ressourcerie", "repair café", "épicerie solidaire",
    "circuits courts", "AMAP", "monnaie locale", "budget participatif", "concertation",
    "démocratie locale", "accueil de stagiaires", "bénévolat", "location de salle",
    "prêt de matériel", "logistique d'événements", "sonorisation", "accompagnement juridique",
    "recherche de financement", "mécénat", "lien intergénérationnel", "aide aux devoirs",
    "ateliers numériques", "cartographie", "OpenStreetMap", "animation nature",
    "sciences participatives", "inventaire de biodiversité", "gestion de l'eau",
    "tiers-lieu", "fablab", "impression 3D", "soudure", "mécanique", "vélo-cargo",
]  # fmt: skip
WORDS = (
    "transition territoire habitants village commune coopération solidarité voisins "
    "association collectif citoyens écologie alimentation local partage savoirs "
    "jeunesse anciens quartier ruralité culture festival marché jardin école"
).split()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))
    return ordered[index]


def _skills(rng, low=1, high=3) -> str:
    return ", ".join(rng.sample(SKILLS, rng.randint(low, high)))


def _text(rng, n=25) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate(args, say) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from maillage.accounts.models import User
    from maillage.directory.models import Person, Theme
    from maillage.exchange.models import Ad, MatchPreferences
    from maillage.territories.models import Territory

    rng = random.Random(args.seed)
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    call_command("load_territories", if_missing=True, verbosity=0)
    say(f"territoires : {time.monotonic() - started:.0f} s")
    themes = list(Theme.objects.values_list("pk", flat=True))
    if not themes:
        for i, name in enumerate(["Alimentation", "Énergie", "Mobilités", "Culture", "Habitat"]):
            Theme.objects.create(name=name, slug=f"bench-{i}")
        themes = list(Theme.objects.values_list("pk", flat=True))
    communes = list(Territory.objects.communes().values_list("pk", flat=True))
    # Members live where people live: a few thousand communes, as a real network.
    communes = rng.sample(communes, min(len(communes), max(100, args.people // 20)))
    now = timezone.now()
    batch = 5000
    started = time.monotonic()
    for start in range(0, args.people, batch):
        size = min(batch, args.people - start)
        users = User.objects.bulk_create(
            [
                User(
                    email=f"bench{start + i}@example.org",
                    display_name=f"Membre {start + i}",
                    password="!",  # noqa: S106  (an unusable password)
                    joined_at=now - timedelta(days=400),
                )
                for i in range(size)
            ]
        )
        MatchPreferences.objects.bulk_create(
            [
                MatchPreferences(
                    user=u, suggestable=rng.random() < args.opted_in, introductions=True
                )
                for u in users
            ]
        )
        people = Person.objects.bulk_create(
            [
                Person(
                    user=u,
                    name=u.display_name,
                    search_name=u.display_name.lower(),
                    visibility="members",
                    seeks=_skills(rng),
                    offers=_skills(rng),
                    presentation=_text(rng),
                )
                for u in users
            ]
        )
        Person.themes.through.objects.bulk_create(
            [
                Person.themes.through(person_id=p.pk, theme_id=t)
                for p in people
                for t in rng.sample(themes, rng.randint(1, 3))
            ]
        )
        Person.territories.through.objects.bulk_create(
            [
                Person.territories.through(person_id=p.pk, territory_id=rng.choice(communes))
                for p in people
            ]
        )
    say(f"{args.people} personnes : {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    user_ids = list(User.objects.filter(email__startswith="bench").values_list("pk", flat=True))
    today = timezone.localdate()
    for start in range(0, args.ads, batch):
        size = min(batch, args.ads - start)
        ads = Ad.objects.bulk_create(
            [
                Ad(
                    kind=rng.choice(["offer", "need", "need", "call"]),
                    title=rng.choice(SKILLS).capitalize(),
                    text=f"{_skills(rng, 1, 2)}. {_text(rng, 15)}",
                    commune_id=rng.choice(communes),
                    author_id=rng.choice(user_ids),
                    expires_on=today + timedelta(days=rng.randint(-30, 120)),
                )
                for _ in range(size)
            ]
        )
        Ad.themes.through.objects.bulk_create(
            [
                Ad.themes.through(ad_id=a.pk, theme_id=t)
                for a in ads
                for t in rng.sample(themes, rng.randint(1, 2))
            ]
        )
    say(f"{args.ads} annonces : {time.monotonic() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--ads", type=int, default=100_000)
    parser.add_argument("--opted-in", type=float, default=0.6)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument("--skip-recompute", action="store_true")
    parser.add_argument(
        "--index-only",
        action="store_true",
        help="rebuild the index but not the stored suggestions (times the index phase)",
    )
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from maillage.directory.models import Person
    from maillage.exchange import matching
    from maillage.exchange.models import Ad, ItemType, MatchKey, Suggestion
    from maillage.exchange.views_support import suggestions_for_display

    def say(message: str) -> None:
        print(message, flush=True)

    say(f"base : {connection.vendor} {connection.settings_dict['NAME']}")
    if not args.skip_generate:
        generate(args, say)
    figures: dict = {
        "database": connection.vendor,
        "people": Person.objects.count(),
        "ads": Ad.objects.count(),
    }
    if not args.skip_recompute:
        started = time.monotonic()
        result = matching.recompute_all(say=say, index_only=args.index_only)
        figures["index_only" if args.index_only else "recompute_s"] = round(
            time.monotonic() - started, 1
        )
        figures.update(result)
        say(f"recalcul : {time.monotonic() - started:.1f} s {result}")
    else:
        matching.analyze_tables()
    figures["match_keys"] = MatchKey.objects.count()
    figures["stored_suggestions"] = Suggestion.objects.count()
    rng = random.Random(args.seed + 1)
    person_ids = list(Person.objects.filter(user__isnull=False).values_list("pk", flat=True))
    ad_ids = list(Ad.objects.live().values_list("pk", flat=True))
    items = [
        (ItemType.PERSON, rng.choice(person_ids))
        if i % 2 == 0
        else (ItemType.AD, rng.choice(ad_ids))
        for i in range(args.queries)
    ]
    timings, found = [], []
    for item in items:
        started = time.perf_counter()
        ranked = matching.suggest(*item)
        timings.append((time.perf_counter() - started) * 1000)
        found.append(len(ranked))
    figures["top10_ms"] = {
        "p50": round(statistics.median(timings), 1),
        "p95": round(percentile(timings, 0.95), 1),
        "max": round(max(timings), 1),
        "mean_found": round(statistics.mean(found), 1),
    }
    from django.contrib.auth.models import AnonymousUser

    from maillage.accounts.models import User

    viewer = User.objects.filter(email__startswith="bench").first() or AnonymousUser()
    reads = []
    for item in items:
        started = time.perf_counter()
        suggestions_for_display(*item, viewer=viewer)
        reads.append((time.perf_counter() - started) * 1000)
    figures["stored_read_ms"] = {
        "p50": round(statistics.median(reads), 1),
        "p95": round(percentile(reads, 0.95), 1),
    }
    refresh = []
    for item in items[:20]:
        started = time.perf_counter()
        matching.refresh_item(*item)
        refresh.append((time.perf_counter() - started) * 1000)
    figures["incremental_refresh_ms"] = {
        "p50": round(statistics.median(refresh), 1),
        "p95": round(percentile(refresh, 0.95), 1),
    }
    figures["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    # The largest forked ranking worker (its inherited pages included).
    figures["max_worker_rss_mb"] = round(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    )
    say(json.dumps(figures, indent=2, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
