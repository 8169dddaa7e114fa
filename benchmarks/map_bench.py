"""Map benchmark: p50/p95 and payload of the clustered map data, against the naive way.

Runs on the database of DATABASE_URL (a throwaway one!). With --generate, it migrates,
loads the territories and generates the demo network at the requested size; then it
rebuilds the map tables (`rebuild_map`, timed) — each command in a process of its own,
as on a server. Then, through Django's test client (middleware, view,
JSON; anonymous visitor; DEBUG off), it sends --requests requests per scenario: a
1,280 × 800 viewport at zoom 5 (France), 8, 11 and 14 (centred on points drawn from the
data, seeded), filtered viewports, the list beside the map, and the same viewports
answered "the naive way" (every raw point in the bounds, see map_urls.py).

    createdb -h 127.0.0.1 -U postgres map_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/map_bench \\
        .venv/bin/python benchmarks/map_bench.py --generate --seed 7
    DATABASE_URL=sqlite:////tmp/map_bench.sqlite3 \\
        .venv/bin/python benchmarks/map_bench.py --generate --seed 7

The map scenarios run first and the peak memory is read after them: the naive answers
(up to 340,000 points in one JSON) need far more memory than the map ever does, and
would hide its figure. Another benchmark may share the machine: before each scenario
the script waits until the 1-minute load average is below --max-load.
"""

import argparse
import gzip
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

WIDTH, HEIGHT = 1280, 800
FRANCE = (46.6, 2.4)
ZOOMS = (5, 8, 11, 14)


def say(message: str) -> None:
    print(message, flush=True)


def wait_for_quiet(max_load: float, max_wait: float) -> float:
    """Sleep until the 1-minute load average is below `max_load` (at most `max_wait`
    seconds: the load is then recorded beside the figures); returns it."""
    deadline = time.monotonic() + max_wait
    while True:
        load = os.getloadavg()[0]
        if load < max_load or time.monotonic() > deadline:
            return load
        say(f"  charge {load:.2f} ≥ {max_load} : attente…")
        time.sleep(15)


def _ratio(value: float) -> str:
    return f"{value:.1f}" if value < 10 else f"{value:.0f}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def manage(*arguments: str) -> None:
    """A management command in a process of its own, as in production (and so that its
    memory is not counted as the web process's). Our interpreter, our script."""
    subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *arguments],
        check=True,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )


def generate(args) -> dict:
    manage("migrate", "-v0")
    manage("load_territories", "--if-missing")
    started = time.monotonic()
    manage(
        "demo_network",
        f"--people={args.people}",
        f"--organisations={args.organisations}",
        f"--initiatives={args.initiatives}",
        f"--seed={args.seed}",
    )
    return {"demo_s": time.monotonic() - started}


def centres(rng: random.Random, count: int) -> list[tuple[float, float]]:
    """Places where the network is, drawn from the points (dense areas more often)."""
    from maillage.maps.models import MapPoint

    ids = list(MapPoint.objects.public().order_by("pk").values_list("pk", flat=True))
    picked = rng.sample(ids, min(count, len(ids)))
    return list(MapPoint.objects.filter(pk__in=picked).values_list("latitude", "longitude"))


def viewport(lat: float, lon: float, zoom: int) -> dict:
    from maillage.maps import grid

    bbox = grid.viewport_bbox(lat, lon, zoom, WIDTH, HEIGHT)
    return {"bbox": ",".join(f"{v:.5f}" for v in bbox), "zoom": zoom}


def scenarios(rng: random.Random, count: int) -> dict[str, list[tuple[str, dict]]]:
    from django.urls import reverse

    from maillage.directory.models import Theme
    from maillage.territories.models import Territory

    data, page, naive = reverse("maps:data"), reverse("maps:map"), reverse("map_naive")
    places = centres(rng, 50)

    def views(zoom: int) -> list[dict]:
        if zoom == 5:
            return [viewport(*FRANCE, 5)] * count
        return [viewport(*places[i % len(places)], zoom) for i in range(count)]

    themes = list(Theme.objects.values_list("slug", flat=True))
    departements = list(
        Territory.objects.departements()
        .filter(code__in=["81", "11", "31", "34", "12", "82", "09", "26"])
        .values_list("pk", flat=True)
    )
    result: dict[str, list[tuple[str, dict]]] = {}
    for zoom in ZOOMS:
        result[f"carte, zoom {zoom}"] = [(data, v) for v in views(zoom)]
    for zoom in (5, 8):
        result[f"carte + thème, zoom {zoom}"] = [
            (data, v | {"theme": themes[i % len(themes)]}) for i, v in enumerate(views(zoom))
        ]
    result["carte + département, zoom 8"] = [
        (data, v | {"territoire": departements[i % len(departements)]})
        for i, v in enumerate(views(8))
    ]
    result["carte + type « structure », zoom 5"] = [
        (data, v | {"type": "structure"}) for v in views(5)
    ]
    result["carte autour d'un point (20 km), zoom 11"] = [
        (data, viewport(lat, lon, 11) | {"lat": f"{lat:.4f}", "lon": f"{lon:.4f}", "rayon": 20})
        for lat, lon in (places[i % len(places)] for i in range(count))
    ]
    for zoom in (5, 11):
        result[f"liste à côté de la carte, zoom {zoom}"] = [(page, v) for v in views(zoom)]
    for zoom in ZOOMS:
        result[f"naïf, zoom {zoom}"] = [(naive, v) for v in views(zoom)]
    return result


def measure(client, requests: list[tuple[str, dict]], headers: dict) -> dict:
    for url, params in requests[:5]:  # warm-up: caches, prepared plans
        client.get(url, params, headers=headers)
    durations, sizes, zipped, features = [], [], [], []
    for url, params in requests:
        started = time.perf_counter()
        response = client.get(url, params, headers=headers)
        durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, params, response.status_code)
        sizes.append(len(response.content))
        if response["Content-Type"].startswith("application/json"):
            body = json.loads(response.content)
            features.append(len(body["points"]) + len(body.get("clusters", [])))
        if len(zipped) < 20:
            zipped.append(len(gzip.compress(response.content, 6)))
    return {
        "n": len(durations),
        "p50_ms": statistics.median(durations),
        "p95_ms": percentile(durations, 0.95),
        "max_ms": max(durations),
        "bytes": int(statistics.mean(sizes)),
        "max_bytes": max(sizes),
        "gzip_bytes": int(statistics.mean(zipped)),
        "features": int(statistics.mean(features)) if features else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--generate", action="store_true", help="créer les données d'abord")
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=30_000)
    parser.add_argument("--initiatives", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--naive-requests", type=int, default=200, help="requêtes par scénario naïf"
    )
    parser.add_argument("--skip-rebuild", action="store_true", help="tables déjà calculées")
    parser.add_argument("--max-load", type=float, default=1.0)
    parser.add_argument("--max-wait", type=float, default=3600, help="attente maximale (s)")
    parser.add_argument("--only", help="seulement les scénarios dont le nom contient ceci")
    parser.add_argument("--json", type=Path, help="écrire aussi les mesures ici")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    from maillage.maps.models import MapCluster, MapPoint

    setup_test_environment()  # ALLOWED_HOSTS for the test client
    report: dict = {"vendor": connection.vendor, "args": vars(args) | {"json": str(args.json)}}
    if args.generate:
        report |= generate(args)
    if not args.skip_rebuild:
        # In a process of its own, as in production (and so that its memory, SQLite's
        # large page cache included, is not counted as the web process's).
        report["rebuild_load"] = wait_for_quiet(args.max_load, args.max_wait)
        started = time.monotonic()
        manage("rebuild_map")
        report["rebuild_s"] = time.monotonic() - started
        report["rebuild_peak_rss_mb"] = (
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        )
        say(f"Reconstruction : {report['rebuild_s']:.1f} s, {report['rebuild_peak_rss_mb']:.0f} Mo")
    report["points"] = MapPoint.objects.count()
    report["clusters"] = MapCluster.objects.count()
    say(f"{connection.vendor} : {report['points']} points, {report['clusters']} agrégats.")

    client = Client()
    rng = random.Random(args.seed)
    results = {}
    with override_settings(ROOT_URLCONF="benchmarks.map_urls"):
        plan = scenarios(rng, args.requests)
        for name, requests in plan.items():
            if args.only and args.only not in name:
                continue
            if name.startswith("naïf") and "peak_rss_mb" not in report:
                # The map's own peak, before the naive answers swell the process.
                report["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            if name.startswith("naïf"):
                requests = requests[: args.naive_requests]
            headers = {"HX-Request": "true"} if name.startswith("liste") else {}
            load = wait_for_quiet(args.max_load, args.max_wait)
            results[name] = measure(client, requests, headers) | {"load": load}
            r = results[name]
            say(
                f"  {name:<42} p50 {r['p50_ms']:8.1f} ms  p95 {r['p95_ms']:8.1f} ms"
                f"  {r['bytes']:>10} o  (charge {load:.2f})"
            )
    report.setdefault("peak_rss_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    report["peak_rss_with_naive_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report["scenarios"] = results
    say(
        f"Mémoire maximale : {report['peak_rss_mb']:.0f} Mo pour la carte, "
        f"{report['peak_rss_with_naive_mb']:.0f} Mo après les réponses naïves"
    )
    say(
        "\n| Scénario | p50 (ms) | p95 (ms) | octets (moy.) | gzip | éléments |"
        "\n| --- | --- | --- | --- | --- | --- |"
    )
    for name, r in results.items():
        say(
            f"| {name} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['bytes']} | "
            f"{r['gzip_bytes']} | {r['features'] if r['features'] is not None else ''} |"
        )
    say("\n| Zoom | p95 carte | p95 naïf | rapport | octets carte | octets naïf | rapport |")
    say("| --- | --- | --- | --- | --- | --- | --- |")
    for zoom in ZOOMS:
        m, n = results.get(f"carte, zoom {zoom}"), results.get(f"naïf, zoom {zoom}")
        if m and n:
            say(
                f"| {zoom} | {m['p95_ms']:.1f} ms | {n['p95_ms']:.1f} ms | "
                f"×{_ratio(n['p95_ms'] / m['p95_ms'])} | {m['bytes']} | {n['bytes']} | "
                f"×{n['bytes'] / m['bytes']:.0f} |"
            )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
