"""Reading the index: results, facet counts and suggestions, for one viewer.

Every statement starts from `visible_sql(viewer)`, the index's copy of the directory's
`visible_to` rules, so that a private profile or a proposal never reaches someone who
may not see it, in results, counts or suggestions alike. The rest is the same SQL on
both databases, with the vendor-specific pieces taken from `backends`.
"""

# ruff: noqa: S608 - SQL is assembled from this package's fragments; values are parameters.

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from . import text
from .backends import Match, get_backend
from .registry import Audience

TABLE = "search_searchdocument"
PAGE_SIZE = 20
MAX_PAGE = 50
SUGGESTIONS = 10
TERRITORY_FACET_SIZE = 30
RECENT_DAYS = 30
# Near words tried per term when nothing matches exactly.
MAX_NEAR_WORDS = 5
# Up to this many matches, facets are counted exactly; beyond, they are estimated from
# a sample of the index (see Search.facets): counting 100,000 rows costs a second.
EXACT_COUNT_LIMIT = 3000


@dataclass(frozen=True)
class Viewer:
    facilitator: bool = False
    member: bool = False
    user_id: int | None = None

    @classmethod
    def of(cls, user) -> "Viewer":
        authenticated = bool(getattr(user, "is_authenticated", False))
        return cls(
            facilitator=bool(getattr(user, "is_facilitator", False)),
            member=bool(getattr(user, "is_member", False)),
            user_id=user.pk if authenticated else None,
        )


def visible_sql(viewer: Viewer) -> tuple[str, list]:
    """Documents `viewer` may see: facilitators everything indexed; others what is
    published for their audience, plus what they own."""
    if viewer.facilitator:
        return "1 = 1", []
    audiences = [Audience.PUBLIC, Audience.MEMBERS] if viewer.member else [Audience.PUBLIC]
    marks = ", ".join(["%s"] * len(audiences))
    sql = f"(d.published AND d.audience IN ({marks}))"
    params: list = list(audiences)
    if viewer.user_id:
        sql = f"({sql} OR d.owner_id = %s)"
        params.append(viewer.user_id)
    return sql, params


@dataclass
class Filters:
    kind: str = ""
    theme: int | None = None
    territory: object = None  # a Territory
    status: str = ""
    date: str = ""  # "30j" or a year

    def sql(self) -> tuple[list[str], list]:
        """Conditions on the plain columns (themes and territories: see `facets`)."""
        parts, params = [], []
        if self.kind:
            parts.append("d.kind = %s")
            params.append(self.kind)
        if self.status:
            parts.append("d.status = %s")
            params.append(self.status)
        if self.date == "30j":
            parts.append("d.created_at >= %s")
            params.append(timezone.now() - timedelta(days=RECENT_DAYS))
        elif self.date.isdigit():
            parts.append("d.created_year = %s")
            params.append(int(self.date))
        return parts, params

    def facets(self) -> list[tuple[str, int]]:
        """(column, id) of the theme and territory asked for: the backend matches them
        together with the words (one index scan on PostgreSQL)."""
        return [
            (column, int(getattr(value, "pk", value)))
            for column, value in (("themes", self.theme), ("territories", self.territory))
            if value is not None
        ]


@dataclass
class Hit:
    id: int
    kind: str
    object_id: int
    title: str
    body: str
    url: str
    status: str
    created_at: object
    title_hit: bool


@dataclass
class Facets:
    total: int = 0
    # True when the counts are estimates (a large result set, counted on a sample).
    estimated: bool = False
    # (position, id) of the page's documents, when counted exactly.
    page: list = field(default_factory=list)
    kind: dict[str, int] = field(default_factory=dict)
    status: dict[str, int] = field(default_factory=dict)
    year: dict[int, int] = field(default_factory=dict)
    recent: int = 0
    theme: dict[int, int] = field(default_factory=dict)
    territory: dict[int, int] = field(default_factory=dict)


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# Completions of an unfinished last word looked up in the vocabulary of titles.
MAX_COMPLETIONS = 10


def prefix_words(prefix: str) -> list[str]:
    """Title words that start with `prefix` ("photovolt" -> ["photovoltaique"]), the
    first MAX_COMPLETIONS in alphabetical order: a range of the vocabulary's unique
    index, the same on both databases (the prefix itself counts if it is a word)."""
    from .models import SearchWord

    words = SearchWord.objects.filter(word__gte=prefix, word__lt=prefix + "\uffff")
    found = list(words.order_by("word").values_list("word", flat=True)[:MAX_COMPLETIONS])
    return [w for w in found if w.startswith(prefix)]


def near_words(term: str) -> list[str]:
    """Vocabulary words one or two typos away from `term` ("camile" -> "camille"),
    by pg_trgm similarity (≥ 0.3) and edit distance, closest first."""
    allowed = text.allowed_typos(term)
    if not allowed:
        return []
    scored = []
    for word in get_backend().similar_words(term):
        if word == term or text.similarity(word, term) < 0.3:
            continue
        distance = text.edit_distance(word, term, limit=allowed)
        if distance <= allowed:
            scored.append((distance, word))
    return [word for _d, word in sorted(scored)[:MAX_NEAR_WORDS]]


class Search:
    """One query for one viewer. `terms` are folded; `approximate` says typos were
    tolerated because nothing matched exactly."""

    def __init__(self, q: object, *, viewer: Viewer, filters: Filters | None = None) -> None:
        self.viewer = viewer
        self.filters = filters or Filters()
        self.terms = text.query_terms(q)
        self.approximate = False
        self.match = None
        if self.terms:
            last = self.terms[-1]
            completions = prefix_words(last) if len(last) >= 3 else []
            groups = [[t] for t in self.terms]
            # A title word that the last term starts is as good as the term itself.
            groups[-1] += [w for w in completions if w != last]
            self.match = Match(groups, completions=completions)

    def widen(self) -> bool:
        """Tolerate typos: each term may also be a near word of the vocabulary.
        False when no term has one (nothing more to try)."""
        if not self.match or self.approximate:
            return False
        near = [near_words(t) for t in self.terms]
        if not any(near):
            return False
        alternatives = [
            [*group, *(w for w in words if w not in group)]
            for group, words in zip(self.match.alternatives, near, strict=True)
        ]
        self.match = Match(alternatives, completions=self.match.completions)
        self.approximate = True
        return True

    @property
    def highlight_words(self) -> list[list[str]]:
        return self.match.alternatives if self.match else []

    def where(self, text: bool = True) -> tuple[str, list]:
        """Visible, matching (unless `text` is False) and meeting the criteria."""
        backend = get_backend()
        visible, params = visible_sql(self.viewer)
        parts = [visible]
        match = self.match if text else None
        facets = self.filters.facets()
        if match or facets:
            sql, extra = backend.match_sql(match, facets)
            parts.append(sql)
            params = params + extra
        filter_parts, filter_params = self.filters.sql()
        return " AND ".join(parts + filter_parts), params + filter_params

    def _territory_level(self) -> tuple[str, str, list]:
        """Which list the territory facet counts, and an optional join restricting it:
        régions at first, then the départements of a région, then the communes of a
        département or an intercommunality."""
        territory = self.filters.territory
        kind = getattr(territory, "kind", None)
        if territory is None or kind == "national":
            return "regions", "", []
        if kind == "region":
            return "departements", "", []
        if kind in ("departement", "epci"):
            join = (
                "JOIN territories_territory t ON t.id = CAST(e.value AS bigint) "
                f"AND t.kind = 'commune' AND t.{kind}_id = %s"
            )
            return "territories", join, [territory.pk]
        return "", "", []

    def run(self, page: int = 1, size: int = PAGE_SIZE) -> tuple[Facets, list[Hit]]:
        """Facet counts and one page of results.

        Up to EXACT_COUNT_LIMIT matches (the usual case once a word or a criterion is
        given), one statement counts every facet exactly and ranks the page: title
        matches first, then the newest. Beyond, counting and ranking everything would
        cost up to a second at 400,000 documents, so the counts are estimated from a
        sample of the index (only visible documents are ever sampled: an estimate
        reveals nothing) and the page takes title matches first, then the others, each
        group in index order, with queries that stop after one page.
        """
        page = min(max(page, 1), MAX_PAGE)
        offset = (page - 1) * size
        where, params = self.where()
        backend = get_backend()
        # When the planner expects more than the limit, skip the exact attempt (which
        # would read EXACT_COUNT_LIMIT rows for nothing). Its guesses err low for two
        # words that go together ("budget participatif": 19,000 for 70,000), and a
        # guess too high only means estimated counts where exact ones were possible,
        # never a hidden document.
        estimate = backend.estimated_rows(TABLE, where, params) if self.match else None
        if estimate is not None and estimate > EXACT_COUNT_LIMIT:
            facets, ids = None, None
        else:
            facets, ids = self._exact(where, params, size, offset)
        if facets is None:
            source, sample_where, scale = backend.sample_sql(TABLE)
            facets = self._count(source, f"{sample_where} AND {where}", params, scale=scale)
            facets.total = max(facets.total, EXACT_COUNT_LIMIT + 1)
            facets.estimated = True
            return facets, self._large_page(where, params, size, offset)
        return facets, self._display(ids)

    def facets(self) -> Facets:
        return self.run()[0]

    def hits(self, page: int = 1, size: int = PAGE_SIZE) -> list[Hit]:
        return self.run(page, size)[1]

    def _title_hit(self) -> tuple[str, list]:
        if not self.match:
            return "1 = 0", []
        return get_backend().title_hit_sql(self.match)

    def _exact(self, where, params, size, offset):
        """(Facets, ids of the page in order), or (None, None) past the limit."""
        hit, hit_params = self._title_hit()
        order = "m.title_hit DESC, m.created_at DESC, m.id DESC"
        extra = [
            f"UNION ALL SELECT 'page', CAST(p.id AS TEXT), p.position FROM (SELECT m.id, "
            f"ROW_NUMBER() OVER (ORDER BY {order}) AS position FROM m) p "
            f"WHERE p.position > %s AND p.position <= %s",
            "UNION ALL SELECT 'total', '', COUNT(*) FROM found",
        ]
        facets = self._count(
            f"{TABLE} d",
            where,
            params,
            scale=1,
            columns=f"d.id, ({hit}) AS title_hit",
            column_params=hit_params,
            limit=EXACT_COUNT_LIMIT + 1,
            extra=extra,
            extra_params=[offset, offset + size],
        )
        if facets.total > EXACT_COUNT_LIMIT:
            return None, None
        return facets, [pk for _position, pk in sorted(facets.page)]

    def _count(
        self,
        source: str,
        where: str,
        params: list,
        *,
        scale: int,
        columns: str = "",
        column_params: list | None = None,
        limit: int | None = None,
        extra: list | None = None,
        extra_params: list | None = None,
    ) -> Facets:
        backend = get_backend()
        level, join, join_params = self._territory_level()
        selected = "d.kind, d.status, d.created_year, d.created_at, d.themes"
        if columns:
            selected += f", {columns}"
        if level:
            selected += f", d.{level}"
        if limit:
            # Count nothing once the limit is reached: the caller will estimate instead.
            cte = (
                f"WITH found AS MATERIALIZED (SELECT {selected} FROM {source} WHERE {where}"
                f" LIMIT {int(limit)}), m AS MATERIALIZED (SELECT * FROM found"
                f" WHERE (SELECT COUNT(*) FROM found) < {int(limit)})"
            )
        else:
            cte = f"WITH m AS MATERIALIZED (SELECT {selected} FROM {source} WHERE {where})"
        sql = [
            cte,
            "SELECT 'kind', m.kind, COUNT(*) FROM m GROUP BY m.kind",
            "UNION ALL SELECT 'status', m.status, COUNT(*) FROM m WHERE m.status <> ''"
            " GROUP BY m.status",
            "UNION ALL SELECT 'year', CAST(m.created_year AS TEXT), COUNT(*) FROM m"
            " GROUP BY m.created_year",
            "UNION ALL SELECT 'recent', '', COUNT(*) FROM m WHERE m.created_at >= %s",
            f"UNION ALL SELECT 'theme', CAST(e.value AS TEXT), COUNT(*) FROM m"
            f" {backend.each_sql('themes')} GROUP BY e.value",
        ]
        params = (column_params or []) + params + [timezone.now() - timedelta(days=RECENT_DAYS)]
        if level:
            sql.append(
                f"UNION ALL SELECT 'territory', CAST(e.value AS TEXT), COUNT(*) FROM m"
                f" {backend.each_sql(level)} {join} GROUP BY e.value"
            )
            params += join_params
        sql += extra or []
        params += extra_params or []
        facets = Facets()
        counted = 0
        # Without words, the visible documents are dense: a plain scan stops early.
        fetch = backend.fetch_capped if (limit and self.match) else _fetch
        for facet, value, count in fetch(" ".join(sql), params):
            if facet == "page":
                facets.page.append((count, int(value)))
                continue
            if facet == "total":
                facets.total = count
                continue
            count *= scale
            if facet == "kind":
                facets.kind[value] = count
                counted += count
            elif facet == "status":
                facets.status[value] = count
            elif facet == "year":
                facets.year[int(value)] = count
            elif facet == "recent":
                facets.recent = count
            elif facet == "theme":
                facets.theme[int(value)] = count
            else:
                facets.territory[int(value)] = count
        if not extra:
            facets.total = counted
        return facets

    _DISPLAY = "d.id, d.kind, d.object_id, d.title, d.body, d.url, d.status, d.created_at"

    def _display(self, ids: list[int]) -> list[Hit]:
        """The shown columns of the page's documents, in the page's order."""
        if not ids:
            return []
        hit, hit_params = self._title_hit()
        marks = ", ".join(["%s"] * len(ids))
        sql = f"SELECT {self._DISPLAY}, ({hit}) FROM {TABLE} d WHERE d.id IN ({marks})"
        rows = {row[0]: row for row in _fetch(sql, hit_params + ids)}
        return [Hit(*rows[pk][:8], title_hit=bool(rows[pk][8])) for pk in ids if pk in rows]

    def _large_page(self, where, params, size, offset) -> list[Hit]:
        if not self.match:
            return self._rows(where, params, size, offset, title_hit=False, ordered=True)
        hit, hit_params = self._title_hit()
        # A title hit is a match: the title tier needs no other text condition.
        base, base_params = self.where(text=False)
        found = self._rows(f"{base} AND {hit}", base_params + hit_params, size, offset, True)
        if len(found) == size:
            return found
        if found or not offset:
            in_titles = offset + len(found)
        else:
            sql = (
                f"SELECT COUNT(*) FROM (SELECT 1 FROM {TABLE} d WHERE {base} AND {hit} LIMIT %s) s"
            )
            in_titles = _fetch(sql, base_params + hit_params + [offset])[0][0]
        rest = self._rows(
            f"{where} AND NOT ({hit})",
            params + hit_params,
            size - len(found),
            max(0, offset - in_titles),
            False,
        )
        return found + rest

    def _rows(self, where, params, limit, offset, title_hit: bool, ordered: bool = False):
        # Without ORDER BY the database stops after one page: past EXACT_COUNT_LIMIT
        # matches, sorting them all by date would cost more than the page is worth.
        # With no words at all, the date index gives the newest documents cheaply.
        order = " ORDER BY d.created_at DESC, d.id DESC" if ordered else ""
        sql = f"SELECT {self._DISPLAY} FROM {TABLE} d WHERE {where}{order} LIMIT %s OFFSET %s"
        return [Hit(*row, title_hit=title_hit) for row in _fetch(sql, params + [limit, offset])]

    def document_ids(self) -> set[tuple[str, int]]:
        """(kind, object_id) of every match: what the relevance tests compare."""
        where, params = self.where()
        sql = f"SELECT d.kind, d.object_id FROM {TABLE} d WHERE {where}"
        return {(kind, int(pk)) for kind, pk in _fetch(sql, params)}


def suggestions(q: object, *, viewer: Viewer, limit: int = SUGGESTIONS) -> list[Hit]:
    """As-you-type: titles starting with what was typed, then titles containing its
    words (the last one unfinished). Nothing under three letters."""
    words = text.tokens(q[: text.MAX_QUERY_LENGTH]) if isinstance(q, str) else []
    words = [w[: text.MAX_TERM_LENGTH] for w in words][: text.MAX_TERMS]
    if not words or len(words[-1]) < 3:
        return []
    backend = get_backend()
    visible, visible_params = visible_sql(viewer)
    select = (
        f"SELECT d.id, d.kind, d.object_id, d.title, '', d.url, d.status, d.created_at "
        f"FROM {TABLE} d WHERE {visible} AND "
    )
    start, start_params = backend.title_prefix_sql(" ".join(words))
    rows = _fetch(
        f"{select}{start} ORDER BY {backend.TITLE_ORDER}, d.id LIMIT %s",
        visible_params + start_params + [limit],
    )
    if len(rows) < limit:
        # Then titles with a word starting so: any of them (no ORDER BY, so that the
        # database stops after a few rows), sorted here.
        inside, inside_params = backend.title_words_sql(words)
        seen = [row[0] for row in rows] or [0]
        marks = ", ".join(["%s"] * len(seen))
        more = backend.fetch_capped(
            f"{select}{inside} AND d.id NOT IN ({marks}) LIMIT %s",
            visible_params + inside_params + seen + [limit - len(rows)],
        )
        rows += sorted(more, key=lambda row: (text.fold(row[3]), row[0]))
    return [Hit(*row, title_hit=True) for row in rows]
