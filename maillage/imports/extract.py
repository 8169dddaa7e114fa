"""From a document's text to a structured draft that a facilitator reviews.

The draft is plain JSON (stored on `Import.draft`, printed by `import_document`). Every
extracted value is a *value node* `{"id": "v12", "value": …, "lines": [3, 4]}` that names
the line(s) of the text it came from (1-based), so nothing is shown that the reviewer
cannot check against the source. Lines that no rule placed are listed in `unplaced`;
lines read and deliberately not used (a `mailto:` repeated after a list) are in `ignored`.

The rules look at the shape of lines (a numbered group heading, a count of sign-ups, a
line with an e-mail address, a short capitalised heading, columns separated by wide
spacing), not at the exact words of one network's template, so that the next report,
written differently, still yields a usable draft.
"""

import re
from dataclasses import dataclass
from datetime import date

from maillage.core.text import normalise

from .contacts import (
    EMAIL,
    ParsedContact,
    edit_distance,
    is_organisation,
    looks_like_name,
    parse_line,
    pretty_name,
)

# --- Lines ------------------------------------------------------------------------------

_MD_SUP = re.compile(r"<sup>\s*\w{1,3}\s*</sup>", re.I)
_MD_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
_MD_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^>\s]+)>")
_MD_EMPHASIS = re.compile(r"(\*{1,3}|_{2,3})")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")
# Bullets as Word, LibreOffice and PDF converters emit them: the private-use glyphs of the
# Symbol and Wingdings fonts (U+F0B7, U+F0A7, U+F0D8…), typographic bullets and dashes,
# « o » and « 1. » / « 2) » items.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_GLYPHS = r"\-*•►▸▶▹▪◦●‣–—·■□➢➤✓✔→"
_BULLET = re.compile(rf"^\s*(?:[{_GLYPHS}]|\d{{1,2}}[.)](?!\d)|o(?=\s))\s*(?=\S)")
# « 1.1 », « 2.3. »: a numbered heading, not a list item.
_HEADING_NUMBER = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})+\.?\s+")
# A footnote call glued to a word (« webinaire[1] »), as Word exports them.
_FOOTNOTE_CALL = re.compile(r"(?<=\S)\[\d{1,3}\]")
_LEADING_GLYPHS = re.compile(rf"^[\s{_GLYPHS}\ue000-\uf8ff]+(?=\S)")


@dataclass
class Line:
    number: int
    raw: str
    text: str  # without Markdown marks, spaces kept (columns are told by wide spacing)
    level: int  # Markdown/Word heading level, 0 for a plain line

    @property
    def clean(self) -> str:
        return " ".join(self.text.split())

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def bulleted(self) -> bool:
        return bool(_BULLET.match(self.text))

    @property
    def item(self) -> str:
        """The line's text without its bullet or number."""
        return " ".join(_BULLET.sub("", self.text).split())


def _clean_markdown(raw: str) -> tuple[str, int]:
    # A tab inside a word in capitals (« CLÉ⇥RY », Word's justification) joins it again.
    raw = re.sub(r"(?<=[A-ZÀ-Ý]{2})\t(?=[A-ZÀ-Ý]{1,3}(?![\wÀ-ÿ]))", "", raw)
    text = raw.replace("\t", "    ").replace("\u00a0", " ").replace("\u202f", " ")
    # A private-use glyph is a bullet wherever it stands first, and noise elsewhere.
    text = _PRIVATE_USE.sub("•", text, count=1) if _PRIVATE_USE.match(text.lstrip()) else text
    text = _PRIVATE_USE.sub(" ", text)
    level = 0
    if match := _MD_HEADING.match(text):
        level = len(match.group(1))
        text = text[match.end() :]
    text = _MD_SUP.sub("", text)
    text = _FOOTNOTE_CALL.sub("", text)

    def link(match: re.Match) -> str:
        label, url = match.group(1).strip(), match.group(2)
        if url.startswith("mailto:") and label in (url, url[7:]):
            return url[7:]
        return url if label in ("", url) else f"{label} {url}"

    text = _MD_LINK.sub(link, text)
    text = _MD_AUTOLINK.sub(lambda m: m.group(1), text)
    text = _MD_EMPHASIS.sub("", text)
    if re.fullmatch(r"\s*([-*_=]\s*){3,}", text) or re.fullmatch(rf"\s*[{_GLYPHS}]\s*", text):
        # A rule, or a bullet left alone on its line by PDF extraction.
        text = ""
    return text.rstrip(), level


def split_lines(text: str) -> list[Line]:
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        cleaned, level = _clean_markdown(raw)
        lines.append(Line(number, raw, cleaned, level))
    return lines


# --- Recognisers shared by every kind of document ---------------------------------------

URL = re.compile(r"https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?»\"']")
MAILTO_LINE = re.compile(r"^\s*mailto:", re.I)
MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}
_MONTH_WORDS = "|".join(MONTHS)
DATE_WORDS = re.compile(rf"\b(\d{{1,2}})(?:er)?\s+({_MONTH_WORDS})(?:\s+(\d{{4}}))?\b")
DATE_NUMBERS = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b")
DECLARED = re.compile(
    r"\b(\d{1,3})(?:\s*(?:à|a|-|–|ou)\s*(\d{1,3}))?\s+(?:personnes?|participant\w*|inscrit\w*)",
    re.I,
)
# Labels that stand in a list of participants without naming anyone.
GENERIC_LABELS = re.compile(r"^(intervenant|invit|autres?\b|divers|etc|public|habitant)", re.I)
EMPTY_CELL = re.compile(r"^(non\s+rempli|non\s+renseign\w*|n/?a|neant|rien|vide|-+|\.+|…)$", re.I)


def find_date(text: str) -> tuple[date | None, bool]:
    """A date written in the text, and whether a day and month were seen without a year."""
    folded = normalise(text)
    if match := DATE_NUMBERS.search(text):
        day, month, year = (int(g) for g in match.groups())
        return _safe_date(year, month, day), False
    if match := DATE_WORDS.search(folded):
        day, month, year = match.groups()
        if year is None:
            return None, True
        return _safe_date(int(year), MONTHS[month], int(day)), False
    return None, False


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _strip_punct(text: str) -> str:
    return _LEADING_GLYPHS.sub("", text.strip(" \t:;,-–—•*·>►")).strip()


def clean_value(value):
    """No value starts with a bullet glyph, whatever rule produced it."""
    if isinstance(value, str):
        value = " ".join(_PRIVATE_USE.sub(" ", _LEADING_GLYPHS.sub("", value)).split())
    return value


# --- The draft ---------------------------------------------------------------------------

KINDS = {
    "open_forum_synthesis": "Synthèse de forum ouvert",
    "workshop_report": "Compte rendu d'atelier",
    "webinar_report": "Compte rendu de webinaire",
    "programme": "Programme de rencontres",
    "launch_report": "Compte rendu de journée de lancement",
    "unknown": "Document non reconnu",
}

GROUP_HEADING = re.compile(
    r"^\s*(?:compte[\s-]*rendu\s+(?:du\s+|de\s+l[’'])?)?(?:groupe|atelier|table)\s*"
    r"(?:n[°o]\s*)?(\d{1,3})(?:\s*[:.\-–—]\s*|\s*(?=[«\"“])|\s*$)(.*)$",
    re.I,
)
# A page's running footer or header, as PDF converters leave them inside the text.
_PAGE_FOOTER = re.compile(
    r"\bpage\s+\d{1,4}\s*(?:/|sur|of)\s*\d{1,4}\s*$|^\s*-?\s*\d{1,4}\s*-?\s*$", re.I
)


class Draft:
    """Builds the draft; every value goes through `value()` so that it carries its lines."""

    def __init__(self, lines: list[Line], kind: str):
        self.lines = lines
        self.used: set[int] = set()
        self._next = 0
        self.data: dict = {
            "kind": kind,
            "kind_label": KINDS[kind],
            "event": {
                "title": None,
                "date": None,
                "end_date": None,
                "place": None,
                "organisers": [],
                "participants_count": None,
                "excused_count": None,
            },
            "groups": [],
            "participants": [],
            "experiences": [],
            "days": [],
            "objectives": [],
            "priorities": [],
            "links": [],
            "contact_emails": [],
            "reviewer_questions": [],
            "ignored": [],
            "unplaced": [],
        }

    def new_id(self, prefix: str = "v") -> str:
        self._next += 1
        return f"{prefix}{self._next}"

    def value(self, value, *lines: Line | int) -> dict:
        numbers = sorted({line if isinstance(line, int) else line.number for line in lines})
        self.used.update(numbers)
        return {"id": self.new_id(), "value": clean_value(value), "lines": numbers}

    def use(self, *lines: Line) -> None:
        self.used.update(line.number for line in lines)

    def ignore(self, line: Line, reason: str) -> None:
        self.used.add(line.number)
        self.data["ignored"].append({"line": line.number, "text": line.clean, "reason": reason})

    def ask(self, code: str, **params) -> None:
        """A question for the reviewer, stored as a code (see `review.QUESTIONS`)."""
        question = {"code": code, "params": params}
        if question not in self.data["reviewer_questions"]:
            self.data["reviewer_questions"].append(question)

    def blank(self) -> dict:
        return {"id": self.new_id(), "value": None, "lines": []}

    def finish(self) -> dict:
        # Fields the reviewer may have to fill (a date not written) exist even when empty.
        event = self.data["event"]
        for key in ("title", "date", "end_date", "place"):
            event[key] = event[key] or self.blank()
        for group in self.data["groups"]:
            for key in ("title", "question", "resource_person", "follow_up_declared"):
                group[key] = group.get(key) or self.blank()
            role = group.setdefault("role", {})
            for key in ROLE_PARTS:
                role[key] = role.get(key) or []
            items = [i for key in ROLE_PARTS for i in role[key]]
            items += [i for section in group.get("sections", []) for i in section["items"]]
            for item in items:
                if isinstance(item.get("value"), str):
                    item["value"] = item["value"].rstrip(" -–—")
            role.setdefault("uncertain", False)
        self.data["unplaced"] = [
            {"line": line.number, "text": line.clean}
            for line in self.lines
            if not line.blank and line.number not in self.used
        ]
        self.data["stats"] = _stats(self.data)
        return self.data


def _stats(data: dict) -> dict:
    emails, people = set(), set()
    for group in data["groups"]:
        for contact in group.get("follow_up", []):
            emails.update(e.lower() for e in _all_emails(contact))
            if contact.get("name"):
                people.add(contact_key(contact))
    for email in data["contact_emails"]:
        emails.add(email["value"].lower())
    return {"distinct_emails": len(emails), "distinct_follow_up_people": len(people)}


def contact_key(contact: dict) -> str:
    if contact.get("email"):
        return "@" + contact["email"]["value"].lower()
    name = contact.get("name") or contact.get("organisation")
    return "n:" + normalise(name["value"] if name else "")


# --- Recognising the kind of document ---------------------------------------------------


def detect_kind(lines: list[Line]) -> str:
    text = normalise(" ".join(line.clean for line in lines[:400]))
    head = normalise(" ".join(line.clean for line in lines[:12]))
    groups = sum(1 for line in lines if GROUP_HEADING.match(line.clean))
    slots = sum(1 for line in lines if SLOT.match(line.clean))
    scores = {
        "open_forum_synthesis": 3 * groups + 4 * ("forum ouvert" in text),
        "workshop_report": 3 * ("atelier" in head)
        + 2 * bool(re.search(r"\bporteur", text))
        + 2 * bool(re.search(r"\bparticipants?\b", text))
        + bool(re.search(r"\bquestion\b", text)),
        "webinar_report": 5 * ("webinaire" in head)
        + 2 * bool(re.search(r"\b(obstacles?|astuces?)\b", text)),
        "programme": 2 * min(slots, 5) + 3 * ("programme" in text),
        "launch_report": 6 * ("lancement" in head) + 2 * ("objectif" in text),
    }
    kind, score = max(scores.items(), key=lambda item: item[1])
    return kind if score >= 4 else "unknown"


def extract(text: str) -> dict:
    """The structured draft of a document's text (see the module docstring)."""
    lines = split_lines(text)
    kind = detect_kind(lines)
    footers = []
    for line in lines:
        if line.text.strip() and _PAGE_FOOTER.search(line.text) and len(line.clean) < 120:
            footers.append((line.number, line.clean))
            line.text = ""
    draft = Draft(lines, kind)
    for number, footer in footers:
        draft.data["ignored"].append({"line": number, "text": footer, "reason": "page_footer"})
        draft.used.add(number)
    EXTRACTORS.get(kind, _extract_unknown)(draft)
    return draft.finish()


def _content(lines: list[Line]) -> list[Line]:
    return [line for line in lines if not line.blank]


# --- Event line (title, date, place) ----------------------------------------------------

_WEEKDAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche"
_WEEKDAY = re.compile(r"[,\s]*\b(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s*$", re.I)
_SEPARATOR = re.compile(r"\s+[—–-]\s+|\s{3,}")


def _event_from_line(draft: Draft, line: Line, *, title: bool = True) -> bool:
    """Read title, place and date from a line like 'Rencontres … — Albi, 14 mars 2025'."""
    when, yearless = find_date(line.clean)
    if when is None and not yearless:
        return False
    event = draft.data["event"]
    if when:
        event["date"] = draft.value(when.isoformat(), line)
    parts = _SEPARATOR.split(line.text.strip())
    date_part = next(
        (p for p in parts if find_date(p)[0] or find_date(p)[1]), parts[-1] if parts else ""
    )
    rest = [p for p in parts if p is not date_part and p.strip()]
    place = None
    if match := re.search(r"\b(?:à|a)\s+([A-ZÉÈÀÂ][\w'’ -]{1,40}?)\s*(?:[,.(]|$)", date_part):
        place = match.group(1)
    else:
        before = re.split(r"\b\d", date_part, maxsplit=1)[0]
        before = re.sub(r"\b(le|du|les)\s*$", "", before.strip(" ,"), flags=re.I).strip(" ,")
        before = re.sub(_WEEKDAY, "", before).strip(" ,")
        if before and looks_like_name(before) and len(before.split()) <= 4:
            place = before
    if place:
        event["place"] = draft.value(place.strip(), line)
    if title and rest:
        candidate = _strip_punct(rest[0])
        candidate = DATE_NUMBERS.sub("", candidate).strip()
        if candidate:
            event["title"] = draft.value(candidate, line)
    return True


# --- Open-forum synthesis ---------------------------------------------------------------


def _extract_open_forum(draft: Draft) -> None:
    lines = draft.lines
    starts = [i for i, line in enumerate(lines) if GROUP_HEADING.match(line.clean)]
    preamble = lines[: starts[0]] if starts else lines
    for line in _content(preamble)[:8]:
        if _event_from_line(draft, line):
            break
    first = _content(preamble)[:1]
    if first and "forum" in normalise(first[0].clean):
        draft.use(first[0])
        if draft.data["event"]["title"] is None:
            draft.data["event"]["title"] = draft.value(first[0].clean, first[0])
    if draft.data["event"]["date"] is None:
        draft.ask("date_missing", what="meeting")
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        draft.data["groups"].append(_group(draft, lines[start:end]))
    _compare_declared(draft)


def _compare_declared(draft: Draft) -> None:
    """Say when the count written in the text differs from the people actually listed."""
    for group in draft.data["groups"]:
        declared = group.get("follow_up_declared")
        if declared is None:
            continue
        listed = len(group["follow_up"])
        value = declared["value"]
        numbers = [int(n) for n in re.findall(r"\d+", str(value))] or [0]
        low, high = min(numbers), max(numbers)
        if not low <= listed <= high:
            number = group["number"]["value"] if group.get("number") else "?"
            draft.ask("follow_up_count", group=number, declared=value, listed=listed)


_ROLE_HEADER = re.compile(
    r"(continuer|poursuivre|ne\s+peut\s+pas|ne\s+doit\s+pas|peut\s+faire\s+avec|plus\s+loin|"
    r"au[\s-]+del[àa]|r[ôo]le\s+du\s+r[ée]seau|je\s+pense\s+que|avancer,|"
    r"structures,\s+r[ée]seaux|s.appuyer\s+sur|agir\s+avec)",
    re.I,
)
# Words that the wrapped header cells of the role table are made of: a line made only of
# them (« plus loin », « les personnes, structures, ») continues a header, never an item.
_HEADER_WORDS = set(
    "a au avancer avec citer continuer dela dessus doit du en faire je la le les loin "
    "mobiliser ne ou pas peut pense personnes plus poursuivre que reflechir reseau reseaux "
    "role s sur structures appuyer agir aller partenaires acteurs cette ce theme proposition "
    "d de des qui quoi etc impulser outiller relayer".split()
)
# The start of one of the three header cells.
_CELL_START = re.compile(
    r"\b(peut|doit|continuer|poursuivre|faire\s+avec|s.appuyer|agir\s+avec)\b|"
    r"r[ôo]le\s+du\s+r[ée]seau|je\s+pense\s+que",
    re.I,
)
_FOLLOW_UP = re.compile(
    r"^\s*(?:suites?\s+(?:à|a)\s+donner|personnes?\s+int[ée]ress[ée]e?s|"
    r"(?:liste\s+des\s+)?inscrit\S*\s+pour\s+(?:la\s+suite|poursuivre)|pour\s+poursuivre)"
    r"\b\s*:?\s*(.*)$",
    re.I,
)
_RESOURCE = re.compile(r"^\s*personnes?(?:\(s\))?[\s-]+ressources?(?:\(s\))?\s*:?\s*(.*)$", re.I)
_SECTION_WORDS = re.compile(
    r"^(?:(?:les|des|nos|quelques)\s+)?(constats?|propositions?|priorit|pistes?|questions?|a\s+voir|evaluer|participants?|"
    r"principes?|attention|idees?|actions?|besoins?|ressources?|objectifs?|freins?|leviers?|"
    r"synthese|decisions?|prochaines?|porteu|elements|discussion|echanges)",
)
_YES_NO = re.compile(r"^(oui|non)\s*[:.!]?\s*", re.I)
ROLE_PARTS = ("continue", "stop", "with")
_EMPTY_SPLIT = re.compile(r"(non\s+rempli|non\s+renseign[ée]e?s?)", re.I)


def _category(title: str) -> str:
    folded = normalise(title)
    if folded.startswith("constat"):
        return "findings"
    if re.match(r"(proposition|priorit|piste|action|idee|decision|a voir)", folded):
        return "proposals"
    if folded.startswith("question"):
        return "questions"
    return "notes"


def _section_heading(line: Line) -> str | None:
    """The title if `line` opens a section: 'PROPOSITIONS', 'Constats', 'o attention', 'X :'."""
    text = line.clean
    if line.level:
        return _strip_punct(text)
    if match := re.match(r"^o\s+(\S.{0,50})$", text):
        return _strip_punct(match.group(1))
    if len(text) > 60 or len(text.split()) > 7 or line.bulleted:
        return None
    bare = _strip_punct(text.rstrip("….").rstrip())
    letters = [c for c in bare if c.isalpha()]
    if not letters:
        return None
    if all(c.isupper() for c in letters) and len(letters) > 3:
        return bare
    if text.endswith(":") or _SECTION_WORDS.match(normalise(bare)):
        return bare
    return None


def _columns(text: str) -> list[tuple[int, str]]:
    """Parts of a line separated by wide spacing, with their offsets."""
    return [(m.start(), m.group(0)) for m in re.finditer(r"\S+(?: \S+)*", text)]


def _continues(previous: str, line: Line) -> bool:
    """Does `line` carry on the item above (a wrapped line), rather than start another?"""
    if line.bulleted or not previous:
        return False
    text = line.clean
    if previous.rstrip().endswith((".", "!", "?", ":", ";")):
        return False
    opened = previous.count("(") > previous.count(")")
    return opened or text[:1].islower() or previous.rstrip().endswith((",", "–", "-", "'", "’"))


def _add_item(draft: Draft, items: list, line: Line, text: str | None = None) -> None:
    """Append the line as an item, or to the item above when it wraps."""
    text = _LEADING_GLYPHS.sub("", (line.item if text is None else text).strip())
    text = text.lstrip(" :;,-–—•*·>►").rstrip(" :;,")
    if (
        items
        and items[-1]["value"].endswith((" –", " -", " —"))
        and not _continues(items[-1]["value"], line)
    ):
        items[-1]["value"] = items[-1]["value"].rstrip(" -–—")
    if not text:
        draft.use(line)
        return
    if items and _continues(items[-1]["value"], line):
        last = items[-1]
        before = last["value"].rstrip()
        # « agri-» + « culteurs », « Saint-» + « Amans »: a word cut at its hyphen.
        glue = "" if re.search(r"\w-$", before) else " "
        last["value"] = clean_value(f"{before}{glue}{text}")
        last["lines"] = sorted({*last["lines"], line.number})
        draft.use(line)
        return
    items.append(draft.value(text, line))


def _group(draft: Draft, lines: list[Line]) -> dict:
    heading = lines[0]
    match = GROUP_HEADING.match(heading.clean)
    number, rest = int(match.group(1)), match.group(2)
    quoted = re.search(r"[«\"“]\s*(.+?)\s*[»\"”]", rest)
    title = quoted.group(1) if quoted else _strip_punct(rest)
    group = {
        "id": draft.new_id("g"),
        "number": draft.value(number, heading),
        "title": draft.value(title, heading) if title else None,
        "question": None,
        "resource_person": None,
        "sections": [],
        "role": {"continue": [], "stop": [], "with": [], "uncertain": False},
        "follow_up_declared": None,
        "follow_up": [],
    }
    body = lines[1:]
    mailtos = _mailto_addresses(body)
    section: dict | None = None
    column_sections: list[tuple[int, dict]] = []
    mode = "body"
    i = 0
    while i < len(body):
        line = body[i]
        text = line.clean
        if line.blank:
            i += 1
            continue
        if MAILTO_LINE.match(text):
            i += 1
            continue  # read once the list is known (below)
        if match := _FOLLOW_UP.match(text):
            draft.use(line)
            mode, section, column_sections = "follow_up", None, []
            _declared(draft, group, line, match.group(1))
            i += 1
            continue
        if match := _RESOURCE.match(text):
            draft.use(line)
            name = _strip_punct(match.group(1))
            if not name and i + 1 < len(body):
                nxt = next((ln for ln in body[i + 1 :] if not ln.blank), None)
                if nxt and looks_like_name(nxt.item):
                    group["resource_person"] = draft.value(pretty_name(nxt.item), nxt)
                    i = body.index(nxt) + 1
                    continue
            elif name:
                group["resource_person"] = draft.value(pretty_name(name), line)
            i += 1
            continue
        if mode == "follow_up":
            if group["follow_up_declared"] is None and DECLARED.search(text):
                _declared(draft, group, line, text)
                i += 1
            else:
                i = _follow_up_line(draft, group, body, i, mailtos)
            continue
        if _is_role_header(text):
            i = _role_table(draft, group, body, i)
            section, column_sections = None, []
            continue
        title = _section_heading(line)
        if title:
            draft.use(line)
            parts = _columns(line.text)
            if len(parts) > 1 and not line.level:
                column_sections = []
                for offset, part in parts:
                    new = _new_section(draft, group, _strip_punct(part))
                    column_sections.append((offset, new))
                section = None
            else:
                section = _new_section(draft, group, title)
                column_sections = []
            i += 1
            continue
        if column_sections:
            for offset, part in _columns(line.text):
                target = min(column_sections, key=lambda c: abs(c[0] - offset))[1]
                # Each column keeps its own items: a part that wraps continues its own.
                _add_item(draft, target["items"], Line(line.number, part, part, 0))
                draft.use(line)
        elif section is not None:
            _add_item(draft, section["items"], line)
            if section["category"] == "questions" and group["question"] is None:
                group["question"] = section["items"][-1]
        elif group["question"] is None and not group["sections"]:
            group["question"] = draft.value(line.item, line)
        i += 1
    # Contacts listed twice in the group are one person: merge them, keeping every line.
    group["follow_up"] = _merge_contacts(draft, group, group["follow_up"])
    for line in body:
        if MAILTO_LINE.match(line.clean):
            _mailto(draft, group, line)
    return group


def _new_section(draft: Draft, group: dict, title: str) -> dict:
    section = {
        "id": draft.new_id("s"),
        "title": clean_value(title),
        "category": _category(title),
        "items": [],
    }
    group["sections"].append(section)
    return section


def _declared(draft: Draft, group: dict, line: Line, text: str) -> None:
    if match := DECLARED.search(text):
        low, high = match.group(1), match.group(2)
        connector = "ou" if re.search(rf"{low}\s*ou\s*{high}", match.group(0)) else "à"
        value = int(low) if high is None else f"{low} {connector} {high}"
        group["follow_up_declared"] = draft.value(value, line)


def _mailto_address(line: Line) -> str:
    return line.clean.split(":", 1)[1].strip().strip("<>").lower()


def _mailto_addresses(body: list[Line]) -> dict[str, int]:
    """The `mailto:` lines of a group (address -> line), read before its list so that an
    address broken in the list can be repaired from its whole form."""
    return {_mailto_address(line): line.number for line in body if MAILTO_LINE.match(line.clean)}


def _all_emails(contact: dict) -> list[str]:
    emails = [contact["email"]["value"]] if contact.get("email") else []
    return emails + [e["value"] for e in contact.get("other_emails", [])]


def _mailto(draft: Draft, group: dict, line: Line) -> None:
    """A `mailto:` line repeats an address of the list above: never a new contact."""
    address = _mailto_address(line)
    known = {e for c in group["follow_up"] for e in _all_emails(c)}
    if address in known:
        reason = (
            "mailto_repair"
            if any(c.get("repaired_from") == line.number for c in group["follow_up"])
            else "mailto_repeat"
        )
        draft.ignore(line, reason)
        return
    draft.ignore(line, "mailto_unknown")
    distances = [(edit_distance(k, address, limit=2), k) for k in sorted(known)]
    near = min(distances, default=None)
    if near and near[0] <= 2:
        draft.ask("mailto_typo", line=line.number, address=address, listed=near[1])
    else:
        draft.ask("mailto_unknown", line=line.number, address=address)


def _follow_up_line(draft: Draft, group: dict, body: list[Line], i: int, mailtos) -> int:
    """Read the contact that starts at body[i]; return the index of the next line."""
    line = body[i]
    used = [line]
    text = line.item
    # A parenthesis that wraps onto the next line(s) belongs to this contact.
    j = i + 1
    while text.count("(") > text.count(")") and j < len(body) and len(used) < 4:
        nxt = body[j]
        j += 1
        if nxt.blank:
            continue
        if MAILTO_LINE.match(nxt.clean) or EMAIL.search(nxt.clean) and "(" not in text[-40:]:
            break
        used.append(nxt)
        text = f"{text} {nxt.item}"
    parsed = parse_line(text)
    if parsed is None:
        return i + 1
    contact = _contact_node(draft, group, parsed, used, mailtos)
    if contact is not None:
        group["follow_up"].append(contact)
    return body.index(used[-1]) + 1


def _contact_node(draft: Draft, group, parsed: ParsedContact, used: list[Line], mailtos) -> dict:
    emails = list(parsed.emails)
    repaired_from = None
    if parsed.broken_email:
        squeezed = re.sub(r"\s+", "", parsed.broken_email).lower()
        whole = next((a for a in mailtos if a == squeezed), None)
        if whole:
            emails.append(whole)
            repaired_from = mailtos[whole]
            draft.ask(
                "email_repaired",
                line=used[0].number,
                address=whole,
                mailto_line=repaired_from,
            )
        else:
            draft.ask("email_broken", line=used[0].number, text=parsed.broken_email)
    if parsed.empty and not emails:
        draft.use(*used)
        return None

    def node(value):
        return draft.value(value, *used) if value else None

    contact = {
        "id": draft.new_id("c"),
        "name": node(parsed.name),
        "also_known_as": node(parsed.also_known_as),
        "organisation": node(parsed.organisation),
        "email": node(emails[0] if emails else ""),
        "other_emails": [draft.value(e, *used) for e in emails[1:]],
        "phone": node(parsed.phone),
        "interests": node(parsed.interests),
        "lines": sorted(line.number for line in used),
    }
    if parsed.surname_first:
        contact["surname_first"] = True
    if repaired_from:
        contact["repaired_from"] = repaired_from
    return contact


def parse_contact(draft: Draft, line: Line) -> dict | None:
    """Name, organisation, e-mails and phone from one line of a sign-up list."""
    parsed = parse_line(line.item)
    if parsed is None or parsed.empty:
        return None
    return _contact_node(draft, {}, parsed, [line], {})


def _merge_contacts(draft: Draft, group: dict, contacts: list[dict]) -> list[dict]:
    """One entry per person: the same address twice, an address alone that a named line
    also gives, a name written once with and once without an address. The same name
    with two different addresses is one person too, but the reviewer must confirm."""
    kept: list[dict] = []
    by_email: dict[str, dict] = {}
    by_name: dict[str, dict] = {}
    for contact in contacts:
        emails = _all_emails(contact)
        name = normalise(contact["name"]["value"]) if contact.get("name") else ""
        same = next((by_email[e] for e in emails if e in by_email), None)
        to_confirm = False
        if same is None and name and name in by_name:
            same = by_name[name]
            to_confirm = bool(emails and _all_emails(same))
        if same is not None and name and same.get("name"):
            if normalise(same["name"]["value"]) != name and not to_confirm:
                # One address for two different names (a shared mailbox): keep both.
                same = None if emails and set(emails) & set(_all_emails(same)) else same
        if same is None:
            kept.append(contact)
            for email in emails:
                by_email[email] = contact
            if name:
                by_name[name] = contact
            continue
        same["lines"] = sorted({*same["lines"], *contact["lines"]})
        same["listed_twice"] = True
        for key in ("name", "also_known_as", "organisation", "email", "phone", "interests"):
            if same.get(key) is None and contact.get(key) is not None:
                same[key] = contact[key]
        known = set(_all_emails(same))
        for email_node in [contact.get("email"), *contact.get("other_emails", [])]:
            if email_node and email_node["value"] not in known:
                same.setdefault("other_emails", []).append(email_node)
                known.add(email_node["value"])
        for email in emails:
            by_email[email] = same
        if contact.get("repaired_from"):
            same["repaired_from"] = contact["repaired_from"]
        if to_confirm:
            same["confirm"] = "same_name_other_email"
            number = group["number"]["value"] if group.get("number") else "?"
            draft.ask("same_name_two_emails", group=number, name=same["name"]["value"])
    return kept


def _is_role_header(text: str) -> bool:
    """A line that opens the network's role table (never a sentence that names it)."""
    return bool(_ROLE_HEADER.search(text)) and not re.search(r"[^.…]\.$", text.strip())


def _is_header_line(line: Line, in_bracket: bool) -> bool:
    """A line of the table's header cells, wrapped as a PDF converter wraps them."""
    text = line.clean
    if line.bulleted or re.search(r"[^.…]\.$", text):
        return False
    if _ROLE_HEADER.search(text) or _CELL_START.search(text) or in_bracket:
        return True
    if text[:1].islower() or text.startswith(("(", "…", "...")):
        return True
    words = normalise(text).split()
    acronyms = {normalise(w) for w in text.split() if w.isupper() and len(w) >= 2}
    return bool(words) and all(w in _HEADER_WORDS or w in acronyms for w in words)


def _role_table(draft: Draft, group: dict, body: list[Line], i: int) -> int:
    """The network's role in three parts: continue / not go further / with whom.

    Two shapes come in: a real table (the three header cells side by side, answers below
    in the same columns), and a table serialised by a PDF converter (header cells one
    after the other, wrapped over several lines, then the answers column after column,
    in blocks separated by blank lines). Header words and empty cells are never items.
    """
    headers = []
    depth = 0
    while i < len(body):
        if body[i].blank:
            i += 1
            continue
        if not (headers == [] or _is_header_line(body[i], depth > 0)):
            break
        headers.append(body[i])
        depth = max(0, depth + body[i].clean.count("(") - body[i].clean.count(")"))
        i += 1
    draft.use(*headers)
    # The answers: up to the follow-up, the resource person or a new section.
    content: list[Line] = []
    while i < len(body):
        line = body[i]
        if not line.blank:
            text = line.clean
            if _FOLLOW_UP.match(text) or _RESOURCE.match(text) or MAILTO_LINE.match(text):
                break
            heading = _section_heading(line)
            if heading and (
                line.level
                or text.endswith(":")
                or text.isupper()
                or _SECTION_WORDS.match(normalise(heading))
            ):
                break
            if GROUP_HEADING.match(text):
                break
        content.append(line)
        i += 1
    while content and content[-1].blank:
        content.pop()
    role = group["role"]
    tabbed = [h for h in headers if h.raw.count("\t") >= 2]
    if tabbed:
        _role_tabs(draft, role, content, len(tabbed[0].raw.split("\t")))
        return i
    widest = max(headers, key=lambda h: len(_columns(h.text)))
    offsets = [offset for offset, _part in _columns(widest.text)][:3]
    if len(offsets) >= 2 and any(len(_columns(line.text)) >= 2 for line in content):
        _role_columns(draft, role, content, offsets)
        return i
    # Serialised: blocks in column order.
    blocks: list[list[Line]] = [[]]
    for line in content:
        if line.blank:
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append(line)
    blocks = [b for b in blocks if b]
    parts: list[list] = []
    for block in blocks:
        cells = _empty_cells(block)
        if cells:
            parts += [[] for _ in range(cells)]
            draft.use(*block)
            continue
        pieces = _EMPTY_SPLIT.split(block[0].clean) if len(block) == 1 else []
        if len(pieces) > 1:
            # « Accompagner les projets Non rempli ADIL, CAUE »: the empty cell is the
            # only sign of where one column ends and the next begins.
            for piece in pieces:
                piece = piece.strip(" ,;")
                if _EMPTY_SPLIT.fullmatch(piece):
                    parts.append([])
                elif piece:
                    parts.append([draft.value(_YES_NO.sub("", piece) or piece, block[0])])
            continue
        items: list = []
        for line in block:
            text = line.item
            if _YES_NO.fullmatch(text):
                draft.ignore(line, "yes_no")
                continue
            _add_item(draft, items, line, _YES_NO.sub("", text) if line.text[:1] != " " else text)
        parts.append(items)
    if not parts:
        return i
    if len(parts) != 3:
        role["uncertain"] = True
        number = group["number"]["value"] if group.get("number") else "?"
        draft.ask("role_columns", group=number)
    for index, items in enumerate(parts):
        role[ROLE_PARTS[min(index, 2)]] += items
    return i


def _role_tabs(draft: Draft, role: dict, content: list[Line], width: int) -> None:
    """A table exported as tab-separated rows: an empty cell is two tabs in a row, so
    the cells are counted, never guessed from their position."""
    for line in content:
        if line.blank:
            continue
        cells = line.raw.split("\t")
        draft.use(line)
        for index, cell in enumerate(cells[: max(width, 3)]):
            text = _strip_punct(" ".join(cell.split()))
            if not text or EMPTY_CELL.match(text):
                continue
            role[ROLE_PARTS[min(index, 2)]].append(draft.value(_YES_NO.sub("", text) or text, line))


def _empty_cells(block: list[Line]) -> int:
    """How many empty cells (« Non rempli », « - ») a block is made of; 0 if it has text."""
    text = " ".join(line.clean for line in block)
    pieces = [
        p for p in re.split(r"(non\s+rempli|non\s+renseign\w*|n/a|n[ée]ant)", text, flags=re.I) if p
    ]
    if not pieces or any(p.strip() and not EMPTY_CELL.match(p.strip()) for p in pieces):
        return 0
    return sum(1 for p in pieces if p.strip())


def _role_columns(draft: Draft, role: dict, content: list[Line], offsets: list[int]) -> None:
    """A table whose columns survived: each part of a line goes to the nearest header."""
    columns: list[list] = [[] for _ in offsets]
    previous: list[Line | None] = [None for _ in offsets]
    for line in content:
        if line.blank:
            previous = [None for _ in offsets]
            continue
        for offset, part in _columns(line.text):
            column = min(range(len(offsets)), key=lambda c: abs(offsets[c] - offset))
            text = _strip_punct(part)
            if EMPTY_CELL.match(text):
                draft.use(line)
                continue
            text = _YES_NO.sub("", text) or text
            items = columns[column]
            piece = Line(line.number, part, part, 0)
            if previous[column] is None and items:
                # A blank line closed the item above: this one starts another.
                items.append(draft.value(_strip_punct(text), line))
            else:
                _add_item(draft, items, piece, text)
                draft.use(line)
            previous[column] = line
    for key, items in zip(ROLE_PARTS, columns, strict=False):
        role[key] += items


# --- Workshop report --------------------------------------------------------------------

_SPEAKER = re.compile(r"^([A-ZÉÈÀÂÎ][\w'’-]+(?:\s+[A-ZÉÈÀÂÎ][\w'’-]+){0,2})\s*(?::|—|–)\s+(.+)$")
_INLINE_LABEL = re.compile(r"^(porteu\S*|participant\S*)\s*(?:\(\d+\))?\s*:\s*(.+)$", re.I)


def _names(text: str) -> list[str]:
    text = re.sub(r"\([^)]*\)", " ", text)  # « Odile FERRAT (CCAS de …) »: the structure
    parts = re.split(r"\s*(?:,|;|\bet\b|&)\s*", text)
    return [pretty_name(_strip_punct(p)) for p in parts if _strip_punct(p)]


def _extract_workshop(draft: Draft) -> None:
    content = _content(draft.lines)
    if not content:
        return
    title_line = content[0]
    draft.data["event"]["title"] = draft.value(title_line.clean, title_line)
    number = re.search(r"\b(?:atelier|groupe)\s*(?:n[°o]\s*)?(\d{1,3})", title_line.clean, re.I)
    group = {
        "id": draft.new_id("g"),
        "number": draft.value(int(number.group(1)), title_line) if number else None,
        "title": draft.value(title_line.clean, title_line),
        "question": None,
        "carriers": [],
        "participants": [],
        "sections": [],
        "discussion": [],
        "role": {"continue": [], "stop": [], "with": [], "uncertain": False},
        "follow_up_declared": None,
        "follow_up": [],
    }
    draft.data["groups"].append(group)
    when, yearless = find_date(title_line.clean)
    if when:
        draft.data["event"]["date"] = draft.value(when.isoformat(), title_line)
    else:
        draft.ask("date_missing", what="workshop")
    mode, section, parent = None, None, None
    for line in content[1:]:
        text = line.clean
        heading = _section_heading(line) if not _BULLET.match(line.text) else None
        if inline := _INLINE_LABEL.match(text):
            # « Porteur·euses : Odile FERRAT et Yacine Bouzid » on one line.
            names = [draft.value(n, line) for n in _names(inline.group(2))]
            key = "carriers" if normalise(inline.group(1)).startswith("porteu") else "participants"
            group[key] += names
            mode, section = key, None
            continue
        if heading and re.match(r"^porteu", normalise(heading)):
            mode, section = "carriers", None
            draft.use(line)
            continue
        if heading and re.match(r"^participant", normalise(heading)):
            mode, section = "participants", None
            draft.use(line)
            continue
        if heading and re.match(r"^question", normalise(heading)) and mode is None:
            mode = "question"
            draft.use(line)
            continue
        if heading and re.search(r"(discussion|echanges|debat)", normalise(heading)):
            mode, section = "discussion", None
            draft.use(line)
            continue
        if heading and mode != "discussion":
            mode = "sections"
            section = parent = _new_section(draft, group, heading)
            draft.use(line)
            continue
        if mode == "question" and group["question"] is None:
            group["question"] = draft.value(text, line)
        elif mode == "carriers":
            group["carriers"] += [draft.value(n, line) for n in _names(text)]
        elif mode == "participants":
            for name in _names(_BULLET.sub("", line.text)):
                group["participants"].append(draft.value(name, line))
        elif mode == "discussion":
            item = _strip_punct(_BULLET.sub("", line.text))
            if match := _SPEAKER.match(item):
                group["discussion"].append(
                    {
                        "id": draft.new_id("d"),
                        "speaker": draft.value(match.group(1), line),
                        "text": draft.value(match.group(2), line),
                    }
                )
            else:
                group["discussion"].append(
                    {"id": draft.new_id("d"), "speaker": None, "text": draft.value(item, line)}
                )
        elif mode in ("sections", "question"):
            inline = re.match(r"^([A-ZÉÈ][A-ZÉÈÀ' ]{3,40}[A-ZÉ])\s*:\s*(.+)$", text)
            if inline:
                # "CONSTAT DE DÉPART : …" is a one-line section; what follows goes back
                # to the section it sits in.
                inline_section = _new_section(draft, group, inline.group(1).capitalize())
                inline_section["items"].append(draft.value(inline.group(2), line))
                section = parent
                continue
            if text.endswith(":") and len(text) < 60:
                section = _new_section(draft, group, _strip_punct(text))
                draft.use(line)
                continue
            if section is None:
                section = _new_section(draft, group, "Synthèse")
            section["items"].append(draft.value(_strip_punct(_BULLET.sub("", line.text)), line))


# --- Webinar report ---------------------------------------------------------------------

_OBSTACLE = re.compile(r"^(obstacles?|freins?|difficult[ée]s?|limites?)\s*:\s*(.+)$", re.I)
_TIP = re.compile(r"^(astuces?|conseils?|leviers?|bonnes?\s+pratiques?|tips?)\s*:\s*(.+)$", re.I)
_QUESTION = re.compile(r"^(questions?)\s*:\s*(.+)$", re.I)


_LIST_HEAD = re.compile(
    r"^(obstacles?|freins?|difficultes?|limites?|astuces?|conseils?|leviers?|"
    r"bonnes? pratiques?|questions?)\s*$"
)


def _listing(word: str) -> str:
    if word.startswith(("obstacle", "frein", "difficult", "limite")):
        return "obstacles"
    return "questions" if word.startswith("question") else "tips"


def _starts_with_date(folded: str) -> bool:
    return bool(re.match(rf"^(?:(?:{_WEEKDAYS})\s+)?\d{{1,2}}(?:er)?\s+({_MONTH_WORDS})", folded))


def _actor_heading(line: Line) -> bool:
    if _HEADING_NUMBER.match(line.text):
        return True
    text = line.clean
    if line.level >= 3:
        return True
    return (
        len(text) <= 70
        and len(text.split()) <= 9
        and not re.search(r"[.:?!;]$", text)
        and ":" not in text
        and text[:1].isupper()
        and not _BULLET.match(line.text)
        and not URL.search(text)
    )


def _extract_webinar(draft: Draft) -> None:
    content = _content(draft.lines)
    event = draft.data["event"]
    mode = "head"
    actor: dict | None = None
    listing: str | None = None
    for index, line in enumerate(content):
        text = line.clean
        folded = normalise(text)
        for url in URL.findall(text):
            draft.data["links"].append(
                {
                    "id": draft.new_id("l"),
                    "url": draft.value(url, line),
                    "actor": actor["actor"]["value"]
                    if actor and mode == "further" and _BULLET.match(line.text)
                    else None,
                }
            )
        for email in EMAIL.findall(text):
            draft.data["contact_emails"].append(draft.value(email.lower(), line))
        if index == 0:
            event["organisers"].append(draft.value(pretty_name(text).capitalize(), line))
            continue
        if "webinaire" in folded and event["title"] is None:
            quoted = re.search(r"[«\"“]\s*(.+?)\s*[»\"”]", text)
            title = re.sub(r"^webinaire\d*\s*", "", text, flags=re.I)
            title = f"Webinaire « {quoted.group(1)} »" if quoted else f"Webinaire {title}"
            event["title"] = draft.value(title.strip(), line)
            continue
        when, _yearless = find_date(text)
        if when and event["date"] is None and (len(text) < 40 or _starts_with_date(folded)):
            event["date"] = draft.value(when.isoformat(), line)
            continue
        if mode == "head" and re.match(r"^(animation|anime\s+par|organis)", folded):
            draft.use(line)
            continue
        if re.search(r"\bparticipant", folded) and len(text) < 50 and not _BULLET.match(line.text):
            mode = "participants"
            draft.use(line)
            continue
        if re.search(r"retours? d.?experience|temoignages", folded):
            mode, actor = "experiences", None
            draft.use(line)
            continue
        if re.search(r"questions?\s*(/|et)?\s*reponses|echanges avec", folded):
            mode, actor = "questions", None
            draft.use(line)
            continue
        if re.search(r"pour aller plus loin|ressources|en savoir plus", folded) and len(text) < 40:
            mode, actor = "further", None
            draft.use(line)
            continue
        if mode == "participants" and (
            _BULLET.match(line.text) or looks_like_name(text) or is_organisation(text)
        ):
            name = _strip_punct(_BULLET.sub("", line.text))
            if GENERIC_LABELS.match(normalise(name)):
                draft.use(line)
                continue
            # « Commune de X et Association Y »: two structures written in one phrase.
            parts = [p.strip() for p in re.split(r"\s+et\s+|\s*;\s*", name) if p.strip()]
            if len(parts) < 2 or not all(is_organisation(p) for p in parts):
                parts = [name]
            for part in parts:
                draft.data["participants"].append(
                    {"id": draft.new_id("p"), "organisation": draft.value(part, line)}
                )
            continue
        if mode == "experiences" and actor and (lists := _LIST_HEAD.match(folded)):
            # « Obstacles : » alone, then a numbered list of them.
            listing = _listing(lists.group(1))
            draft.use(line)
            continue
        if mode == "experiences" and actor and listing and _BULLET.match(line.text):
            actor[listing].append(draft.value(_strip_punct(line.item), line))
            continue
        if mode == "experiences":
            listing = None
            if match := _OBSTACLE.match(text):
                if actor:
                    actor["obstacles"].append(draft.value(match.group(2), line))
                continue
            if match := _TIP.match(text):
                if actor:
                    actor["tips"].append(draft.value(match.group(2), line))
                continue
            if match := _QUESTION.match(text):
                if actor:
                    actor["questions"].append(draft.value(match.group(2), line))
                continue
            if _actor_heading(line):
                actor = _new_actor(draft, line)
                continue
            if actor:
                if actor["description"] is None:
                    actor["description"] = draft.value(text, line)
                else:
                    old = actor["description"]
                    old["value"] += " " + text
                    old["lines"].append(line.number)
                    draft.use(line)
            continue
        if mode == "questions" and (_BULLET.match(line.text) or text.endswith("?")):
            # Questions asked during the webinar.
            draft.data.setdefault("questions", []).append(
                draft.value(_strip_punct(_BULLET.sub("", line.text)), line)
            )
            continue
        if mode == "further" and _actor_heading(line) and not URL.search(text):
            name = _strip_punct(text)
            actor = next(
                (a for a in draft.data["experiences"] if _same_actor(a["actor"]["value"], name)),
                {"actor": {"value": name}},
            )
            draft.use(line)
            continue
        if URL.search(text) or EMAIL.search(text):
            draft.use(line)
    _link_actors(draft)
    if event["date"] is None:
        draft.ask("date_missing", what="webinar")


def _new_actor(draft: Draft, line: Line) -> dict:
    name = _HEADING_NUMBER.sub("", line.clean)
    # « Commune de X (Tarn) » loses its note; « … Lauzes (CCCL) » keeps its acronym.
    name = re.sub(r"\s*\((?![A-Z0-9]{2,10}\))[^)]*\)\s*$", "", name).strip()
    actor = {
        "id": draft.new_id("x"),
        "actor": draft.value(name, line),
        "organisation": None,
        "description": None,
        "obstacles": [],
        "tips": [],
        "questions": [],
    }
    draft.data["experiences"].append(actor)
    return actor


def _same_actor(a: str, b: str) -> bool:
    a, b = normalise(re.sub(r"\([^)]*\)", "", a)), normalise(re.sub(r"\([^)]*\)", "", b))
    return a == b or a.startswith(b) or b.startswith(a)


def _link_actors(draft: Draft) -> None:
    """Tie each actor to the participating organisation it names (full name or acronym)."""
    for actor in draft.data["experiences"]:
        name = normalise(actor["actor"]["value"])
        for participant in draft.data["participants"]:
            org = participant["organisation"]["value"]
            acronym = re.search(r"\(([^)]+)\)", org)
            if normalise(org) == name or (acronym and normalise(acronym.group(1)) == name):
                actor["organisation"] = org
                break
        else:
            actor["organisation"] = actor["actor"]["value"]


# --- Programme --------------------------------------------------------------------------

SLOT = re.compile(r"^(\d{1,2})\s*[hH:]\s*(\d{2})?\s*(?:[-–—:]\s*)?(.*)$")
_SLOT_END = re.compile(r"^(?:à\s+)?(\d{1,2})\s*[hH:]\s*(\d{2})?(?!\d)\s*(?:[-–—:]\s*)?(.*)$")
DAY = re.compile(
    rf"^(?:(?:{_WEEKDAYS})\s+)?(\d{{1,2}})(?:er)?\s+({_MONTH_WORDS})(?:\s+(\d{{4}}))?"
    r"\s*[:\-–—]?\s*(.*)$"
)
_SPEAKERS = re.compile(
    r"^(?:intervenant\S*|interventions?|avec\s+les\s+interventions\s+de|avec)\s*:?\s*(.*)$", re.I
)
_MODERATORS = re.compile(r"^(animation|anim[ée]\s+par|mod[ée]ration)\s*:?\s*(.+)$", re.I)


def _time_label(hours: str, minutes: str | None) -> str:
    """« 9h30 », « 14h »: the time as the document writes it, never more precise."""
    return f"{int(hours)}h{minutes}" if minutes else f"{int(hours)}h"


def _split_people(text: str) -> list[str]:
    """« X, maire de Y, et Z, directrice » or « X, géographe ; Z, coordinatrice »."""
    return [p.strip(" ,;") for p in re.split(r";|,?\s+et\s+(?=[A-ZÉÈÀÂÎ])", text) if p.strip(" ,;")]


def _extract_programme(draft: Draft) -> None:
    content = _content(draft.lines)
    event = draft.data["event"]
    day: dict | None = None
    slot: dict | None = None
    previous: Line | None = None
    # The node the previous line wrote, which a wrapped line may continue.
    last: dict | None = None
    speakers: dict | None = None  # a list of speakers, read once its last line is known

    def flush() -> None:
        nonlocal speakers
        if speakers is None:
            return
        for person in _split_people(speakers["text"]):
            name, role = _person_and_role(person)
            if name and looks_like_name(name):
                speakers["slot"][speakers["key"]].append(
                    {
                        "id": draft.new_id("m"),
                        "name": draft.value(name, *speakers["lines"]),
                        "role": role,
                    }
                )
        draft.use(*speakers["lines"])
        speakers = None

    for line in content:
        text = line.clean
        folded = normalise(text)
        adjacent = previous is not None and line.number == previous.number + 1
        previous = line
        slot_match = SLOT.match(text)
        day_match = DAY.match(folded)
        if speakers is not None and speakers["list"]:
            # « avec les interventions de : » then one « Name, role » per line.
            if not (slot_match or day_match or _MODERATORS.match(text)) and (
                "," in text and looks_like_name(text.split(",")[0])
            ):
                speakers["text"] += " ; " + text
                speakers["lines"].append(line)
                continue
            flush()
        if speakers is not None:
            if (
                adjacent
                and not slot_match
                and not day_match
                and not line.bulleted
                and not (_MODERATORS.match(text) or _SPEAKERS.match(text))
            ):
                speakers["text"] += " " + text
                speakers["lines"].append(line)
                continue
            flush()
        if (
            adjacent
            and last is not None
            and not slot_match
            and not day_match
            and not line.bulleted
            and _continues(last["value"] or "", line)
        ):
            # A title, a workshop or a role that wraps onto the next line is one.
            last["value"] = clean_value(f"{last['value']} {text}")
            last["lines"].append(line.number)
            draft.use(line)
            continue
        last = None
        if match := re.search(r"organis\w*\s+par\s+(?:le\s+|la\s+|l')?(.+)$", text, re.I):
            organiser = _strip_punct(match.group(1))
            event["organisers"].append(draft.value(organiser, line))
            if event["title"] is None:
                event["title"] = draft.value(_strip_punct(text), line)
            continue
        if day is None and _form_field(draft, line):
            continue
        if day_match:
            when = None
            if day_match.group(3):
                month = MONTHS[day_match.group(2)]
                when = _safe_date(int(day_match.group(3)), month, int(day_match.group(1)))
            words = len(folded.split()) - len(normalise(day_match.group(4)).split())
            label = " ".join(text.split()[:words]).strip(" :-–—")
            title = _strip_punct(text[len(label) :])
            day = {
                "id": draft.new_id("j"),
                "label": draft.value(label, line),
                "date": draft.value(when.isoformat() if when else None, line),
                "title": draft.value(title, line) if title else None,
                "slots": [],
            }
            if when is None:
                draft.ask("year_missing", label=label)
            draft.data["days"].append(day)
            slot = None
            continue
        if day is not None and slot_match and int(slot_match.group(1)) < 24:
            hour = _time_label(slot_match.group(1), slot_match.group(2))
            title = slot_match.group(3)
            end_time = None
            # « 10h00 – 11h30 Atelier »: an end time only where the document writes one.
            if (until := _SLOT_END.match(title)) and int(until.group(1)) < 24:
                end_time = _time_label(until.group(1), until.group(2))
                title = until.group(3)
            slot = {
                "id": draft.new_id("t"),
                "time": draft.value(hour, line),
                "end_time": draft.value(end_time, line) if end_time else None,
                "title": draft.value(_strip_punct(title), line),
                "workshops": [],
                "speakers": [],
                "moderators": [],
            }
            day["slots"].append(slot)
            last = slot["title"]
            continue
        if day is not None and slot is None and day["title"] is None and not line.bulleted:
            # « Jeudi 9 octobre » then, on its own line, the day's title.
            day["title"] = last = draft.value(_strip_punct(text), line)
            continue
        if day is None and event["organisers"]:
            # The presentation above the first day describes the event.
            if len(text) > 30 and not text.isupper():
                draft.data.setdefault("notes", []).append(draft.value(text, line))
            continue
        if slot is None:
            continue
        if line.bulleted and (
            text.startswith(("►", "▸", "▶")) or "atelier" in normalise(slot["title"]["value"])
        ):
            slot["workshops"].append(draft.value(line.item, line))
            last = slot["workshops"][-1]
            continue
        if match := _MODERATORS.match(text):
            speakers = {
                "slot": slot,
                "key": "moderators",
                "text": match.group(2),
                "lines": [line],
                "list": False,
            }
            continue
        if match := _SPEAKERS.match(text):
            speakers = {
                "slot": slot,
                "key": "speakers",
                "text": match.group(1),
                "lines": [line],
                "list": not match.group(1).strip(),
            }
            continue
        if slot["workshops"] and not slot["workshops"][-1]["value"].endswith("?"):
            # A line below a workshop describes it (questions, themes).
            node = slot["workshops"][-1]
            node.setdefault("details", []).append(draft.value(text, line))
            continue
        slot.setdefault("details", []).append(draft.value(text, line))
    flush()
    if event["title"] is None and draft.data["days"]:
        first = draft.data["days"][0]
        if first["title"]:
            event["title"] = {**first["title"], "id": draft.new_id()}


def _person_and_role(text: str) -> tuple[str, str]:
    text = text.strip()
    if match := re.match(r"^(.+?)\s*\((.+)\)\s*$", text):
        return match.group(1).strip(), match.group(2).strip()
    name, _, role = text.partition(",")
    return name.strip(), role.strip()


# --- Launch-day report ------------------------------------------------------------------


_FORM_FIELD = re.compile(
    r"^\s*(date|lieu|pr[ée]sent\S*|participant\S*|excus\S*|absent\S*)\s*:\s*(.+)$", re.I
)


def _form_field(draft: Draft, line: Line) -> bool:
    """A report laid out as a form: « Date : … », « Lieu : … », « Présent·es : 24 »."""
    match = _FORM_FIELD.match(line.clean)
    if not match:
        return False
    label, value = normalise(match.group(1)), match.group(2).strip()
    event = draft.data["event"]
    count = re.match(r"^(\d{1,5})\b", value)
    if label == "date" and event["date"] is None:
        when, _yearless = find_date(value)
        if when is None:
            return False
        event["date"] = draft.value(when.isoformat(), line)
    elif label == "lieu" and event["place"] is None:
        event["place"] = draft.value(_strip_punct(value.split(",")[0]), line)
    elif label.startswith(("present", "participant")) and count:
        event["participants_count"] = draft.value(int(count.group(1)), line)
    elif label.startswith(("excus", "absent")) and count:
        event["excused_count"] = draft.value(int(count.group(1)), line)
    else:
        return False
    return True


def _extract_launch(draft: Draft) -> None:
    content = _content(draft.lines)
    event = draft.data["event"]
    mode = None
    style = None
    for index, line in enumerate(content):
        text = line.clean
        folded = normalise(text)
        if index == 0:
            _event_from_line(draft, line, title=False)
            title = DATE_NUMBERS.sub("", text)
            title = re.sub(r"\s+(?:le|du)?\s*(?:à|a)\s+[A-ZÉ][\w' -]*$", "", title).strip()
            title = DATE_WORDS.sub("", title).strip(" ,—–-")
            event["title"] = draft.value(" ".join(title.split()), line)
            continue
        if _form_field(draft, line):
            continue
        number = re.match(r"^\s*\d{1,2}([.)])\s", line.text)
        if mode == "objectives" and number and style and number.group(1) != style:
            # « 4. Prochaines étapes » after objectives numbered « 1) »: a new section.
            mode = None
            draft.use(line)
            continue
        counted = False
        if match := re.search(r"(\d{1,5})\s+participant", text):
            event["participants_count"] = draft.value(int(match.group(1)), line)
            counted = True
        if match := re.search(r"(\d{1,5})\s+(?:personnes?|membres?)[^.]*excus", text):
            event["excused_count"] = draft.value(int(match.group(1)), line)
            counted = True
        if counted:
            continue
        if "objectif" in folded and len(text) < 120:
            mode = "objectives"
            draft.use(line)
            continue
        if folded.startswith("priorit"):
            mode = "priorities"
            draft.use(line)
            continue
        if mode == "objectives" and _BULLET.match(line.text):
            style = style or (number.group(1) if number else None)
            draft.data["objectives"].append(
                {
                    "id": draft.new_id("o"),
                    "title": draft.value(_strip_punct(_BULLET.sub("", line.text)), line),
                    "detail": None,
                }
            )
            continue
        if mode == "objectives" and ":" in text:
            head, _, detail = text.partition(":")
            objective = next(
                (o for o in draft.data["objectives"]
                 if normalise(o["title"]["value"]).startswith(normalise(head))),
                None,
            ) if normalise(head) else None  # fmt: skip
            if objective is not None:
                objective["detail"] = draft.value(detail.strip(), line)
                last = objective["detail"]
                continue
        if mode == "objectives" and text[:1].islower() and draft.data["objectives"]:
            # The end of an objective's description wrapped onto the next line.
            last = next(
                (o["detail"] for o in reversed(draft.data["objectives"]) if o["detail"]), None
            )
            if last is not None:
                last["value"] += " " + text
                last["lines"].append(line.number)
                draft.use(line)
                continue
        if mode is None and len(text) > 30:
            draft.data.setdefault("notes", []).append(draft.value(text, line))
            continue
        if mode == "priorities":
            items = draft.data["priorities"]
            if items and not items[-1]["value"].rstrip().endswith((".", "!", "?")):
                items[-1]["value"] += " " + text
                items[-1]["lines"].append(line.number)
                draft.use(line)
            else:
                items.append(draft.value(text, line))


def _extract_unknown(draft: Draft) -> None:
    content = _content(draft.lines)
    if content:
        draft.data["event"]["title"] = draft.value(content[0].clean[:200], content[0])
    for line in content[:10]:
        if _event_from_line(draft, line, title=False):
            break
    draft.ask("kind_unknown")


EXTRACTORS = {
    "open_forum_synthesis": _extract_open_forum,
    "workshop_report": _extract_workshop,
    "webinar_report": _extract_webinar,
    "programme": _extract_programme,
    "launch_report": _extract_launch,
}
