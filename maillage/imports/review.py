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
from django.utils.translation import gettext_lazy

MAX_VALUE_CHARS = 5000
# Fields read as numbers, and as dates, when the reviewer corrects them.
NUMBER_KEYS = {"number", "participants_count", "excused_count"}
DATE_KEYS = {"date", "end_date"}


ROLE_PARTS = ("continue", "stop", "with")
ROLE_LABELS = {
    "continue": gettext_lazy("Peut ou doit continuer à"),
    "stop": gettext_lazy("Ne peut pas ou ne doit pas aller plus loin"),
    "with": gettext_lazy("Peut faire avec"),
}

KIND_LABELS = {
    "open_forum_synthesis": gettext_lazy("Synthèse de forum ouvert"),
    "workshop_report": gettext_lazy("Compte rendu d'atelier"),
    "webinar_report": gettext_lazy("Compte rendu de webinaire"),
    "programme": gettext_lazy("Programme de rencontres"),
    "launch_report": gettext_lazy("Compte rendu de journée de lancement"),
    "unknown": gettext_lazy("Document non reconnu"),
}
IGNORED_REASONS = {
    "mailto_repeat": gettext_lazy("adresse répétée d'une ligne de la liste"),
    "mailto_repair": gettext_lazy("adresse qui a servi à compléter une adresse coupée"),
    "mailto_unknown": gettext_lazy("adresse absente de la liste (voir « À vérifier »)"),
    "page_footer": gettext_lazy("pied ou en-tête de page"),
    "yes_no": gettext_lazy("« oui » ou « non » isolé dans le tableau"),
}

# The reviewer's questions, stored in the draft as codes with their parameters (so that
# a French draft reads in English for an English-speaking facilitator).
QUESTIONS = {
    "date_missing": gettext_lazy("La date de la rencontre n'a pas été trouvée : indiquez-la."),
    "year_missing": gettext_lazy(
        "L'année de « %(label)s » n'est pas écrite : indiquez la date complète "
        "(l'importateur ne la devine pas)."
    ),
    "kind_unknown": gettext_lazy(
        "Le type de document n'a pas été reconnu : seuls le titre et la date ont été repris."
    ),
    "follow_up_count": gettext_lazy(
        "Groupe %(group)s : %(declared)s personne(s) annoncée(s) pour la suite, "
        "%(listed)s contact(s) distinct(s) listé(s)."
    ),
    "role_columns": gettext_lazy(
        "Groupe %(group)s : les colonnes du rôle du réseau n'étaient pas séparées dans le "
        "document ; les blocs ont été répartis dans l'ordre. Vérifiez chaque partie et "
        "déplacez ce qui est mal placé."
    ),
    "mailto_typo": gettext_lazy(
        "Ligne %(line)s : l'adresse « %(address)s » ressemble à « %(listed)s », donnée dans "
        "la liste : c'est sans doute une faute de frappe ; elle n'a pas été reprise."
    ),
    "mailto_unknown": gettext_lazy(
        "Ligne %(line)s : l'adresse « %(address)s » n'apparaît dans aucune ligne de la "
        "liste ; elle n'a pas été reprise. Ajoutez-la à la bonne personne si elle compte."
    ),
    "email_repaired": gettext_lazy(
        "Ligne %(line)s : l'adresse était coupée par des espaces ; elle a été complétée "
        "par celle de la ligne %(mailto_line)s (« %(address)s »)."
    ),
    "email_broken": gettext_lazy(
        "Ligne %(line)s : « %(text)s » ressemble à une adresse incomplète ; aucune adresse "
        "n'a été reprise pour cette personne."
    ),
    "same_name_two_emails": gettext_lazy(
        "Groupe %(group)s : « %(name)s » apparaît avec deux adresses ; l'import en fait une "
        "seule personne. Confirmez, ou séparez-les."
    ),
}


def question_text(question) -> str:
    """A reviewer question in the reader's language (older drafts hold plain text)."""
    if isinstance(question, str):
        return question
    template = QUESTIONS.get(question.get("code"))
    if template is None:
        return str(question.get("code", ""))
    params = question.get("params") or {}
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


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


def _find_group_item(draft: dict, node_id: str) -> tuple[dict, list] | None:
    """The group and the list (a role part or a section's items) that hold an item."""
    for group in draft.get("groups", []):
        lists = [group.get("role", {}).get(part, []) for part in ROLE_PARTS]
        lists += [section["items"] for section in group.get("sections", [])]
        for items in lists:
            if isinstance(items, list) and any(i.get("id") == node_id for i in items):
                return group, items
    return None


def move_item(draft: dict, node_id: str, target: str) -> bool:
    """Move an item of a group to a part of the network's role or to one of the group's
    sections (`target` is `continue`, `stop`, `with` or a section id)."""
    found = _find_group_item(draft, node_id)
    if found is None:
        return False
    group, items = found
    if target in ROLE_PARTS:
        destination = group.setdefault("role", {}).setdefault(target, [])
        if not isinstance(destination, list):
            return False
    else:
        section = next((s for s in group.get("sections", []) if s["id"] == target), None)
        if section is None:
            return False
        destination = section["items"]
    if destination is items:
        return True
    node = next(i for i in items if i.get("id") == node_id)
    items.remove(node)
    destination.append(node)
    return True


def _contact_by_id(draft: dict, contact_id: str) -> tuple[dict, dict] | None:
    for group in draft.get("groups", []):
        for contact in group.get("follow_up", []):
            if contact.get("id") == contact_id:
                return group, contact
    return None


def merge_contacts(draft: dict, contact_id: str, into_id: str) -> bool:
    """The reviewer says two contacts of one group are the same person: the second is
    folded into the first (every address, line and field kept) and dropped."""
    first, second = _contact_by_id(draft, into_id), _contact_by_id(draft, contact_id)
    if first is None or second is None or contact_id == into_id or first[0] is not second[0]:
        return False
    kept, merged = first[1], second[1]
    for key in ("name", "also_known_as", "organisation", "email", "phone", "interests"):
        if not text(kept.get(key)) and text(merged.get(key)):
            kept[key] = merged[key]
    known = {text(kept.get("email")).lower()} | {
        text(e).lower() for e in kept.get("other_emails", [])
    }
    for node in [merged.get("email"), *merged.get("other_emails", [])]:
        if text(node) and text(node).lower() not in known:
            kept.setdefault("other_emails", []).append(node)
            known.add(text(node).lower())
    kept["lines"] = sorted({*kept.get("lines", []), *merged.get("lines", [])})
    kept["listed_twice"] = True
    merged["dropped"] = True
    merged["merged_into"] = into_id
    return True


def split_contact(draft: dict, contact_id: str, *, new_id: str) -> bool:
    """The reverse of a merge the importer was unsure of: the other addresses of the
    same name become a contact of their own."""
    found = _contact_by_id(draft, contact_id)
    if found is None or not found[1].get("other_emails"):
        return False
    group, contact = found
    others = contact.pop("other_emails")
    contact.pop("confirm", None)
    twin = {
        "id": new_id,
        "name": dict(contact["name"], id=new_id + "n") if contact.get("name") else None,
        "organisation": None,
        "email": others[0],
        "other_emails": others[1:],
        "phone": None,
        "lines": sorted({line for node in others for line in node.get("lines", [])}),
    }
    position = group["follow_up"].index(contact) + 1
    group["follow_up"].insert(position, twin)
    return True


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
            # « ² » and other Unicode digits pass isdigit() but not int(): ASCII only.
            if not re.fullmatch(r"[0-9]{1,6}", raw):
                errors.append(_("« %(value)s » n'est pas un nombre.") % {"value": raw[:40]})
                continue
            node["value"] = int(raw)
        elif key == "follow_up_declared":
            node["value"] = int(raw) if re.fullmatch(r"[0-9]{1,5}", raw) else raw[:40]
        else:
            node["value"] = raw
    _apply_actions(draft, data, errors)
    return draft, errors


def _apply_actions(draft: dict, data, errors: list[str]) -> None:
    """Moves, merges and confirmations asked by the review form's buttons."""
    action = str(data.get("action", ""))
    verb, _sep, argument = action.partition(":")
    if verb == "move":
        node_id, _sep, target = argument.partition(">")
        target = target or str(data.get(f"to-{node_id}", ""))
        if not move_item(draft, node_id, target):
            errors.append(_("Cet élément n'a pas pu être déplacé."))
    elif verb == "confirm":
        found = _contact_by_id(draft, argument)
        if found is not None:
            found[1].pop("confirm", None)
    elif verb == "split":
        if not split_contact(draft, argument, new_id=f"{argument}b"):
            errors.append(_("Ce contact n'a pas pu être séparé."))
    for group in draft.get("groups", []):
        for contact in list(group.get("follow_up", [])):
            into = str(data.get(f"merge-{contact['id']}", ""))
            if into and not contact.get("dropped"):
                if not merge_contacts(draft, contact["id"], into):
                    errors.append(_("Ces deux contacts n'ont pas pu être fusionnés."))


def display(node) -> str:
    """A value as the reviewer types it (dates as jj/mm/aaaa)."""
    found = node.get("value") if isinstance(node, dict) else None
    if found is None:
        return ""
    if isinstance(found, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", found):
        year, month, day = found.split("-")
        return f"{day}/{month}/{year}"
    return str(found)
