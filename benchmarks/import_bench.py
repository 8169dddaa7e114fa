"""Import benchmark: a long open-forum report read and drafted, end to end, with memory.

Generates a synthesis with the mess of real exports (private-use bullets U+F0B7/U+F0A7,
role-of-the-network tables serialised column after column with wrapped header cells, or
laid out in columns, or as tab rows; sign-ups with two addresses, +33 (0)6 / 0033 / 06.xx
phones, nicknames « Jojo (Joseph Pons) », surname first « GARNIER Sarah », addresses alone,
page footers inside lists, mailto: lines with typos), and grows it until its PDF has at
least --pages pages (the real page count and the text size are printed). Each format
(txt, docx, odt, pdf, built by `maillage/imports/tests/documents.py`) is then measured in
a fresh Python process, with Django set up as in the task worker:

- time, over --runs runs: `read_document(bytes)` (which starts the limited child process),
  `extract(text)`, and both together, end to end (median and max; the max is the first
  run, which loads the first names);
- memory: the peak resident set (VmHWM) of the process that runs `extract`, before and
  after the runs; tracemalloc's peak for extract's own allocations (first and second call,
  in another fresh process); the reader child's own peak (VmHWM, reported by the child on
  exit), checked against `getrusage(RUSAGE_CHILDREN).ru_maxrss` in a small launcher that
  only imports the readers. On Linux a child's ru_maxrss (and ru_maxrss of self) is at
  least its parent's resident set when it was started, so the launcher's own peak, printed
  as the floor, is the least ru_maxrss can show; ru_maxrss of self is kept in --json only.

Last, a cold `manage.py import_document PDF --dry-run --format json` (Django start-up
included) is timed --runs times through a small launcher (wall time, ru_maxrss), with a
bytecode cache and with the environment as it is. The measured processes get a private
bytecode cache (PYTHONPYCACHEPREFIX), as an installed site has one: this machine sets
PYTHONDONTWRITEBYTECODE, which would make every process compile Django and Faker again.

    .venv/bin/python benchmarks/import_bench.py [--pages 50] [--runs 5] [--seed 7]
        [--profile] [--max-wait SECONDS --calm LOAD] [--json out.json] [--keep DIR]

--profile prints cProfile's top functions (by cumulative time) for a second `extract` of
the PDF's text, and the first call's time. --max-wait waits, before each format, for the
one-minute load to fall under --calm. No database is used.
"""

import argparse
import json
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = "config.settings.test"

FIRST = ["Hélène", "Karim", "Louise", "Théo", "Agnès", "Paul", "Maëlle", "Sonia", "Marc",
         "Inès", "Julien", "Sarah", "Nadia", "Olivier", "Claire", "Mehdi", "Jérémie",
         "Solène", "Baptiste", "Kenza"]  # fmt: skip
LAST = ["Marchal", "Benali", "Fabre", "Garnier", "Roussel", "Vidal", "Costes", "Ferrand",
        "Delmas", "Brunet", "Marty", "Lopez", "Cherif", "Pons", "Duval", "Kaci", "Castex",
        "Roux-Delage", "Bénézech", "Verdier"]  # fmt: skip
NICKNAMES = [("Tom", "Thomas"), ("Zaza", "Isabelle"), ("Mimi", "Michèle"), ("Jojo", "Joseph"),
             ("Fanfan", "Françoise"), ("Bubu", "Bruno")]  # fmt: skip
ORGANISATIONS = ["Foncière Causses Solidaires", "Association Toits Partagés",
                 "CPIE du Haut-Lot", "Mission locale des Causses",
                 "Coopérative Soleil d'Oustalet", "Chambre d'agriculture", "CCAS de Vialarède",
                 "Association Lakou Vert"]  # fmt: skip
COMMUNES = ["Lauzerac", "Vialarède", "Montbrac", "Saint-Alban", "Le Bousquet"]
HEADINGS = [
    "GROUPE {n} – « {t} »",
    "Compte-rendu Groupe {n}  : « {t} »",
    "Compte rendu groupe {n} : {t}",
    "COMPTE RENDU DU GROUPE N° {n} : {t}",
    "Groupe n° {n} : {t}",
]
THEMES = ["Mobilité rurale", "Alimentation locale", "Habitat partagé", "Énergie citoyenne",
          "Tiers-lieux", "Culture en milieu rural", "Accueil des nouveaux habitants",
          "Se déplacer sans permis quand on a 17 ans",
          "Des lieux pour se retrouver au village"]  # fmt: skip
BULLETS = ["\uf0b7 ", "\uf0a7 ", "• ", "▪ ", "◦ ", "– ", "o "]
FOOTER = "Synthèse forum ouvert RCV – 12/04/2025                                        Page {p}"


def _phone(rng: random.Random, form: int) -> str:
    xx = rng.randint(10, 99)
    return [f"+33 (0)6 00 00 00 {xx}", f"0033 6 00 00 00 {xx}", f"06.00.00.00.{xx}",
            f"06 00 00 00 {xx}"][form % 4]  # fmt: skip


def _role_serialised(rng: random.Random, n: int) -> list[str]:
    """The role table as a PDF export serialises it: one column after the other, header
    cells wrapped over several lines, items wrapped (see corpus/forum-pdf-puces.txt)."""
    org = rng.sample(ORGANISATIONS, 3)
    middle = ["\uf0a7 Porter lui-même des projets", "immobiliers"] if n % 3 else ["Non renseigné"]
    return ["Rôle du réseau (RCV)", "Le réseau peut / doit", "poursuivre…", "",
            "(impulser, outiller,", "relayer)", "Le réseau ne doit", "pas aller au-delà", "",
            "Le réseau peut", "s'appuyer sur / agir", "avec…", "", "(personnes, structures,",
            "réseaux)", "", f"\uf0a7 Animer un cycle de visites {n} de",
            "projets d'habitat léger", "\uf0a7 Tenir à jour une liste des",
            "terrains disponibles", "", *middle, "",
            *(f"\uf0a7 {o}" for o in org), ""]  # fmt: skip


def _role_columns(rng: random.Random, n: int) -> list[str]:
    """The role table as `pdftotext -layout` lays it out: real columns, items wrapping
    inside their column (see corpus/forum-pdf-colonnes.txt)."""
    org = rng.sample(ORGANISATIONS, 3)
    rows = [
        ("Le réseau peut/doit poursuivre…", "… mais ne doit pas aller au-delà",
         "… peut s'appuyer sur / agir avec…"),
        (f"• Relayer les appels à projets {n}", "• Se porter garant d'un emprunt", f"• {org[0]}"),
        ("  d'énergie citoyenne", "  bancaire", f"• {org[1]}"),
        ("• Former des référents bénévoles", "", f"• {org[2]}"),
    ]  # fmt: skip
    return (
        ["Le rôle du réseau"]
        + [("   " + a.ljust(41) + b.ljust(42) + c).rstrip() for a, b, c in rows]
        + [""]
    )


def _role_tabs(rng: random.Random, n: int) -> list[str]:
    """The role table as Word's « texte brut » export writes it: tab-separated rows, an
    empty cell that must not shift the columns (see corpus/forum-word-outre-mer.txt)."""
    org = rng.sample(ORGANISATIONS, 2)
    return [
        "Le réseau peut ou doit continuer à …\tLe réseau ne doit pas aller plus loin"
        "\tLe réseau peut faire avec…",
        f"Recenser les jardins partagés ({n})\tDistribuer des subventions\t{org[0]}",
        f"Organiser un troc de semences\t\t{org[1]}",
        "",
    ]


def _sign_ups(rng: random.Random, n: int, count: int) -> tuple[list[str], list[str], int]:
    """Sign-up lines in every shape the importer reads; their addresses (for mailto:) and
    the number of persons written."""
    lines, emails = [], []
    columns = n % 4 == 3  # laid out in columns, as pdftotext -layout does
    bullet = rng.choice(["\uf0b7 ", "– ", "• ", ""])
    for k in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        slug = f"{first}.{last}".lower()
        for a, b in (("é", "e"), ("è", "e"), ("ë", "e"), ("ç", "c"), ("ï", "i")):
            slug = slug.replace(a, b)
        email = f"{slug}{n}@example.org"
        emails.append(email)
        shape = (n + k) % 8
        if columns:
            name = f"{last} {first}" if k % 2 else f"{first} {last}"
            phone = _phone(rng, k) if k % 3 == 0 else ""
            lines.append(f"   {name:<22} {email:<40} {phone}".rstrip())
        elif shape == 0:
            lines.append(f"{bullet}{last.upper()} {first} {email} {_phone(rng, 0)}")
        elif shape == 1:
            nick, given = rng.choice(NICKNAMES)
            email = f"{given.lower().replace('ç', 'c')}.{slug.split('.')[1]}{n}@example.net"
            emails[-1] = email
            lines.append(f"{bullet}{nick} ({given} {last}) {email}")
        elif shape == 2:
            lines.append(
                f"{bullet}{first} {last} {email} ; {slug.split('.')[0]}@asso{n}.example.org"
            )
        elif shape == 3:
            lines.append(
                f"{bullet}{first} {last} {email} / {slug[0]}.{slug.split('.')[1]}@example.com"
            )
        elif shape == 4:
            commune = rng.choice(COMMUNES).lower().replace(" ", "-")
            emails[-1] = f"accueil@mairie-{commune}{n}.example.fr"  # an address alone
            lines.append(f"{bullet}{emails[-1]}")
        elif shape == 5:
            lines.append(f"{bullet}{first} {last} {email} {_phone(rng, 1)}")
        elif shape == 6:
            lines.append(f"{bullet}{first} {last}, {rng.choice(ORGANISATIONS)} {email}")
            lines.append(f"{first} {last} {_phone(rng, 2)}")  # the same person, a phone only
        else:
            lines.append(f"{bullet}{first} {last} {email} (habitat léger,")
            lines.append("autoconstruction, chantiers participatifs)")
    if not columns:
        lines.append(lines[0])  # the first person listed twice
    return lines, emails, count


def _typo(email: str) -> str:
    local, domain = email.split("@")
    if len(local) > 3:
        local = local[:2] + local[3] + local[2] + local[4:]
    return f"{local}@{domain}"


def long_report(groups: int, seed: int = 7) -> tuple[str, int]:
    """The report's text and the number of sign-up lines written."""
    rng = random.Random(seed)
    lines = ["", "SYNTHÈSE DU FORUM OUVERT", "",
             "Forum ouvert « Vivre et agir sur les Hautes Terres » – Millau, samedi 12 avril 2025",
             "Organisé par le Réseau Causses et Vallées (RCV)", "",
             f"{groups} GROUPES DE TRAVAIL · {groups * 9} PARTICIPANT·ES", "", ""]  # fmt: skip
    people = 0
    for n in range(1, groups + 1):
        lines += ["", "", rng.choice(HEADINGS).format(n=n, t=rng.choice(THEMES)), ""]
        if n % 2:
            lines += [f"Personne(s) ressource(s) : {rng.choice(FIRST)} {rng.choice(LAST)}", ""]
        bullet = BULLETS[n % len(BULLETS)]
        lines += ["Constats"] + [
            f"{bullet}Constat {n}.{k} : une difficulté observée sur le terrain" for k in range(3)
        ]
        if n % 5 == 0:  # a page footer inside the list
            lines += ["", FOOTER.format(p=n // 2 + 1), ""]
        lines.append(f"{bullet}Constat {n}.3 : les habitants ne savent pas à qui s'adresser")
        lines += ["", rng.choice(["Propositions", "PROPOSITIONS", "Pistes d'action"])]
        numbered = n % 4 == 1
        for k in range(4):
            mark = (f"{k + 1}. " if k % 2 else f"{k + 1}) ") if numbered else "\uf0b7 "
            lines.append(f"{mark}Proposition {n}.{k} pour le réseau et ses membres")
        lines.append("")
        lines += [_role_serialised, _role_columns, _role_tabs][n % 3](rng, n)
        count = rng.randint(4, 7)
        lines += ["", "Suites à donner",
                  rng.choice([f"{count} personnes inscrites pour poursuivre les échanges",
                              f"Suites à donner : {count} personnes inscrites"]), ""]  # fmt: skip
        if lines[-2].startswith("Suites à donner :"):
            del lines[-3]
        sign_ups, emails, written = _sign_ups(rng, n, count)
        people += written
        lines += sign_ups
        lines += [""] + [f"mailto:{e}" for e in emails[:2]] + [f"mailto:{_typo(emails[-1])}", ""]
    return "\n".join(lines) + "\n", people


def _pdf_pages(data: bytes) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return len(pdf)
    finally:
        pdf.close()


def build(pages: int, seed: int) -> tuple[str, int, int, dict[str, bytes], int]:
    """Grow the report until its PDF has at least `pages` pages."""
    sys.path.insert(0, str(ROOT))
    from maillage.imports.tests import documents

    groups = max(2, pages)  # about a page per group; corrected below
    while True:
        text, people = long_report(groups, seed)
        pdf = documents.to_pdf(text)
        real = _pdf_pages(pdf)
        print(f"  {groups} groupes -> {real} pages", file=sys.stderr)
        if real >= pages:
            break
        groups = math.ceil(groups * pages / real) + (1 if real * 1.05 > pages else 0)
    formats = {
        "txt": text.encode(),
        "docx": documents.to_docx(text),
        "odt": documents.to_odt(text),
        "pdf": pdf,
    }
    return text, groups, people, formats, real


# --- measuring processes -------------------------------------------------------------


def _hwm_kb() -> int:
    """This process's own peak resident set (kB). Unlike getrusage(RUSAGE_SELF).ru_maxrss,
    it does not inherit the peak of the process that started this one."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    import django

    django.setup()


def worker(path: str, runs: int) -> dict:
    """In a fresh process: time read_document + extract `runs` times, then extract's memory."""
    import gc

    _setup_django()
    from maillage.imports.extract import extract
    from maillage.imports.readers import read_document

    data = Path(path).read_bytes()
    hwm_start = _hwm_kb()
    reads, extracts, totals = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        document = read_document(data)
        read_done = time.perf_counter()
        draft = extract(document.text)
        done = time.perf_counter()
        reads.append(read_done - started)
        extracts.append(done - read_done)
        totals.append(done - started)
        summary = {
            "groups": len(draft["groups"]),
            "contacts": sum(len(g["follow_up"]) for g in draft["groups"]),
            "stats": draft.get("stats"),
        }
        del draft
        gc.collect()
    return {
        "read": reads,
        "extract": extracts,
        "total": totals,
        "text_chars": len(document.text),
        "text_kb": len(document.text.encode()) / 1024,
        **summary,
        "hwm_start_kb": hwm_start,
        "hwm_kb": _hwm_kb(),
        # Shown for comparison only: it includes the peak of the process that started this one.
        "ru_maxrss_self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def trace(path: str) -> dict:
    """In a fresh process: tracemalloc's peak for extract's own allocations, on the first
    call (which loads the first names) and on a second one."""
    import tracemalloc

    _setup_django()
    from maillage.imports.extract import extract
    from maillage.imports.readers import read_document

    text = read_document(Path(path).read_bytes()).text
    peaks = []
    for _ in range(2):
        tracemalloc.start()
        extract(text)
        peaks.append(tracemalloc.get_traced_memory()[1] / 1024)
        tracemalloc.stop()
    return {"first_kb": peaks[0], "next_kb": peaks[1], "hwm_kb": _hwm_kb()}


def reader_rss(path: str, runs: int) -> dict:
    """In a small process: the reader child's peak resident set, through RUSAGE_CHILDREN."""
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    from maillage.imports.readers import read_document

    data = Path(path).read_bytes()
    floor = _hwm_kb()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        read_document(data)
        times.append(time.perf_counter() - started)
    return {
        "floor_kb": floor,
        "child_maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "times": times,
    }


# The reader child, started as read_document starts it, reporting its own peak (VmHWM) on exit.
_REPORT_HWM = """
import atexit, runpy, sys
def report():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM:'):
            sys.stderr.write(line)
atexit.register(report)
runpy.run_module('maillage.imports.readers', run_name='__main__', alter_sys=True)
"""


def reader_hwm(path: str) -> int:
    """The reader child's own peak resident set (kB), exactly: same module, same limits."""
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", _REPORT_HWM], input=Path(path).read_bytes(), cwd=ROOT, env=env,
        capture_output=True, check=False,
    )  # fmt: skip
    if b'"error"' in done.stdout[:200]:
        raise SystemExit(f"reader refused {path}: {done.stdout[:200]!r}")
    return int(done.stderr.decode().split("VmHWM:")[1].split()[0])


def run_command(command: list[str]) -> dict:
    """In a small process: a command's wall time and peak resident set (RUSAGE_CHILDREN:
    the command's own peak, or this process's, which is small, if higher)."""
    env = dict(os.environ)  # set by _cold_command
    floor = _hwm_kb()
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        command, cwd=ROOT, env=env, capture_output=True, check=False
    )
    elapsed = time.perf_counter() - started
    return {
        "seconds": elapsed,
        "returncode": done.returncode,
        "stdout_bytes": len(done.stdout),
        "stderr": done.stderr.decode(errors="replace")[-500:],
        "floor_kb": floor,
        "child_maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    }


def _bytecode_env(pycache: str | None) -> dict:
    """The environment, with a private bytecode cache if `pycache` is given: a deployment
    (`uv sync`, writable virtualenv) has one after its first start, whereas this machine may
    set PYTHONDONTWRITEBYTECODE (every process then compiles Django, Faker… again)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    if pycache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = pycache
    return env


PYCACHE: str | None = None  # set by bench(): the fresh processes' bytecode cache


def _in_fresh_process(*args: str, env: dict | None = None) -> dict:
    done = subprocess.run(  # noqa: S603 (this script, no shell)
        [sys.executable, __file__, *args],
        capture_output=True,
        check=False,
        cwd=ROOT,
        env=env or _bytecode_env(PYCACHE),
    )
    if done.returncode:
        raise SystemExit(f"{args[0]} failed:\n{done.stderr.decode(errors='replace')}")
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


def profile_extract(path: str, top: int = 30) -> None:
    """cProfile of extract() on a document's text, in a process where it already ran once
    (the first call also loads the first names: its time is printed)."""
    import cProfile
    import pstats

    _setup_django()
    from maillage.imports.extract import extract
    from maillage.imports.readers import read_document

    text = read_document(Path(path).read_bytes()).text
    started = time.perf_counter()
    extract(text)
    print(f"first extract() in this process: {time.perf_counter() - started:.2f} s")
    profiler = cProfile.Profile()
    profiler.enable()
    extract(text)
    profiler.disable()
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(top)


# --- report -----------------------------------------------------------------------------


def _s(value: float) -> str:
    return f"{value:.2f} s"


def _mb(kb: float) -> str:
    return f"{kb / 1024:.1f} MB"


def machine() -> str:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    load = os.getloadavg()
    return (
        f"nproc={os.cpu_count()}, CPU {cpu}, load average {load[0]:.2f} {load[1]:.2f} "
        f"{load[2]:.2f}, Python {sys.version.split()[0]}"
    )


def _cold_command(paths: dict, runs: int, pycache: str | None) -> list[dict]:
    """`runs` cold runs of manage.py import_document on the PDF; with a bytecode cache
    (primed by one untimed run) or in this machine's environment as it is."""
    command = [sys.executable, "manage.py", "import_document", str(paths["pdf"]), "--dry-run",
               "--format", "json"]  # fmt: skip
    env = _bytecode_env(pycache)
    if pycache:
        _in_fresh_process("--run", json.dumps(command), env=env)  # writes the cache, not counted
    measured = []
    for _ in range(runs):
        measured.append(_in_fresh_process("--run", json.dumps(command), env=env))
        if measured[-1]["returncode"]:
            raise SystemExit(f"manage.py failed: {measured[-1]['stderr']}")
    return measured


def _wait_for_calm(args: argparse.Namespace) -> float:
    """Wait (at most --max-wait seconds) for the one-minute load to fall under --calm; the
    load it measures at is returned and printed with the figures."""
    deadline = time.monotonic() + args.max_wait
    while os.getloadavg()[0] >= args.calm and time.monotonic() < deadline:
        time.sleep(5)
    return os.getloadavg()[0]


def bench(args: argparse.Namespace) -> dict:
    print(f"Machine: {machine()}")
    started = time.perf_counter()
    text, groups, people, formats, pages = build(args.pages, args.seed)
    print(
        f"Report: {pages} PDF pages, {groups} groups, {people} sign-ups written, "
        f"{len(text.splitlines())} lines, {len(text.encode()) / 1024:.0f} KB of text "
        f"(generated in {time.perf_counter() - started:.0f} s)"
    )
    print("Files: " + ", ".join(f"{k} {len(v) / 1024:.0f} KB" for k, v in formats.items()))
    directory = Path(args.keep or tempfile.mkdtemp(prefix="import-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, data in formats.items():
        paths[name] = directory / f"report-{pages}p.{name}"
        paths[name].write_bytes(data)
    global PYCACHE
    PYCACHE = str(directory / "pycache")
    _in_fresh_process("--trace", str(paths["txt"]))  # writes the bytecode cache, not counted
    results: dict = {"machine": machine(), "pages": pages, "groups": groups,
                     "sign_ups": people, "text_kb": len(text.encode()) / 1024,
                     "runs": args.runs, "formats": {}}  # fmt: skip
    print(
        "\n| format | text read | read_document (median / max) | extract (median / max) "
        "| end to end (median / max) | groups | contacts | reader child VmHWM "
        "(getrusage, floor) | extract process VmHWM | tracemalloc extract (1st / next) | load |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, path in paths.items():
        load = _wait_for_calm(args)
        measured = _in_fresh_process("--worker", str(path), "--runs", str(args.runs))
        measured["trace"] = _in_fresh_process("--trace", str(path))
        measured["reader_hwm_kb"] = reader_hwm(str(path))
        measured["reader_rusage"] = _in_fresh_process("--reader-rss", str(path), "--runs", "1")
        measured["load"] = load
        results["formats"][name] = measured
        r, e, t = measured["read"], measured["extract"], measured["total"]
        rusage, traced = measured["reader_rusage"], measured["trace"]
        print(
            f"| {name} | {measured['text_kb']:.0f} KB "
            f"| {_s(statistics.median(r))} / {_s(max(r))} "
            f"| {_s(statistics.median(e))} / {_s(max(e))} "
            f"| **{_s(statistics.median(t))}** / {_s(max(t))} "
            f"| {measured['groups']} | {measured['contacts']} "
            f"| {_mb(measured['reader_hwm_kb'])} ({_mb(rusage['child_maxrss_kb'])}, "
            f"{_mb(rusage['floor_kb'])}) "
            f"| {_mb(measured['hwm_start_kb'])} → {_mb(measured['hwm_kb'])} "
            f"| {_mb(traced['first_kb'])} / {_mb(traced['next_kb'])} | {load:.1f} |",
            flush=True,
        )
    load = _wait_for_calm(args)
    results["manage_py"] = {
        "inherited": _cold_command(paths, args.runs, None),
        "pycache": _cold_command(paths, args.runs, PYCACHE),
        "load": load,
    }
    print(f"\nCold `manage.py import_document {paths['pdf'].name} --dry-run --format json`, "
          f"{args.runs} runs each, Django start-up included (load {load:.1f}):")  # fmt: skip
    for label, key in (("environment as is", "inherited"), ("bytecode cache", "pycache")):
        runs = results["manage_py"][key]
        seconds = [c["seconds"] for c in runs]
        print(
            f"- {label}: median {_s(statistics.median(seconds))}, max {_s(max(seconds))}; "
            f"peak memory {_mb(max(c['child_maxrss_kb'] for c in runs))} "
            f"(floor {_mb(runs[0]['floor_kb'])})"
        )
    flag = os.environ.get("PYTHONDONTWRITEBYTECODE", "")
    print(f"  (PYTHONDONTWRITEBYTECODE={flag!r} here; the bytecode cache is a private "
          "PYTHONPYCACHEPREFIX, written by one untimed run)")  # fmt: skip
    if args.profile:
        print("\ncProfile of extract() on the PDF's text (second call), by cumulative time:")
        sys.stdout.flush()
        subprocess.run([sys.executable, __file__, "--profile-extract", str(paths["pdf"])],  # noqa: S603
                       cwd=ROOT, check=False, env=_bytecode_env(PYCACHE))  # fmt: skip
    print(f"\nDocuments kept in {directory}; load average at the end {os.getloadavg()[0]:.2f}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=50, help="at least this many PDF pages")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="cProfile one extract()")
    parser.add_argument("--max-wait", type=float, default=0, help="seconds to wait for --calm")
    parser.add_argument("--calm", type=float, default=1.5, help="one-minute load to wait for")
    parser.add_argument("--json", help="write the raw figures to this file")
    parser.add_argument("--keep", help="directory for the generated documents")
    # Internal modes, each run in a fresh process by the bench.
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--reader-rss", help=argparse.SUPPRESS)
    parser.add_argument("--trace", help=argparse.SUPPRESS)
    parser.add_argument("--run", help=argparse.SUPPRESS)
    parser.add_argument("--profile-extract", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.runs)))
    elif args.reader_rss:
        print(json.dumps(reader_rss(args.reader_rss, args.runs)))
    elif args.trace:
        print(json.dumps(trace(args.trace)))
    elif args.run:
        print(json.dumps(run_command(json.loads(args.run))))
    elif args.profile_extract:
        profile_extract(args.profile_extract)
    else:
        results = bench(args)
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
