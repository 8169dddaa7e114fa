"""Reading a report's history: its sections with their labels, and what changed between
two versions, word by word (`difflib`), as HTML with `<ins>` and `<del>`.

Everything typed by people is escaped here before the markup is added.
"""

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

from .models import REPORT_TEXT_FIELDS, Report

# A word and the spaces after it: diffing on these keeps line breaks and spacing.
_TOKENS = re.compile(r"\S+\s*|\s+")


def label(name: str) -> str:
    return capfirst(str(Report._meta.get_field(name).verbose_name))


def sections(report: Report) -> list[tuple[str, str]]:
    """[(label, text), …] of the report's non-empty text fields, in template order."""
    return [
        (label(name), getattr(report, name))
        for name in REPORT_TEXT_FIELDS
        if (getattr(report, name) or "").strip()
    ]


def diff_html(before: str, after: str) -> SafeString:
    old, new = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    parts = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old[a1:a2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(''.join(old[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(''.join(new[b1:b2]))}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 — every piece is escaped above


def compare(before: dict, after: dict) -> list[dict]:
    """The fields that differ between two contents, with a word diff of each."""
    rows = []
    for name in REPORT_TEXT_FIELDS:
        old, new = (before or {}).get(name) or "", (after or {}).get(name) or ""
        if old.strip() != new.strip():
            rows.append({"name": name, "label": label(name), "diff": diff_html(old, new)})
    return rows


def annotate_changes(revisions: list) -> None:
    """Set `.changed` (labels of the fields changed) on revisions listed newest first."""
    for index, revision in enumerate(revisions):
        previous = revisions[index + 1].content if index + 1 < len(revisions) else {}
        revision.changed = [row["label"] for row in compare(previous, revision.content)]
