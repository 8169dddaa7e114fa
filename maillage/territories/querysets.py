"""Reads on territories, in the words people use.

`Territory.objects.departements()`, `.within(aude)` ("everything in the Aude"),
`.containing(carcassonne)` (its EPCI, département, région and France) and `.search(text)`,
the autocomplete: names folded for accents and case, postal codes, INSEE codes.
"""

import re

from django.db import models
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce

from maillage.core.text import normalise

SEARCH_LIMIT = 20
# Longer input is cut: no place name is this long, and it keeps every query cheap.
MAX_QUERY_LENGTH = 100
MAX_TOKENS = 8
_CONTROL = re.compile(r"[\x00-\x1f\x7f_%]")
_POSTAL_PREFIX = re.compile(r"\d{2,5}")
_POSTAL_CODE = re.compile(r"\d{5}")
# A code someone may type: département (11, 2A, 974), INSEE commune (11069, 2A004),
# EPCI SIREN (9 digits).
_CODE = re.compile(r"(\d{2,3}|2[ab]|\d{5}|2[ab]\d{3}|\d{9})")
_DEPARTEMENT_CODE = re.compile(r"(\d{2,3}|2[ab])")


def _kinds():
    from .models import TerritoryKind

    return TerritoryKind


_KIND_ORDER = [
    When(kind=kind, then=Value(position))
    for position, kind in enumerate(
        ["commune", "arrondissement", "epci", "departement", "region", "national"]
    )
]


def _qualifier_words() -> dict[str, str]:
    """Normalised words that may end a label ('aude departement') -> the kind they name,
    in French and in the active language, so that a label can be searched back."""
    from django.utils import translation

    from .models import KIND_QUALIFIERS

    words = {}
    for language in {"fr", translation.get_language() or "fr"}:
        with translation.override(language):
            for kind, qualifier in KIND_QUALIFIERS.items():
                words[normalise(str(qualifier))] = kind
    words["epci"] = _kinds().EPCI
    return words


# Abbreviations people type; the official names are always written in full.
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def clean_query(text: object) -> str:
    """Any input -> a short, normalised search string (no NUL bytes, no wildcards):
    'St-Étienne' -> 'saint etienne'."""
    if not isinstance(text, str):
        return ""
    query = normalise(_CONTROL.sub(" ", text[: MAX_QUERY_LENGTH * 2]))[:MAX_QUERY_LENGTH]
    return " ".join(_ABBREVIATIONS.get(word, word) for word in query.split())


class TerritoryQuerySet(models.QuerySet):
    def communes(self) -> "TerritoryQuerySet":
        return self.filter(kind=_kinds().COMMUNE)

    def arrondissements(self) -> "TerritoryQuerySet":
        return self.filter(kind=_kinds().ARRONDISSEMENT)

    def epcis(self) -> "TerritoryQuerySet":
        return self.filter(kind=_kinds().EPCI)

    def departements(self) -> "TerritoryQuerySet":
        return self.filter(kind=_kinds().DEPARTEMENT)

    def regions(self) -> "TerritoryQuerySet":
        return self.filter(kind=_kinds().REGION)

    def national(self) -> "TerritoryQuerySet":
        return self.filter(kind=_kinds().NATIONAL)

    def of_kinds(self, kinds) -> "TerritoryQuerySet":
        return self.filter(kind__in=list(kinds)) if kinds else self

    def within(self, territory) -> "TerritoryQuerySet":
        """Every territory inside `territory`, itself included: the communes, arrondissements
        and EPCIs of a département; everything for France."""
        kinds = _kinds()
        if territory.kind == kinds.NATIONAL:
            return self.all()
        field = {
            kinds.REGION: "region",
            kinds.DEPARTEMENT: "departement",
            kinds.EPCI: "epci",
            kinds.COMMUNE: "commune",
        }.get(territory.kind)
        inside = Q(pk=territory.pk)
        if field:
            inside |= Q(**{field: territory.pk})
        return self.filter(inside)

    def containing(self, territory) -> "TerritoryQuerySet":
        """`territory` and every territory above it: its city, EPCI, département, région
        and France (whose people act "on" Carcassonne too)."""
        above = [
            territory.pk,
            territory.commune_id,
            territory.epci_id,
            territory.departement_id,
            territory.region_id,
        ]
        return self.filter(Q(pk__in=[pk for pk in above if pk]) | Q(kind=_kinds().NATIONAL))

    def with_postal_code(self, digits: str = "") -> "TerritoryQuerySet":
        """Annotate what `Territory.postal_label` shows: `postal_code`, the first of the
        territory's postal codes (the first that starts with `digits`, when given), and
        `postal_codes_count`, how many it has."""
        from .models import PostalCode

        codes = PostalCode.objects.filter(commune=OuterRef("pk"))
        first = Subquery(codes.order_by("code").values("code")[:1])
        if digits:
            # Aix-en-Provence found by its INSEE code 13001 shows its own postal code.
            matching = codes.filter(code__startswith=digits).order_by("code").values("code")
            first = Coalesce(Subquery(matching[:1]), first)
        return self.annotate(
            postal_code=first,
            postal_codes_count=Subquery(
                codes.order_by().values("commune").annotate(n=Count("pk")).values("n")[:1]
            ),
        )

    def search(self, text: object, *, limit: int = SEARCH_LIMIT) -> "TerritoryQuerySet":
        """Autocomplete: at most `limit` territories for what someone typed, best first.

        - words: every word must appear in the normalised name ("sainte col" finds
          Sainte-Colombe; "beziers" finds Béziers); a last word naming a kind or a
          département code narrows down ("aude departement", "sainte colombe 05"), so a
          label searched back finds its territory;
        - digits: communes whose postal codes start with them ("05", "11000"), and the
          territory with that code (département 11, commune 11069, an EPCI's SIREN);
          a last word that is a postal code narrows down too ("marseille 13001"), so that
          a `postal_label` searched back finds its territory.

        Order: exact postal code (an arrondissement before its city: 13001 is Marseille
        1er, whose code is also one of Marseille's, before Aix-en-Provence, whose INSEE
        code is 13001), exact code, exact name, name prefix, word prefix, then larger
        population first (a commune before the département of the same name and size:
        Paris). Results carry what `postal_label` shows (`with_postal_code`). One query,
        whatever the input.
        """
        kinds = _kinds()
        query = clean_query(text)
        tokens = query.split()[:MAX_TOKENS]
        if len(query) < 2 or not tokens:
            return self.none()

        from .models import PostalCode

        compact = "".join(tokens)
        wanted_kind = None
        departement_code = None
        postal_code = None
        qualifiers = _qualifier_words()
        if len(tokens) > 1 and tokens[-1] in qualifiers:
            wanted_kind = qualifiers[tokens[-1]]
            tokens = tokens[:-1]
        elif len(tokens) > 1 and _DEPARTEMENT_CODE.fullmatch(tokens[-1]):
            departement_code = tokens[-1].upper()
        elif len(tokens) > 1 and _POSTAL_CODE.fullmatch(tokens[-1]):
            postal_code = tokens[-1]
        name = " ".join(tokens)

        def all_words(words) -> Q:
            match = Q()
            for word in words:
                match &= Q(search_name__contains=word)
            return match

        matches = all_words(tokens)
        if departement_code:
            # "sainte colombe 05": the commune of the Hautes-Alpes, or a name with "05".
            matches |= all_words(tokens[:-1]) & Q(
                kind__in=[kinds.COMMUNE, kinds.ARRONDISSEMENT],
                departement__code=departement_code,
            )
            name = " ".join(tokens[:-1])
        if postal_code:
            # "marseille 13001": the territories of that name with that postal code.
            matches |= all_words(tokens[:-1]) & Q(
                pk__in=PostalCode.objects.filter(code=postal_code).values("commune_id")
            )
            name = " ".join(tokens[:-1])
        if wanted_kind:
            matches &= Q(kind=wanted_kind)

        code = compact.upper() if _CODE.fullmatch(compact) else None
        if code:
            matches |= Q(code=code) & ~Q(kind__in=[kinds.REGION, kinds.NATIONAL])
        digits = compact if _POSTAL_PREFIX.fullmatch(compact) else ""
        if digits:
            communes = PostalCode.objects.filter(code__startswith=digits).values("commune_id")
            matches |= Q(pk__in=communes)

        rank = []
        if _POSTAL_CODE.fullmatch(digits):
            # A postal code names its communes before a commune whose INSEE code it is.
            exact = PostalCode.objects.filter(code=digits).values("commune_id")
            rank += [
                When(Q(pk__in=exact, kind=kinds.ARRONDISSEMENT), then=Value(0)),
                When(pk__in=exact, then=Value(1)),
            ]
        if code:
            rank.append(When(code=code, then=Value(2)))
        rank += [
            When(search_name=name, then=Value(3)),
            When(search_name__startswith=name, then=Value(4)),
            When(search_name__contains=f" {name}", then=Value(5)),
        ]
        return (
            self.filter(matches)
            .with_postal_code(digits or postal_code or "")
            .annotate(search_rank=Case(*rank, default=Value(6), output_field=IntegerField()))
            .order_by(
                "search_rank",
                F("population").desc(nulls_last=True),
                Case(*_KIND_ORDER, default=Value(9), output_field=IntegerField()),
                "search_name",
                "pk",
            )[:limit]
        )

    def resolve(self, text: object) -> list:
        """The territories that a typed text designates, for a form without JavaScript.

        One territory when the text is a label ("Sainte-Colombe (05)", "Aude (département)"),
        a code or a name that only one territory bears; several when it is ambiguous
        ("Paris": the commune and the département); the closest matches when nothing
        matches exactly; an empty list when nothing matches at all.
        """
        found = list(self.search(text))
        return best_matches(text, found) or found


def best_matches(text: object, found: list) -> list:
    """Among search results, those that `text` names exactly: by label, then by postal
    code (an arrondissement rather than its city, which it is part of), then by code, then
    by name. Empty when none does."""
    key = clean_query(text)
    if not key:
        return []
    for exact in (
        lambda t: normalise(t.label) == key or normalise(t.postal_label) == key,
        lambda t: getattr(t, "postal_code", None) == key,
        lambda t: t.code.lower() == key.replace(" ", ""),
        lambda t: t.search_name == key,
    ):
        hits = [t for t in found if exact(t)]
        if hits:
            cities = {t.commune_id for t in hits if t.commune_id}
            return [t for t in hits if t.pk not in cities]
    return []
