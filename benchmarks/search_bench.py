"""Search benchmark: p50/p95 of the search page, suggestions and directory lists.

Runs on the database of DATABASE_URL (a throwaway one!). Unless --skip-generate, it
migrates, loads territories, generates the demo network at the requested size (the demo
ends with an index rebuild) and times `rebuild_search_index`. Then, through Django's test
client (middleware, views and templates included, anonymous visitor, DEBUG off), it
sends --requests requests per scenario, seeded, and prints a Markdown table.

    createdb -h 127.0.0.1 -U postgres search_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/search_bench \\
        .venv/bin/python benchmarks/search_bench.py --seed 7
    DATABASE_URL=sqlite:////tmp/search_bench.sqlite3 .venv/bin/python benchmarks/search_bench.py

Another benchmark may share the machine: before each scenario the script waits until
the 1-minute load average is below --max-load.
"""

import argparse
import json
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

FREQUENT = [
    "solidaire",
    "habitants",
    "jardins",
    "transition",
    "covoiturage",
    "énergie",
    "commune",
    "projets",
    "répare",
    "budget",
]
PAIRS = [
    ("budget", "participatif"),
    ("centrale", "villageoise"),
    ("repair", "café"),
    ("conseil", "citoyen"),
    ("jardins", "partagés"),
    ("atelier", "vélo"),
]


def wait_for_quiet(max_load: float, say, max_wait: float = 3600) -> float:
    """Sleep until the 1-minute load average is below `max_load` (at most `max_wait`
    seconds: the load is then recorded beside the figures); returns it."""
    deadline = time.monotonic() + max_wait
    while True:
        load = os.getloadavg()[0]
        if load < max_load or time.monotonic() > deadline:
            return load
        say(f"  charge {load:.2f} ≥ {max_load} : attente…")
        time.sleep(15)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))
    return ordered[index]


def generate(args, say) -> dict:
    from django.core.management import call_command

    timings = {}
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("load_territories", if_missing=True, verbosity=0)
    timings["territories_s"] = time.monotonic() - started
    started = time.monotonic()
    call_command(
        "demo_network",
        people=args.people,
        organisations=args.organisations,
        initiatives=args.initiatives,
        seed=args.seed,
    )
    timings["demo_s"] = time.monotonic() - started
    return timings


def rare_words(rng: random.Random, words: list[str], count: int, most: int = 50) -> list[str]:
    """Title words that at most `most` visible documents contain (a surname, a small
    commune): the vocabulary also holds "mairie" or "jardins", which are not rare."""
    from maillage.search.query import Search, Viewer

    rare = []
    for word in rng.sample(words, len(words)):
        if Search(word, viewer=Viewer()).run()[0].total <= most:
            rare.append(word)
            if len(rare) == count:
                break
    return rare or words[:count]


def scenarios(rng: random.Random, count: int) -> dict[str, list[tuple[str, dict]]]:
    """Each scenario: `count` (url, params) drawn from the data, seeded."""
    from django.urls import reverse

    from maillage.directory.models import Theme
    from maillage.search.models import SearchWord
    from maillage.territories.models import Territory

    search, suggest = reverse("search:results"), reverse("search:suggest")
    words = list(SearchWord.objects.order_by("pk").values_list("word", flat=True))
    rare = rare_words(rng, words, count)
    prefixes = [w[:3] for w in rng.sample(words, min(count, len(words)))]
    themes = list(Theme.objects.values_list("slug", flat=True))
    departements = list(
        Territory.objects.departements()
        .filter(code__in=["81", "11", "31", "34", "12", "82", "09", "26"])
        .values_list("pk", flat=True)
    )

    def draw(make) -> list[tuple[str, dict]]:
        return [make(i) for i in range(count)]

    directory = ["directory:initiatives", "directory:organisations", "directory:people"]
    return {
        "terme rare": draw(lambda i: (search, {"q": rare[i % len(rare)]})),
        "terme fréquent": draw(lambda i: (search, {"q": FREQUENT[i % len(FREQUENT)]})),
        "préfixe de 3 lettres (page)": draw(lambda i: (search, {"q": prefixes[i % len(prefixes)]})),
        "préfixe de 3 lettres (suggestions)": draw(
            lambda i: (suggest, {"q": prefixes[i % len(prefixes)]})
        ),
        "deux termes": draw(lambda i: (search, {"q": " ".join(PAIRS[i % len(PAIRS)])})),
        "terme + thème + département": draw(
            lambda i: (
                search,
                {
                    "q": FREQUENT[i % len(FREQUENT)],
                    "theme": rng.choice(themes),
                    "territoire": rng.choice(departements),
                },
            )
        ),
        "annuaire : listes (page 1 à 5)": draw(
            lambda i: (reverse(directory[i % 3]), {"page": 1 + (i // 3) % 5})
        ),
    }


def measure(client, requests: list[tuple[str, dict]]) -> dict:
    # Warm-up: a server that has been up for a while has the index in memory. Each
    # distinct request is sent once (at most 50) before the measured ones.
    distinct = {(url, tuple(sorted(params.items()))) for url, params in requests}
    for url, params in sorted(distinct)[:50]:
        client.get(url, dict(params))
    durations, sizes, slowest = [], [], []
    for url, params in requests:
        started = time.perf_counter()
        response = client.get(url, params)
        durations.append((time.perf_counter() - started) * 1000)
        slowest = sorted([*slowest, (durations[-1], params)], key=lambda x: -x[0])[:5]
        assert response.status_code == 200, (url, params, response.status_code)
        sizes.append(len(response.content))
    return {
        "n": len(durations),
        "p50_ms": statistics.median(durations),
        "p95_ms": percentile(durations, 0.95),
        "max_ms": max(durations),
        "bytes": int(statistics.mean(sizes)),
        "slowest": slowest,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=30_000)
    parser.add_argument("--initiatives", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--skip-generate", action="store_true", help="data already there")
    parser.add_argument("--skip-rebuild", action="store_true", help="index already built")
    parser.add_argument("--max-load", type=float, default=1.0)
    parser.add_argument(
        "--max-wait", type=float, default=3600, help="secondes d'attente au plus par scénario"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--only", help="run only the scenarios whose name contains this")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from maillage.search.models import SearchDocument

    def say(message: str) -> None:
        print(message, flush=True)

    setup_test_environment()  # ALLOWED_HOSTS for the test client, locmem mail
    report = {"vendor": connection.vendor, "args": vars(args) | {"json": str(args.json)}}
    if not args.skip_generate:
        report |= generate(args, say)
    if not args.skip_rebuild:
        wait_for_quiet(args.max_load, say, args.max_wait)
        started = time.monotonic()
        call_command("rebuild_search_index", verbosity=1)
        report["rebuild_s"] = time.monotonic() - started
    report["documents"] = SearchDocument.objects.count()
    say(f"{connection.vendor} : {report['documents']} documents dans l'index.")

    client = Client()
    rng = random.Random(args.seed)
    results = {}
    for name, requests in scenarios(rng, args.requests).items():
        if args.only and args.only not in name:
            continue
        load = wait_for_quiet(args.max_load, say, args.max_wait)
        results[name] = measure(client, requests) | {"load": load}
        r = results[name]
        say(
            f"  {name:<38} p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms"
            f"  (charge {load:.2f})"
        )
    report["scenarios"] = results
    report["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    say(f"Mémoire maximale du processus : {report['peak_rss_mb']:.0f} Mo")
    say("\n| Scénario | p50 (ms) | p95 (ms) | max (ms) | octets |\n| --- | --- | --- | --- | --- |")
    for name, r in results.items():
        say(
            f"| {name} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['max_ms']:.1f} | {r['bytes']} |"
        )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
