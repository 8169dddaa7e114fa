"""Import benchmark: a 20-page open-forum report parsed into its draft.

Generates a long, messy synthesis (irregular headings, contacts with phones, people
listed twice, mailto: lines with typos, role-of-the-network tables), in text, docx and
PDF (the PDF's page count is printed: at least 20). For each format it measures, over
--runs runs, the reading in the child process (`read_document`) and the extraction
(`extract`), and prints a Markdown table (median and max, seconds).

    .venv/bin/python benchmarks/import_bench.py [--groups 40] [--runs 5]

No database is used.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from maillage.imports.extract import extract  # noqa: E402
from maillage.imports.readers import read_document  # noqa: E402
from maillage.imports.tests import documents  # noqa: E402

FIRST = ["Hélène", "Karim", "Louise", "Théo", "Agnès", "Paul", "Maëlle", "Sonia", "Marc",
         "Inès", "Julien", "Sarah", "Nadia", "Olivier", "Claire", "Mehdi"]  # fmt: skip
LAST = ["Marchal", "Benali", "Fabre", "Garnier", "Roussel", "Vidal", "Costes", "Ferrand",
        "Delmas", "Brunet", "Marty", "Lopez", "Cherif", "Pons", "Duval", "Kaci"]  # fmt: skip
HEADINGS = [
    "Compte-rendu Groupe {n}  : « {t} »",
    "Compte rendu groupe {n} : {t}",
    "COMPTE RENDU DU GROUPE N° {n} : {t}",
    "Compte-rendu  Groupe {n}  : « {t} »",
]
THEMES = ["Mobilité rurale", "Alimentation locale", "Habitat partagé", "Énergie citoyenne",
          "Tiers-lieux", "Culture en milieu rural", "Accueil des nouveaux habitants"]  # fmt: skip


def long_report(groups: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    lines = ["SYNTHÈSE DU FORUM OUVERT",
             "Rencontres du réseau des Hautes Terres — Millau, 12 avril 2025", ""]  # fmt: skip
    for n in range(1, groups + 1):
        lines += ["", rng.choice(HEADINGS).format(n=n, t=rng.choice(THEMES)), "", "Constats"]
        lines += [f" Constat {n}.{k} : une difficulté observée sur le terrain" for k in range(4)]
        lines += ["", "PROPOSITIONS"]
        lines += [f" Proposition {n}.{k} pour le réseau et ses membres" for k in range(5)]
        lines += ["", "Le réseau peut ou doit continuer à     Le réseau ne peut pas aller plus loin"
                  "     Le réseau peut faire avec …", "",
                  "Animer un groupe thématique           Non rempli"
                  "                              CPIE, Chambre d'agriculture", ""]  # fmt: skip
        count = rng.randint(3, 6)
        lines += ["Suites à donner", f"{count} personnes inscrites pour poursuivre", ""]
        people = []
        for _ in range(count):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            email = f"{first.lower()}.{last.lower()}{n}@example.org"
            people.append(email)
            phone = (
                f" 06 00 00 {rng.randint(10, 99)} {rng.randint(10, 99)}"
                if rng.random() < 0.4
                else ""
            )
            lines.append(f" {first} {last} {email}{phone}")
        lines.append(f" {first} {last} {email}")  # listed twice
        lines += [""] + [f"mailto:{e}" for e in people[:2]] + [f"mailto:{people[-1][:-4]}.orgg"]
    return "\n".join(lines) + "\n"


def _pdf(text: str) -> tuple[bytes, int]:
    import html

    import pypdfium2 as pdfium
    from weasyprint import HTML

    body = "".join(f"<p>{html.escape(line) or '&nbsp;'}</p>" for line in text.split("\n"))
    page = ("<html><head><style>@page { size: A4; margin: 2cm }"
            "body { font-family: sans-serif; font-size: 10pt }"
            "p { margin: 0; white-space: pre-wrap }"
            "</style></head><body>" + body + "</body></html>")  # fmt: skip
    data = HTML(string=page).write_pdf()
    return data, len(pdfium.PdfDocument(data))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    text = long_report(args.groups)
    pdf, pages = _pdf(text)
    formats = {"txt": text.encode(), "docx": documents.to_docx(text), "pdf": pdf}
    print(f"Report: {len(text.splitlines())} lines, {len(text)} characters, PDF of {pages} pages")
    print("\n| format | read (child process) | extract | total | groups | contacts |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, data in formats.items():
        reads, extracts, totals = [], [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            document = read_document(data)
            read_done = time.perf_counter()
            draft = extract(document.text)
            done = time.perf_counter()
            reads.append(read_done - started)
            extracts.append(done - read_done)
            totals.append(done - started)
        contacts = sum(len(g["follow_up"]) for g in draft["groups"])
        print(
            f"| {name} | {statistics.median(reads):.3f} s | {statistics.median(extracts):.3f} s "
            f"| {statistics.median(totals):.3f} s (max {max(totals):.3f}) "
            f"| {len(draft['groups'])} | {contacts} |"
        )


if __name__ == "__main__":
    main()
