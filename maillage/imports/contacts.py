"""Reading a person out of one line of a sign-up list, as real reports write them.

A line of a « suites à donner » list can hold a name, a nickname with the real name in
brackets, a surname written first, an organisation, several addresses, a phone number in
any French or overseas format, interests in brackets, or an address alone. This module
turns such a line into fields, and never the other way round: an address or a phone
number is never a name, and a name is never made up from an address.
"""

import os
import re
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import phonenumbers

from maillage.core.text import normalise, strip_accents

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}(?![\w-])")
# The start of an address that the regular expression above could not read whole.
BROKEN_EMAIL = re.compile(r"[\w.+-]+@[\w.-]*(?:\s{1,4}[\w.-]{1,12}){0,3}")
ORG_WORDS = {
    "agence", "association", "asso", "centre", "chambre", "club", "collectif", "college",
    "comite", "commune", "communaute", "conseil", "cooperative", "cpie", "departement",
    "direction", "ecole", "federation", "fondation", "institut", "lycee", "maison", "mairie",
    "metropole", "office", "parc", "pays", "petr", "region", "reseau", "scic", "scop",
    "service", "syndicat", "union", "universite", "ville", "ccas", "caf", "mjc", "tiers",
    "ferme", "groupe", "groupement", "entreprise", "societe", "sas", "sarl", "epci",
    "cc", "ca", "pnr", "gie", "gaec", "amap", "fablab", "ressourcerie", "recyclerie",
    "cafe", "epicerie", "jardin", "jardins", "garage", "atelier", "collectivite", "ligue",
    "mission", "coop", "regie", "fabrique", "chantier", "espace",
}  # fmt: skip
_LABELS = re.compile(
    r"\b(t[ée]l(?:[ée]phone)?\.?|port(?:able)?\.?|e-?mail|courriel|mail|mob\.?)\s*:?", re.I
)
_INITIAL = re.compile(r"^(?:[A-ZÉÈ]\.-?){1,3}$|^[A-ZÉÈ]\.-[A-ZÉÈ]\.$")


@cache
def first_names() -> frozenset[str]:
    """First names of many languages (Faker's lists, ~30,000 once folded).

    Importing Faker's 133 name modules takes seconds where Python cannot keep bytecode,
    so the folded list is kept in a file of the temporary folder, named after Faker's
    version and the user: the next processes read it in milliseconds.
    """
    from importlib.metadata import version

    user = os.getuid() if hasattr(os, "getuid") else 0
    cache_file = Path(tempfile.gettempdir()) / (
        f"maillage-first-names-{version('faker')}-{user}.txt"
    )
    try:
        names = cache_file.read_text(encoding="utf-8").split("\n")
        if len(names) > 1000:
            return frozenset(names)
    except OSError:
        pass
    names = _faker_first_names()
    try:
        partial = cache_file.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text("\n".join(sorted(names)), encoding="utf-8")
        partial.replace(cache_file)  # atomic: a reader never sees half a file
    except OSError:
        pass
    return names


def _faker_first_names() -> frozenset[str]:
    import importlib
    import pkgutil

    import faker.providers.person as people

    raw: set[str] = set()
    for module in pkgutil.iter_modules(people.__path__):
        try:
            provider = importlib.import_module(f"{people.__name__}.{module.name}").Provider
        except (ImportError, AttributeError):
            continue
        for attr in ("first_names", "first_names_male", "first_names_female"):
            found = provider.__dict__.get(attr)
            if isinstance(found, dict | list | tuple):
                raw.update(found)
    # Folded once per distinct name, cheaply (the lists hold ~95,000 names): accents and
    # case away, a hyphen as a space, as `normalise` would.
    return frozenset(
        folded
        for name in raw
        if (folded := " ".join(strip_accents(name).casefold().replace("-", " ").split()))
    )


def is_first_name(word: str) -> bool:
    folded = normalise(word)
    parts = folded.split()
    return bool(parts) and all(p in first_names() for p in parts)


def _is_upper(word: str) -> bool:
    if _INITIAL.match(word):
        return False
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def pretty_name(name: str) -> str:
    """'Claire DUVAL' -> 'Claire Duval'; a name already in mixed case is kept."""
    words = []
    for word in name.split():
        if _is_upper(word) and len(word) > 3:
            word = "-".join(part.capitalize() for part in word.split("-"))
        words.append(word)
    return " ".join(words)


_PARTICLES = {"de", "du", "des", "d'", "von", "van"}


def _person_case(name: str) -> str:
    """A person's name in capitals, as people write theirs: « DE LA TOUR » -> « de La Tour »."""
    words = []
    for word in name.split():
        if _is_upper(word) or (len(word) <= 3 and word.isupper()):
            lowered = word.lower()
            word = (
                lowered
                if lowered in _PARTICLES
                else "-".join(part.capitalize() for part in word.split("-"))
            )
        words.append(word)
    return " ".join(words)


def person_name(name: str) -> tuple[str, bool]:
    """A person's name in the usual order, and whether it was written surname first.

    « DUPONT Marie » and « Lacoste Hervé » are put back as « Marie Dupont », « Hervé
    Lacoste »; « Martin Paul » (both could be first names) is left as written.
    """
    words = name.split()
    if len(words) < 2:
        return _person_case(name), False
    capitals = [_is_upper(w) for w in words]
    # « DUPONT Marie », « DE LA TOUR Anne »: capitals first, then a mixed-case word.
    if capitals[0] and not capitals[-1]:
        split = capitals.index(False)
        return _person_case(" ".join(words[split:] + words[:split])), True
    if (
        len(words) == 2
        and not is_first_name(words[0])
        and is_first_name(words[1])
        and not _INITIAL.match(words[0])
    ):
        return _person_case(f"{words[1]} {words[0]}"), True
    return _person_case(name), False


def is_organisation(name: str) -> bool:
    words = normalise(name).split()
    if not words:
        return False
    if words[0] in ORG_WORDS:
        return True
    if len(words) > 1 and words[0] in {"le", "la", "les", "l"} and words[1] in ORG_WORDS:
        return True
    stripped = name.strip()
    # An acronym alone (SYCOVAL, PETR) is a structure, not a person.
    return len(words) == 1 and stripped.isupper() and len(stripped) >= 3


def looks_like_name(text: str) -> bool:
    """A person's or organisation's name: a few words, most of them capitalised."""
    words = text.split()
    if not 1 <= len(words) <= 7 or any(c in text for c in "?!;@"):
        return False
    if text.endswith(".") and not _INITIAL.match(words[-1]):
        return False
    capitals = sum(1 for w in words if w[:1].isupper())
    return capitals >= max(1, (len(words) + 1) // 2)


def find_phones(text: str) -> list[tuple[str, int, int]]:
    """Phone numbers written in the text (French, overseas, +33 (0)…, 0033…), as written."""
    found = []
    lenient = phonenumbers.Leniency.POSSIBLE
    for match in phonenumbers.PhoneNumberMatcher(text, "FR", leniency=lenient):
        raw = match.raw_string
        start, end = match.start, match.end
        # The matcher keeps an opening bracket of « (07 00 00 00 17) ».
        while raw and raw[0] in "([":
            raw, start = raw[1:], start + 1
        digits = re.sub(r"\D", "", raw)
        if len(digits) < 9:
            continue
        found.append((raw.strip(), start, end))
    return found


def phone_display(raw: str) -> str:
    return " ".join(raw.split())


@dataclass
class ParsedContact:
    name: str = ""
    also_known_as: str = ""
    organisation: str = ""
    emails: list[str] = field(default_factory=list)
    phone: str = ""
    interests: str = ""
    surname_first: bool = False
    # Address text broken by spaces, as it stands in the line (repaired or not by caller).
    broken_email: str = ""

    @property
    def empty(self) -> bool:
        return not (self.name or self.organisation or self.emails or self.phone)


def _bracket_groups(text: str) -> tuple[str, list[str]]:
    groups = []

    def take(match: re.Match) -> str:
        groups.append(match.group(1).strip())
        return " "

    rest = re.sub(r"\(([^()]*)\)?", take, text)
    return rest, groups


def parse_line(text: str) -> ParsedContact | None:
    """The fields of one sign-up line (bullet already removed), or None for prose."""
    contact = ParsedContact()
    rest = text
    for email in EMAIL.findall(rest):
        contact.emails.append(email.lower())
        rest = rest.replace(email, " ", 1)
    if "@" in rest and (broken := BROKEN_EMAIL.search(rest)):
        contact.broken_email = broken.group(0).strip()
        rest = rest.replace(broken.group(0), " ", 1)
    phones = find_phones(rest)
    for _raw, start, end in reversed(phones):
        rest = rest[:start] + " " + rest[end:]
    if phones:
        contact.phone = phone_display(phones[0][0])
    rest, brackets = _bracket_groups(rest)
    rest = _LABELS.sub(" ", rest)
    # Separators between addresses (« a@x ; b@x », « a@x / b@x », « a@x et b@x »).
    rest = re.sub(r"(^|\s)(?:[;,/|–—-]|et|ou)(?=\s|$)", " ", rest)
    name = " ".join(rest.split()).strip(" :;,-–—*·")
    for inside in brackets:
        inside = inside.strip(" ,;")
        if not inside:
            continue
        if not inside[:1].isupper() and not inside[:1].isdigit():
            contact.interests = inside
        elif (
            name
            and len(name.split()) == 1
            and looks_like_name(inside)
            and not is_organisation(inside)
            and 2 <= len(inside.split()) <= 4
        ):
            # « Tom (Thomas Lacombe) »: a nickname, then the real name.
            contact.also_known_as, name = name, inside
        elif not contact.organisation:
            contact.organisation = inside
        else:
            contact.interests = ", ".join(filter(None, [contact.interests, inside]))
    person, comma, rest_of_name = name.partition(",")
    if comma and not contact.organisation and looks_like_name(rest_of_name.strip()):
        # « Kenza Aït-Ouali, Mission locale des Causses »: a name, then a structure.
        if 1 <= len(person.split()) <= 4 and not is_organisation(person):
            name, contact.organisation = person.strip(), rest_of_name.strip()
    if name and (not looks_like_name(name) or any(c.isdigit() for c in name)):
        return None
    if name and is_organisation(name) and not contact.organisation:
        contact.organisation, name = name, ""
    if name:
        contact.name, contact.surname_first = person_name(name)
    if contact.empty and not contact.broken_email:
        return None
    return contact


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, stopping early once it passes `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]
