"""Suggested connections: features, candidates from indexes, scores and their reasons.

An item (a person, an initiative or an ad) is reduced to *features* — the stems of what
it seeks and of what it offers (each stem remembering the phrase it came from, for the
reasons), the stems of its texts, its themes, its commune, EPCI and département, and
the stems of the difficulties it met ("x": the obstacles of its published experience
sheets that members may read; drafts never count). An initiative's sheets are those
whose `initiative` it is; a person's are those naming them among the sheet's `people`
(the form offers writers themselves there). The writer's account (`created_by`), the
contact person and the person an obstacle is quoted from are left out: they have no
reverse relation to prefetch, and an account is not a profile. Ads have none. Items
that may be suggested to others are written to an inverted table (`MatchKey`:
"o:anim" -> items offering something about animation) and their features to
`MatchProfile`.

Finding the suggestions of one item never compares all pairs: its features name the
keys to look up ("what I seek" looks up "o:<stem>", "what I offer" looks up
"s:<stem>"…); keys held by too many items are dropped (they tell nothing), the others are
weighted by their rarity; the items holding the most weight are the candidates, which
are then scored exactly by `score()`, which also says why, in plain words.

`score(a, b)` is symmetric, so when an item changes the suggestions pointing at it are
mended from its own candidates (see `refresh_item`). The full recompute
(`manage.py recompute_suggestions`) does the same with the index held in memory.
"""

import heapq
import math
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.db import transaction
from django.db.models import Case, FloatField, Sum, Value, When
from django.utils import timezone

from maillage.search.text import STOPWORDS, stem, tokens

from .models import ItemType, MatchKey, MatchProfile, Suggestion

TOP = 10
CANDIDATES = 50
MAX_DF = 300
MAX_QUERY_KEYS = 12
MAX_TEXT_STEMS = 25
MAX_PHRASE = 70
MIN_STEM = 3

WEIGHTS = {
    "o": 3.0,
    "s": 3.0,
    "od": 3.5,
    "sd": 3.5,
    "w": 0.5,
    "t": 1.0,
    "td": 1.5,
    "c": 1.0,
    "e": 0.6,
    "d": 0.3,
    "x": 1.0,
}
COMPLEMENT = 3.0
THEME = 1.0
# A difficulty met by both (an obstacle of their published experience sheets).
CHALLENGE = 1.5
MAX_CHALLENGES = 3
MAX_CHALLENGE_STEMS = 30
WORD = 0.4
MAX_WORDS = 6
NEAR = {"c": 1.5, "e": 1.0, "d": 0.5}

# Words that say nothing about what is offered or sought.
_GENERIC = {
    "aid", "besoin", "cherch", "recherch", "propos", "person", "quelqu", "chos", "tout",
    "autr", "plus", "fair", "bien", "pouvoir", "peux", "peut", "veux", "souhait", "envi",
    "nouveau", "nouvel", "group", "projet", "local", "commun", "tres", "pres",
}  # fmt: skip
# A few words people use for the same skill: folded onto the first word's stem.
_SYNONYMS = [
    ["animation", "facilitation", "animer", "faciliter", "animateur", "facilitateur"],
    ["graphisme", "graphiste", "infographie", "maquette"],
    ["benevole", "benevolat", "volontaire", "volontariat"],
    ["financement", "subvention", "financer", "mecenat"],
    ["informatique", "numerique", "ordinateur"],
    ["comptabilite", "comptable", "compta"],
    ["juridique", "droit", "statuts"],
    ["salle", "lieu", "locaux"],
    ["potager", "jardin", "jardinage", "maraichage"],
    ["reparation", "reparer", "bricolage", "bricoler"],
]
_CANON = {stem(word): stem(group[0]) for group in _SYNONYMS for word in group}
_PHRASES = re.compile(r"[\n\r,;.:/•·!?()]+|\s+(?:et|ou)\s+|\s+-\s+")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def _stem_word(word: str) -> str | None:
    folded = tokens(word)
    if not folded:
        return None
    token = folded[-1]
    if token in STOPWORDS or len(token) < MIN_STEM or token.isdigit():
        return None
    s = stem(token)[:40]
    s = _CANON.get(s, s)
    return None if s in _GENERIC or len(s) < MIN_STEM else s


def phrase_stems(text: str) -> dict[str, str]:
    """'Animation de réunions, comptabilité' -> {'anim': 'animation de réunions',
    'reunion': 'animation de réunions', 'comptabl': 'comptabilité'}."""
    found: dict[str, str] = {}
    for phrase in _PHRASES.split(text or ""):
        phrase = " ".join(phrase.split())
        if not phrase:
            continue
        shown = phrase if len(phrase) <= MAX_PHRASE else phrase[: MAX_PHRASE - 1] + "…"
        for word in _WORD.findall(phrase):
            s = _stem_word(word)
            if s and s not in found:
                found[s] = shown.lower() if shown.isupper() else shown
    return found


def text_stems(text: str) -> dict[str, str]:
    """The longest distinct stems of a text -> a word that shows each."""
    found: dict[str, str] = {}
    for word in _WORD.findall(text or ""):
        s = _stem_word(word)
        if s and s not in found:
            found[s] = word.lower()
    kept = sorted(found, key=lambda s: (-len(s), s))[:MAX_TEXT_STEMS]
    return {s: found[s] for s in kept}


# Words every obstacle uses ("manque de temps", "manque de financement" share no
# difficulty): left out of the challenges.
_CHALLENGE_GENERIC = {
    _stem_word(word)
    for word in (
        "manque", "manquer", "difficulté", "difficile", "problème", "obstacle", "frein",
        "trouver", "arriver", "réussir", "assez", "trop", "peu", "mal", "faute", "absence",
    )
} - {None}  # fmt: skip


def challenge_stems(texts: Iterable[str]) -> dict[str, str]:
    """The stems of obstacles (one text each) -> the phrase each comes from."""
    found: dict[str, str] = {}
    for text in texts:
        for s, phrase in phrase_stems(text).items():
            if s not in _CHALLENGE_GENERIC and s not in found:
                found[s] = phrase
                if len(found) >= MAX_CHALLENGE_STEMS:
                    return found
    return found


def _places(territories: Iterable) -> dict[str, dict[str, str]]:
    places: dict[str, dict[str, str]] = {"c": {}, "e": {}, "d": {}}
    for t in territories:
        if t is None:
            continue
        if t.kind in ("commune", "arrondissement"):
            places["c"][str(t.pk)] = t.name
        elif t.kind == "epci":
            places["e"][str(t.pk)] = t.name
        elif t.kind == "departement":
            places["d"][str(t.pk)] = t.name
        if t.kind in ("commune", "arrondissement"):
            if t.epci_id and t.epci is not None:
                places["e"][str(t.epci_id)] = t.epci.name
            if t.departement_id and t.departement is not None:
                places["d"][str(t.departement_id)] = t.departement.name
        elif t.kind == "epci" and t.departement_id and t.departement is not None:
            places["d"][str(t.departement_id)] = t.departement.name
    return places


def _join(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def features(
    *,
    name: str,
    owners: Iterable[int],
    need: str,
    offer: str,
    text: str,
    themes,
    territories,
    challenges: Iterable[str] = (),
) -> dict:
    """The features of one item (JSON-able: they are stored in MatchProfile).
    `challenges` are the obstacles of the item's published experience sheets. Profiles
    stored before "x" existed have none: readers use `f.get("x", {})`."""
    return {
        "n": name,
        "o": sorted({o for o in owners if o}),
        "need": phrase_stems(need),
        "offer": phrase_stems(offer),
        "w": text_stems(text),
        "t": {str(t.pk): t.name for t in themes},
        "x": challenge_stems(challenges),
        **_places(territories),
    }


# --- Items: what each kind of record is, for matching ----------------------------------


def person_features(person) -> dict:
    return features(
        name=person.name,
        owners=[person.user_id],
        need=_join(person.seeks, person.skills_sought),
        offer=person.offers,
        text=_join(person.presentation, person.drives, person.seeks, person.offers),
        themes=person.themes.all(),
        territories=person.territories.all(),
        challenges=_obstacles(person),
    )


def initiative_features(initiative) -> dict:
    owners = [initiative.created_by_id, *(p.user_id for p in initiative.carrier_people.all())]
    return features(
        name=initiative.title,
        owners=owners,
        need=_join(initiative.needs, initiative.charter_tasks),
        offer="",
        text=_join(initiative.title, initiative.summary, initiative.description),
        themes=initiative.themes.all(),
        territories=[initiative.commune, *initiative.territories.all()],
        challenges=_obstacles(initiative),
    )


def ad_features(ad) -> dict:
    body = _join(ad.title, ad.text)
    return features(
        name=ad.title,
        owners=[ad.author_id],
        need=body if ad.kind in ("need", "call") else "",
        offer=body if ad.kind == "offer" else "",
        text=body,
        themes=ad.themes.all(),
        territories=[ad.commune],
    )


def _territories_qs():
    from maillage.territories.models import Territory

    return Territory.objects.select_related("epci", "departement")


def _knowledge_installed() -> bool:
    from django.apps import apps

    return apps.is_installed("maillage.knowledge")


def _sheets_prefetch():
    """`record.challenge_sheets`: the sheets of a person or an initiative (both reach
    them as `sheets`) that every member may read, each with `obstacle_items`."""
    from django.db.models import Prefetch

    from maillage.knowledge.models import Audience, ExperienceSheet, SheetItem

    obstacles = SheetItem.objects.filter(kind=SheetItem.Kind.OBSTACLE).only("sheet_id", "text")
    sheets = (
        ExperienceSheet.objects.published()
        .filter(visibility__in=[Audience.PUBLIC, Audience.MEMBERS])
        .only("pk", "initiative_id")
        .prefetch_related(Prefetch("items", queryset=obstacles, to_attr="obstacle_items"))
    )
    return Prefetch("sheets", queryset=sheets, to_attr="challenge_sheets")


def _obstacles(record) -> list[str]:
    """The obstacles of a person's or an initiative's published experience sheets."""
    if not _knowledge_installed() or record.pk is None:
        return []
    if not hasattr(record, "challenge_sheets"):
        # A record that did not come from people_qs()/initiatives_qs(): two queries.
        from django.db.models import prefetch_related_objects

        prefetch_related_objects([record], _sheets_prefetch())
    return [item.text for sheet in record.challenge_sheets for item in sheet.obstacle_items]


def people_qs():
    from django.db.models import Prefetch

    from maillage.directory.models import Person

    qs = Person.objects.select_related("user", "user__match_preferences").prefetch_related(
        "themes", Prefetch("territories", queryset=_territories_qs())
    )
    return qs.prefetch_related(_sheets_prefetch()) if _knowledge_installed() else qs


def initiatives_qs():
    from django.db.models import Prefetch

    from maillage.directory.models import Initiative, Person

    qs = Initiative.objects.select_related(
        "commune__epci", "commune__departement"
    ).prefetch_related(
        "themes",
        Prefetch("territories", queryset=_territories_qs()),
        Prefetch("carrier_people", queryset=Person.objects.only("pk", "user_id")),
    )
    return qs.prefetch_related(_sheets_prefetch()) if _knowledge_installed() else qs


def ads_qs():
    from .models import Ad

    return Ad.objects.select_related("commune__epci", "commune__departement").prefetch_related(
        "themes"
    )


def person_is_suggestable(person) -> bool:
    """Only members who opted in, with a profile other members may see."""
    user = person.user
    if user is None or not user.is_member or person.visibility == "private":
        return False
    prefs = getattr(user, "match_preferences", None)
    return bool(prefs and prefs.suggestable)


def person_is_source(person) -> bool:
    return person.user is not None and person.user.is_member


def initiative_is_live(initiative) -> bool:
    return initiative.status == "published" and initiative.progress not in (
        "finished",
        "abandoned",
    )


KINDS = {
    ItemType.PERSON: (people_qs, person_features, person_is_suggestable, person_is_source),
    ItemType.INITIATIVE: (
        initiatives_qs,
        initiative_features,
        initiative_is_live,
        initiative_is_live,
    ),
    ItemType.AD: (ads_qs, ad_features, lambda ad: ad.is_live, lambda ad: ad.is_live),
}


# --- Keys and scores -------------------------------------------------------------------


def index_keys(f: dict) -> list[str]:
    """The keys under which an item is found."""
    keys = [f"s:{s}" for s in f["need"]] + [f"o:{s}" for s in f["offer"]]
    keys += [f"w:{s}" for s in f["w"]] + [f"t:{t}" for t in f["t"]]
    keys += [f"x:{s}" for s in f.get("x", {})]
    keys += [f"td:{t}:{d}" for t in f["t"] for d in f["d"]]
    # What one seeks or offers *in a département*: stays selective in a large network,
    # where "o:anim" alone is held by thousands.
    keys += [f"sd:{s}:{d}" for s in f["need"] for d in f["d"]]
    keys += [f"od:{s}:{d}" for s in f["offer"] for d in f["d"]]
    keys += [f"{level}:{pk}" for level in ("c", "e", "d") for pk in f[level]]
    return list(dict.fromkeys(k[:60] for k in keys))


def query_keys(f: dict) -> dict[str, float]:
    """The keys an item looks up, with their weight: what it seeks finds offers…"""
    keys: dict[str, float] = {}

    def add(key: str, weight: float) -> None:
        key = key[:60]
        keys[key] = max(keys.get(key, 0.0), weight)

    for s in f["need"]:
        add(f"o:{s}", WEIGHTS["o"])
        for d in f["d"]:
            add(f"od:{s}:{d}", WEIGHTS["od"])
    for s in f["offer"]:
        add(f"s:{s}", WEIGHTS["s"])
        for d in f["d"]:
            add(f"sd:{s}:{d}", WEIGHTS["sd"])
    for s in f["w"]:
        add(f"w:{s}", WEIGHTS["w"])
    for s in f.get("x", {}):
        add(f"x:{s}", WEIGHTS["x"])
    for t in f["t"]:
        add(f"t:{t}", WEIGHTS["t"])
        for d in f["d"]:
            add(f"td:{t}:{d}", WEIGHTS["td"])
    for level in ("c", "e", "d"):
        for pk in f[level]:
            add(f"{level}:{pk}", WEIGHTS[level])
    return keys


def selective(keys: dict[str, float], df: dict[str, int]) -> dict[str, float]:
    """Keys held by too many items are dropped; the rarest count most."""
    kept = {
        k: w * (1.0 + math.log(MAX_DF / df[k]))
        for k, w in keys.items()
        if 0 < df.get(k, 0) <= MAX_DF
    }
    best = sorted(kept, key=lambda k: (-kept[k], k))[:MAX_QUERY_KEYS]
    return {k: kept[k] for k in best}


def as_sets(f: dict) -> tuple:
    """The features as frozensets, for `value()` (C-speed intersections)."""
    names = ("need", "offer", "w", "t", "c", "e", "d")
    return (*(frozenset(f[name]) for name in names), frozenset(f.get("x", ())))


def value(a: tuple, b: tuple) -> float:
    """`score(a, b)[0]` from `as_sets()` features, without wording the reasons."""
    a_need, a_offer, a_w, a_t, a_c, a_e, a_d, a_x = a
    b_need, b_offer, b_w, b_t, b_c, b_e, b_d, b_x = b
    seeks, offers = a_need & b_offer, b_need & a_offer
    total = COMPLEMENT * (len(seeks) + len(offers))
    themes = len(a_t & b_t)
    total += THEME * themes
    challenges = a_x & b_x
    if challenges:
        total += CHALLENGE * min(len(challenges), MAX_CHALLENGES)
    words = len((a_w & b_w) - seeks - offers - challenges)
    if words >= 2:
        total += WORD * min(words, MAX_WORDS)
    if not (seeks or offers or themes or challenges or words >= 2):
        return 0.0
    if a_c & b_c:
        total += NEAR["c"]
    elif a_e & b_e:
        total += NEAR["e"]
    elif a_d & b_d:
        total += NEAR["d"]
    return round(total, 3)


def _pairs(mine: dict[str, str], theirs: dict[str, str]) -> tuple[int, list[list[str]]]:
    shared = [s for s in mine if s in theirs]
    phrases = list(dict.fromkeys((mine[s], theirs[s]) for s in shared))
    return len(shared), [list(p) for p in phrases[:2]]


def score(a: dict, b: dict) -> tuple[float, list[dict]]:
    """How well `b` suits `a`, and why (reasons as data, worded by `reason_text`).
    Symmetric in its value; the reasons are told from `a`'s side."""
    total = 0.0
    reasons: list[dict] = []
    used: set[str] = set()
    n, phrases = _pairs(a["need"], b["offer"])
    if n:
        total += COMPLEMENT * n
        used.update(s for s in a["need"] if s in b["offer"])
        reasons += [{"t": "seeks", "mine": m, "theirs": t} for m, t in phrases]
    n, phrases = _pairs(b["need"], a["offer"])
    if n:
        total += COMPLEMENT * n
        used.update(s for s in b["need"] if s in a["offer"])
        reasons += [{"t": "offers", "mine": m, "theirs": t} for t, m in phrases]
    themes = [name for pk, name in a["t"].items() if pk in b["t"]]
    if themes:
        total += THEME * len(themes)
        reasons.append({"t": "themes", "names": themes[:4]})
    a_x, b_x = a.get("x", {}), b.get("x", {})
    n, phrases = _pairs(a_x, b_x)
    if n:
        total += CHALLENGE * min(n, MAX_CHALLENGES)
        used.update(s for s in a_x if s in b_x)
        reasons.append({"t": "challenges", "pairs": phrases})
    words = [word for s, word in a["w"].items() if s in b["w"] and s not in used]
    if len(words) >= 2:
        total += WORD * min(len(words), MAX_WORDS)
        reasons.append({"t": "words", "words": words[:4]})
    if not reasons:
        return 0.0, []
    for level in ("c", "e", "d"):
        shared = [name for pk, name in a[level].items() if pk in b[level]]
        if shared:
            total += NEAR[level]
            reasons.append({"t": "near", "level": level, "name": shared[0]})
            break
    return round(total, 3), reasons


# --- Finding the suggestions of one item (database indexes) ----------------------------


def features_of(item_type: str, item_id: int) -> tuple[dict | None, bool, bool]:
    """(features, suggestable, source) of a record, read from its tables."""
    get_qs, get_features, is_suggestable, is_source = KINDS[item_type]
    record = get_qs().filter(pk=item_id).first()
    if record is None:
        return None, False, False
    return get_features(record), bool(is_suggestable(record)), bool(is_source(record))


def capped_df(keys: list[str]) -> dict[str, int]:
    """How many items hold each key, counted up to MAX_DF + 1 only: a common key costs
    no more than a rare one (each count reads at most MAX_DF + 1 index entries)."""
    from django.db import connection

    if not keys:
        return {}
    quote = connection.ops.quote_name
    table, column = quote(MatchKey._meta.db_table), quote("key")
    one = (
        f"SELECT %s, (SELECT COUNT(*) FROM (SELECT 1 FROM {table} "  # noqa: S608
        f"WHERE {column} = %s LIMIT {MAX_DF + 1}) AS capped)"
    )
    sql = " UNION ALL ".join([one] * len(keys))
    params = [value for key in keys for value in (key, key)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def candidates(f: dict, *, exclude: tuple[str, int] | None = None) -> list[tuple[str, int]]:
    """The items holding the most weight of `f`'s selective keys (SQL, indexes only)."""
    keys = query_keys(f)
    if not keys:
        return []
    kept = selective(keys, capped_df(list(keys)))
    if not kept:
        return []
    weight = Case(*[When(key=k, then=Value(w)) for k, w in kept.items()], output_field=FloatField())
    rows = (
        MatchKey.objects.filter(key__in=list(kept))
        .values("item_type", "item_id")
        .annotate(weight=Sum(weight))
        .order_by("-weight", "item_type", "item_id")
        .values_list("item_type", "item_id")[: CANDIDATES + 1]
    )
    return [(t, i) for t, i in rows if (t, i) != exclude][:CANDIDATES]


def _profiles(items: list[tuple[str, int]]) -> dict[tuple[str, int], dict]:
    by_type: dict[str, list[int]] = defaultdict(list)
    for t, i in items:
        by_type[t].append(i)
    found = {}
    for t, ids in by_type.items():
        for pk, data in MatchProfile.objects.filter(item_type=t, item_id__in=ids).values_list(
            "item_id", "data"
        ):
            found[(t, pk)] = data
    return found


def rank(
    f: dict, pool: dict[tuple[str, int], dict], *, top: int = TOP, sets: dict | None = None
) -> list[tuple]:
    """[(score, item, reasons), …] best first, the items of `f`'s owners left out.
    Every candidate is valued with sets; only the best are worded. `sets` caches
    `as_sets()` by item (the full recompute passes one)."""
    owners = set(f["o"])
    mine = as_sets(f)
    valued = []
    for item, other in pool.items():
        if owners.intersection(other["o"]):
            continue
        theirs = sets[item] if sets is not None else as_sets(other)
        v = value(mine, theirs)
        if v > 0:
            valued.append((v, item))
    best = heapq.nsmallest(top, valued, key=lambda s: (-s[0], s[1]))
    return [(v, item, score(f, pool[item])[1]) for v, item in best]


def suggest(item_type: str, item_id: int, *, top: int = TOP, f: dict | None = None) -> list:
    """The `top` suggestions of one item, computed now from the indexes."""
    if f is None:
        f, _s, _source = features_of(item_type, item_id)
        if f is None:
            return []
    pool = _profiles(candidates(f, exclude=(item_type, item_id)))
    return rank(f, pool, top=top)


# --- Keeping the index and the stored suggestions current ------------------------------


def _write_index(item: tuple[str, int], f: dict | None) -> None:
    t, i = item
    MatchKey.objects.filter(item_type=t, item_id=i).delete()
    MatchProfile.objects.filter(item_type=t, item_id=i).delete()
    if f is not None:
        MatchProfile.objects.create(item_type=t, item_id=i, data=f)
        MatchKey.objects.bulk_create(
            [MatchKey(key=k, item_type=t, item_id=i) for k in index_keys(f)]
        )


def _store(source: tuple[str, int], ranked: list[tuple], *, now) -> list[tuple[str, int]]:
    """Replace the stored suggestions of `source` (dismissed ones stay, and stay out);
    returns the targets that are new."""
    t, i = source
    existing = Suggestion.objects.filter(source_type=t, source_id=i)
    before = {(s.target_type, s.target_id): s.dismissed for s in existing}
    existing.filter(dismissed=False).delete()
    rows = [
        Suggestion(
            source_type=t,
            source_id=i,
            target_type=target[0],
            target_id=target[1],
            score=value,
            reasons=reasons,
            created_at=now,
        )
        for value, target, reasons in ranked
        if not before.get(target)
    ]
    Suggestion.objects.bulk_create(rows)
    return [
        (r.target_type, r.target_id) for r in rows if (r.target_type, r.target_id) not in before
    ]


def _mirror(item: tuple[str, int], f: dict, *, now) -> list[tuple[str, int]]:
    """`item` changed: it may now belong among its candidates' suggestions. Returns the
    sources that got it as a new suggestion."""
    pool = _profiles(candidates(f, exclude=item))
    new = []
    owners = set(f["o"])
    for other, data in pool.items():
        if owners & set(data["o"]):
            continue
        value, reasons = score(data, f)
        if value <= 0:
            continue
        if Suggestion.objects.filter(
            source_type=other[0], source_id=other[1], target_type=item[0], target_id=item[1]
        ).exists():
            continue  # dismissed: stays dismissed
        Suggestion.objects.create(
            source_type=other[0],
            source_id=other[1],
            target_type=item[0],
            target_id=item[1],
            score=value,
            reasons=reasons,
            created_at=now,
        )
        new.append(other)
    return new


def refresh_item(item_type: str, item_id: int) -> tuple[list, list]:
    """Bring one record's index lines and suggestions up to date (after it changed).
    Returns the new targets of its own suggestions, and the sources it was newly
    suggested to."""
    item = (item_type, item_id)
    now = timezone.now()
    with transaction.atomic():
        f, suggestable, source = features_of(item_type, item_id)
        _write_index(item, f if suggestable else None)
        Suggestion.objects.filter(
            target_type=item_type, target_id=item_id, dismissed=False
        ).delete()
        if f is None:
            Suggestion.objects.filter(source_type=item_type, source_id=item_id).delete()
            return [], []
        mirrored = _mirror(item, f, now=now) if suggestable else []
        if source:
            return _store(item, suggest(item_type, item_id, f=f), now=now), mirrored
        Suggestion.objects.filter(
            source_type=item_type, source_id=item_id, dismissed=False
        ).delete()
        return [], mirrored


# --- The full recompute: the same steps, with the index in memory ---------------------


def _all_items(batch: int = 2000) -> Iterator[tuple[tuple[str, int], dict, bool, bool]]:
    for item_type, (get_qs, get_features, is_suggestable, is_source) in KINDS.items():
        qs = get_qs().order_by("pk")
        last = 0
        while True:
            chunk = list(qs.filter(pk__gt=last)[:batch])
            if not chunk:
                break
            for record in chunk:
                suggestable, source = bool(is_suggestable(record)), bool(is_source(record))
                if suggestable or source:
                    yield (item_type, record.pk), get_features(record), suggestable, source
            last = chunk[-1].pk


def _insert(model, columns: list[str], rows: list[tuple]) -> None:
    """Plain INSERTs for millions of rows (the ORM's bulk_create builds an object each)."""
    if not rows:
        return
    from django.db import connection

    quote = connection.ops.quote_name
    # Table and column names come from the models, never from input.
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows: the full recompute at 100,000 people + 100,000 ads
            # (6.3 million index lines, 1.8 million suggestions) went from 416 s with
            # executemany to 288 s (docs/performance.md).
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def analyze_tables() -> None:
    """Refresh the planner's statistics after a bulk rewrite of the index; on PostgreSQL
    also VACUUM, so that counting a key stays an index-only scan (measured: the df query
    of one item drops from ~115 ms to ~9 ms on 1.2 million lines). VACUUM cannot run in
    a transaction: inside one (tests), only ANALYZE runs."""
    from django.db import connection

    tables = [m._meta.db_table for m in (MatchKey, MatchProfile, Suggestion)]
    with connection.cursor() as cursor:
        for table in tables:
            name = connection.ops.quote_name(table)
            if connection.vendor == "postgresql" and not connection.in_atomic_block:
                cursor.execute(f"VACUUM ANALYZE {name}")
            else:
                cursor.execute(f"ANALYZE {name}")


def _rank_source(source: tuple[str, int], shared: "_Shared") -> list[tuple]:
    """The stored rows of one source's suggestions, from the index held in memory."""
    import json

    f = shared.profiles[source]
    postings = shared.postings
    wanted = query_keys(f)
    kept = selective(wanted, {k: len(postings[k]) for k in wanted if k in postings})
    weights: dict[tuple[str, int], float] = defaultdict(float)
    for key, weight in kept.items():
        for other in postings[key]:
            weights[other] += weight
    weights.pop(source, None)
    best = heapq.nsmallest(CANDIDATES, weights.items(), key=lambda kv: (-kv[1], kv[0]))
    pool = {other: shared.profiles[other] for other, _w in best}
    return [
        (*source, *target, v, json.dumps(reasons), False, shared.stamp)
        for v, target, reasons in rank(f, pool, sets=shared.sets)
        if (*source, *target) not in shared.dismissed
    ]


class _Shared:
    """What every source's ranking reads: built once, then only read (a forked worker
    inherits it instead of receiving it pickled; reading still copies the pages whose
    reference counts change)."""

    def __init__(self, profiles, sets, postings, dismissed, stamp) -> None:
        self.profiles, self.sets, self.postings = profiles, sets, postings
        self.dismissed, self.stamp = dismissed, stamp


_SHARED: _Shared | None = None  # set in the parent just before forking the workers


def _rank_chunk(chunk: list[tuple[str, int]]) -> list[tuple]:
    rows: list[tuple] = []
    for source in chunk:
        rows += _rank_source(source, _SHARED)
    return rows


def _ranked_rows(
    sources: list[tuple[str, int]], shared: _Shared, *, workers: int, chunk: int = 1000
) -> Iterator[list[tuple]]:
    """Lists of rows to store, chunk by chunk. With several workers the chunks are ranked
    by forked processes (the ranking is pure Python: one core each) while this process
    writes what they send back; results are the same, in the same order. A worker that
    dies (killed for memory…) raises `BrokenProcessPool` here, so the caller's
    transaction rolls back instead of waiting for a chunk that never comes."""
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _SHARED
    chunks = [sources[i : i + chunk] for i in range(0, len(sources), chunk)]
    if workers <= 1 or len(chunks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for part in chunks:
            yield [row for source in part for row in _rank_source(source, shared)]
        return
    _SHARED = shared
    # The collector would otherwise walk (and so copy) every shared page in each worker.
    # Only what this call froze is unfrozen afterwards.
    froze = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            yield from pool.map(_rank_chunk, chunks)
    finally:
        _SHARED = None
        if froze:
            gc.unfreeze()


def _hold_writers(*models) -> None:
    """PostgreSQL: make the incremental refreshes that run meanwhile (task worker) wait
    for this transaction's end, instead of inserting a row that the bulk insert then
    repeats (a unique violation would undo minutes of work). Reads go on. SQLite lets
    one writer at a time anyway."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")


def default_workers() -> int:
    """The cores this process may use (container limits included), at most 4."""
    return max(1, min(4, os.process_cpu_count() or 1))


def recompute_all(
    *,
    batch: int = 5000,
    say=lambda message: None,
    index_only: bool = False,
    workers: int | None = None,
    parallel_from: int = 5000,
    chunk: int = 1000,
) -> dict[str, int]:
    """Rebuild the whole index and every stored suggestion (dismissed ones are kept).
    `index_only` stops after the index (the benchmark measures the two phases apart).
    From `parallel_from` sources on, the ranking is shared between `workers` processes
    (default: the machine's cores, at most 4)."""
    import json

    from django.db import connection

    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    profiles: dict[tuple[str, int], dict] = {}
    sets: dict[tuple[str, int], tuple] = {}
    sources: list[tuple[str, int]] = []
    postings: dict[str, list[tuple[str, int]]] = defaultdict(list)
    keys_buffer: list[tuple] = []
    profile_buffer: list[tuple] = []

    def flush() -> None:
        _insert(MatchProfile, ["item_type", "item_id", "data"], profile_buffer)
        _insert(MatchKey, ["key", "item_type", "item_id"], keys_buffer)
        profile_buffer.clear()
        keys_buffer.clear()

    with transaction.atomic():
        _hold_writers(MatchKey, MatchProfile)
        MatchKey.objects.all().delete()
        MatchProfile.objects.all().delete()
        for item, f, suggestable, source in _all_items():
            profiles[item] = f
            if source:
                sources.append(item)
            if suggestable:
                sets[item] = as_sets(f)
                profile_buffer.append((item[0], item[1], json.dumps(f)))
                for key in index_keys(f):
                    postings[key].append(item)
                    keys_buffer.append((key, item[0], item[1]))
                if len(keys_buffer) >= batch * 20:
                    flush()
        flush()
    say(f"index: {len(profiles)} items, {len(postings)} keys")
    if index_only:
        analyze_tables()
        return {"items": len(profiles), "sources": len(sources), "suggestions": 0}
    dismissed = set(
        Suggestion.objects.filter(dismissed=True).values_list(
            "source_type", "source_id", "target_type", "target_id"
        )
    )
    if workers is None:
        workers = default_workers()
    if len(sources) < parallel_from:
        workers = 1
    shared = _Shared(profiles, sets, dict(postings), dismissed, stamp)
    written = 0
    columns = [
        "source_type", "source_id", "target_type", "target_id",
        "score", "reasons", "dismissed", "created_at",
    ]  # fmt: skip
    with transaction.atomic():
        _hold_writers(Suggestion)
        Suggestion.objects.filter(dismissed=False).delete()
        for rows in _ranked_rows(sources, shared, workers=workers, chunk=chunk):
            _insert(Suggestion, columns, rows)
            written += len(rows)
    say(f"suggestions: {written} ({workers} processus)")
    analyze_tables()
    return {"items": len(profiles), "sources": len(sources), "suggestions": written}
