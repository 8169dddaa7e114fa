"""One matcher for organisation names: is « Le Collectif X » the « X » we already know?

Reports, forms and exports write the same organisation many ways: with or without an
article (« Le Garage solidaire »), with a generic word in front (« Commune de Lavaur »,
« Mairie de Lavaur », « Association Rézo Pouce »), with its acronym in brackets
(« Syndicat de collecte du Vallon (SYCOVAL) »). `organisation_keys(name)` gives the
normalised variants of a name; `same_organisation(a, b)` says whether two names share
one; `match_organisation(name)` finds the record a name refers to, by looking up those
variants and their prefixed forms in the indexed `search_name` column (one query, never
a scan of the table).

A generic prefix says what kind of body it is: « Mairie de Lavaur » and « Commune de
Lavaur » are one town, « Lavaur » alone may be it, but « Association Lavaur » is not the
town hall. So names whose prefixes belong to different families never match.

The lookup is one-directional: from a new name we can strip a prefix, or add one, but
not guess an acronym that the stored name carries and the new one lacks (« Réseau X »
does not find a stored « Réseau X (RX) »). Comparing key sets both ways needs the keys
stored beside each record (issue 17).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Case, IntegerField, Value, When

from maillage.core.text import normalise

from .models import Moderation, Organisation

# After `normalise`, « l'Atelier » is « l atelier » and « d'Albi » is « d albi ».
ARTICLES = ("les", "le", "la", "l")
# Generic words in front of a name, and the family of bodies each one announces.
GENERIC_PREFIXES = {
    "commune de": "collectivite",
    "commune d": "collectivite",
    "ville de": "collectivite",
    "ville d": "collectivite",
    "mairie de": "collectivite",
    "mairie d": "collectivite",
    "association": "association",
    "asso": "association",
    "collectif": "collectif",
}
# An acronym in brackets at the end: « (SYCOVAL) », « (R.T.G.) », « (CC-TA) ».
_ACRONYM = re.compile(r"^(?P<base>.*\S)\s*\((?P<acronym>[^()]{2,15})\)$")
_ACRONYM_SHAPE = re.compile(r"^[A-Z0-9][A-Z0-9.&\- ]*[A-Z0-9.]$")
MAX_LENGTH = 200  # Organisation.search_name


def _strip_word(text: str, words) -> tuple[str, str]:
    """(text without its first word if it is one of `words`, the word removed)."""
    for word in words:
        if text.startswith(word + " "):
            return text[len(word) + 1 :], word
    return text, ""


@dataclass(frozen=True)
class _Parsed:
    keys: frozenset[str]
    cores: frozenset[str]  # the names with no article nor prefix
    family: str | None  # the family of the generic prefix, if the name has one


def _parse_folded(folded: str) -> tuple[set[str], str, str | None]:
    bare, _article = _strip_word(folded, ARTICLES)
    without_prefix, prefix = _strip_word(bare, GENERIC_PREFIXES)
    core, _article = _strip_word(without_prefix, ARTICLES)
    return {folded, bare, without_prefix, core}, core, GENERIC_PREFIXES.get(prefix)


def _split_acronym(name: str) -> tuple[str, str]:
    """(« Réseau X », « RX ») for « Réseau X (RX) »; (name, "") when the brackets hold
    words rather than an acronym (« Centre social (Lavaur) » keeps its brackets)."""
    match = _ACRONYM.match(" ".join((name or "").split()))
    if not match:
        return name, ""
    acronym = match["acronym"].strip()
    if not _ACRONYM_SHAPE.match(acronym) or sum(c.isalpha() for c in acronym) < 2:
        return name, ""
    return match["base"], acronym


@lru_cache(maxsize=2048)
def _parse(name: str) -> _Parsed:
    folded = normalise(name)[:MAX_LENGTH]
    if not folded:
        return _Parsed(frozenset(), frozenset(), None)
    keys, core, family = _parse_folded(folded)
    cores = {core}
    base, acronym = _split_acronym(name)
    if acronym:
        base_keys, base_core, base_family = _parse_folded(normalise(base)[:MAX_LENGTH])
        acronym_key = normalise(acronym)[:MAX_LENGTH]
        keys |= base_keys | {acronym_key}
        cores |= {base_core, acronym_key}
        family = family or base_family
    # A name that is only a prefix or an article (« Association ») has no core.
    drop = {"", *GENERIC_PREFIXES, *ARTICLES}
    return _Parsed(frozenset(keys - drop), frozenset(cores - drop), family)


def organisation_keys(name: str) -> set[str]:
    """Normalised variants of an organisation's name; an empty set for an empty name.

    >>> sorted(organisation_keys("Commune d'Albi"))
    ['albi', 'commune d albi']
    >>> sorted(organisation_keys("Réseau Transitions Garonne (RTG)"))
    ['reseau transitions garonne', 'reseau transitions garonne rtg', 'rtg']
    """
    return set(_parse(name).keys)


def _compatible(first: str | None, second: str | None) -> bool:
    return first is None or second is None or first == second


def same_family(first: str, second: str) -> bool:
    """May the two names be one body? Not when their prefixes announce two kinds
    (« Mairie de X », « Association X »)."""
    return _compatible(_parse(first).family, _parse(second).family)


def same_organisation(first: str, second: str) -> bool:
    """Do two names (neither of them stored yet) name the same organisation?"""
    a, b = _parse(first), _parse(second)
    return bool(a.keys & b.keys) and _compatible(a.family, b.family)


def candidate_names(name: str) -> set[str]:
    """Every `search_name` that `match_organisation` accepts for `name`: its keys, and
    its core with an article and/or a generic prefix of the same family put in front."""
    parsed = _parse(name)
    prefixes = [
        prefix for prefix, family in GENERIC_PREFIXES.items() if _compatible(family, parsed.family)
    ]
    found = set(parsed.keys)
    for core in parsed.cores:
        for article in ("", *ARTICLES):
            with_article = f"{article} {core}".strip()
            found.add(with_article)
            found.update(f"{prefix} {with_article}" for prefix in prefixes)
    return {n[:MAX_LENGTH] for n in found}


def match_organisation(name: str) -> Organisation | None:
    """The organisation of the directory that `name` refers to, or None.

    Among several candidates: the one with exactly this (normalised) name first, then a
    published one before a proposal, then the oldest. Refused records are never matched:
    they have left every list, so nothing new should hang from them.
    """
    candidates = candidate_names(name)
    if not candidates:
        return None
    exact = normalise(name)[:MAX_LENGTH]
    return (
        Organisation.objects.filter(search_name__in=candidates)
        .exclude(status=Moderation.REJECTED)
        .annotate(
            _not_exact=Case(
                When(search_name=exact, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            _not_published=Case(
                When(status=Moderation.PUBLISHED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("_not_exact", "_not_published", "pk")
        .first()
    )
