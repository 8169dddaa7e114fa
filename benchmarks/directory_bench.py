"""Directory benchmark: p50/p95 of the four list pages at the size of a large network.

Runs on the database of DATABASE_URL (a throwaway one!) already filled by
`search_bench.py` or `map_bench.py --generate` (or `manage.py demo_network` with the
same sizes). Through Django's test client (middleware, views and templates included,
DEBUG off), it sends --requests requests per scenario: each list (people, resource
people, organisations, initiatives), pages 1 to 5, for an anonymous visitor and for a
member (whose lists also hold their own proposals and the profiles for members), and
the initiatives with a criterion (a theme, a département). Seeded, then a Markdown table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/maillage_bench \\
        .venv/bin/python benchmarks/directory_bench.py --json var/directory-pg.json
    DATABASE_URL=sqlite:////tmp/bench/maillage_bench.sqlite3 \\
        .venv/bin/python benchmarks/directory_bench.py --json var/directory-sqlite.json

Another benchmark may share the machine: before each scenario the script waits until
the 1-minute load average is below --max-load (at most --max-wait seconds) and records
the load beside the figures.
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

from benchmarks.search_bench import percentile, wait_for_quiet  # noqa: E402

LISTS = {
    "personnes": "directory:people",
    "personnes ressources": "directory:resource_people",
    "structures": "directory:organisations",
    "initiatives": "directory:initiatives",
}


def say(message: str) -> None:
    print(message, flush=True)


def scenarios(rng: random.Random, count: int) -> dict[str, list[tuple[str, str, dict]]]:
    """Each scenario: `count` (viewer, url, params), seeded."""
    from django.urls import reverse

    from maillage.directory.models import Theme
    from maillage.territories.models import Territory

    result: dict[str, list[tuple[str, str, dict]]] = {}
    for viewer in ("anonyme", "membre"):
        for label, name in LISTS.items():
            url = reverse(name)
            result[f"{label} ({viewer})"] = [
                (viewer, url, {"page": 1 + i % 5}) for i in range(count)
            ]
    themes = list(Theme.objects.values_list("slug", flat=True))
    departements = list(
        Territory.objects.departements()
        .filter(code__in=["81", "11", "31", "34", "12", "82", "09", "26"])
        .values_list("pk", flat=True)
    )
    url = reverse("directory:initiatives")
    result["initiatives + thème (anonyme)"] = [
        ("anonyme", url, {"theme": rng.choice(themes), "page": 1 + i % 5}) for i in range(count)
    ]
    result["initiatives + département (anonyme)"] = [
        ("anonyme", url, {"territoire": rng.choice(departements), "page": 1 + i % 5})
        for i in range(count)
    ]
    return result


def measure(clients: dict, requests: list[tuple[str, str, dict]]) -> dict:
    distinct = {(viewer, url, tuple(sorted(params.items()))) for viewer, url, params in requests}
    for viewer, url, params in sorted(distinct)[:50]:  # warm-up, as a server that runs
        clients[viewer].get(url, dict(params))
    durations, sizes, totals, estimated = [], [], set(), False
    for viewer, url, params in requests:
        started = time.perf_counter()
        response = clients[viewer].get(url, params)
        durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, params, response.status_code)
        sizes.append(len(response.content))
        paginator = response.context["page"].paginator
        totals.add(paginator.count)
        estimated |= paginator.estimated
    return {
        "n": len(durations),
        "p50_ms": statistics.median(durations),
        "p95_ms": percentile(durations, 0.95),
        "max_ms": max(durations),
        "bytes": int(statistics.mean(sizes)),
        "total": max(totals),
        "estimated": estimated,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--max-load", type=float, default=1.0)
    parser.add_argument("--max-wait", type=float, default=3600, help="attente maximale (s)")
    parser.add_argument("--only", help="seulement les scénarios dont le nom contient ceci")
    parser.add_argument("--json", type=Path, help="écrire aussi les mesures ici")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from maillage.accounts.models import User
    from maillage.directory.models import Initiative, Organisation, Person

    setup_test_environment()  # ALLOWED_HOSTS for the test client; context of responses
    report: dict = {
        "vendor": connection.vendor,
        "args": vars(args) | {"json": str(args.json)},
        "people": Person.objects.count(),
        "organisations": Organisation.objects.count(),
        "initiatives": Initiative.objects.count(),
    }
    say(
        f"{connection.vendor} : {report['people']} personnes, "
        f"{report['organisations']} structures, {report['initiatives']} initiatives."
    )
    # A plain member (not a facilitator, who sees every proposal) who proposed
    # something: their own proposals are in their lists.
    authors = (
        Initiative.objects.filter(status="proposed", created_by__is_active=True)
        .order_by("pk")
        .values_list("created_by_id", flat=True)[:200]
    )
    member = next(
        (
            u
            for u in User.objects.filter(pk__in=list(authors))
            if u.is_member and not u.is_facilitator
        ),
        None,
    ) or next(
        u for u in User.objects.filter(is_active=True) if u.is_member and not u.is_facilitator
    )
    report["member"] = member.pk
    clients = {"anonyme": Client(), "membre": Client()}
    clients["membre"].force_login(member)

    rng = random.Random(args.seed)
    results = {}
    for name, requests in scenarios(rng, args.requests).items():
        if args.only and args.only not in name:
            continue
        load = wait_for_quiet(args.max_load, say, args.max_wait)
        results[name] = measure(clients, requests) | {"load": load}
        r = results[name]
        say(
            f"  {name:<40} p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms"
            f"  total {'≈' if r['estimated'] else ''}{r['total']}  (charge {load:.2f})"
        )
    report["scenarios"] = results
    report["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    say(f"Mémoire maximale du processus : {report['peak_rss_mb']:.0f} Mo")
    say(
        "\n| Liste (pages 1 à 5, 200 requêtes) | p50 (ms) | p95 (ms) | total affiché | charge |"
        "\n| --- | --- | --- | --- | --- |"
    )
    for name, r in results.items():
        total = f"{'≈ ' if r['estimated'] else ''}{r['total']}"
        say(f"| {name} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {total} | {r['load']:.2f} |")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
