"""Reading and correcting a draft: the review form's names are the draft's node ids.

A value node (`{"id", "value", "lines"}`) is edited through the field `v-<id>`; any node
with an id shown on the page carries `seen-<id>` and a checkbox `keep-<id>`: seen but not
kept means dropped (`"dropped": true`). Dropped nodes stay in the draft (the reviewer can
bring them back) and are skipped when the import is accepted.
"""

import re
from collections.abc import Iterator
from datetime import date

from django.utils.translation import gettext as _

MAX_VALUE_CHARS = 5000
# Fields read as numbers, and as dates, when the reviewer corrects them.
NUMBER_KEYS = {"number", "participants_count", "excused_count"}
DATE_KEYS = {"date", "end_date"}


def value(node):
    if not isinstance(node, dict) or node.get("dropped"):
        return None
    return node.get("value")


def text(node) -> str:
    found = value(node)
    return "" if found is None else str(found).strip()


def kept(nodes) -> list:
    return [n for n in nodes or [] if not (isinstance(n, dict) and n.get("dropped"))]


def contacts(draft: dict) -> Iterator[dict]:
    for group in draft.get("groups", []):
        yield from group.get("follow_up", [])


def contact_fields(contact: dict) -> dict[str, str]:
    return {
        "name": text(contact.get("name")),
        "organisation": text(contact.get("organisation")),
        "email": text(contact.get("email")).lower(),
        "phone": text(contact.get("phone")),
    }


def walk(node, key: str = "") -> Iterator[tuple[str, dict]]:
    """Every node with an id, with the key it sits under."""
    if isinstance(node, dict):
        if "id" in node:
            yield key, node
        for child_key, child in node.items():
            if child_key in ("lines",):
                continue
            yield from walk(child, child_key if isinstance(child, dict) else key)
    elif isinstance(node, list):
        for child in node:
            yield from walk(child, key)


def parse_date(raw: str) -> date | None:
    raw = raw.strip()
    if match := re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", raw):
        day, month, year = (int(g) for g in match.groups())
    elif match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", raw):
        year, month, day = (int(g) for g in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def apply(draft: dict, data) -> tuple[dict, list[str]]:
    """The draft with the reviewer's corrections, and the errors found (French)."""
    errors: list[str] = []
    for key, node in walk(draft):
        node_id = node["id"]
        if f"seen-{node_id}" in data:
            node["dropped"] = f"keep-{node_id}" not in data
        field = f"v-{node_id}"
        if "value" not in node or field not in data:
            continue
        raw = str(data.get(field, ""))[:MAX_VALUE_CHARS].strip()
        if not raw:
            node["value"] = None
        elif key in DATE_KEYS:
            parsed = parse_date(raw)
            if parsed is None:
                errors.append(
                    _("« %(value)s » n'est pas une date (jj/mm/aaaa).") % {"value": raw[:40]}
                )
                continue
            node["value"] = parsed.isoformat()
        elif key in NUMBER_KEYS:
            if not raw.isdigit() or len(raw) > 6:
                errors.append(_("« %(value)s » n'est pas un nombre.") % {"value": raw[:40]})
                continue
            node["value"] = int(raw)
        elif key == "follow_up_declared":
            node["value"] = int(raw) if raw.isdigit() and len(raw) < 6 else raw[:40]
        else:
            node["value"] = raw
    return draft, errors


def display(node) -> str:
    """A value as the reviewer types it (dates as jj/mm/aaaa)."""
    found = node.get("value") if isinstance(node, dict) else None
    if found is None:
        return ""
    if isinstance(found, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", found):
        year, month, day = found.split("-")
        return f"{day}/{month}/{year}"
    return str(found)
