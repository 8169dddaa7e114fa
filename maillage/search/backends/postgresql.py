"""PostgreSQL: tsvector columns with the `french_unaccent` configuration, GIN indexes,
pg_trgm on the vocabulary (created by migration 0002).

Columns beside the model's: `search_vector` (title weighted A, body B, plus one lexeme
per theme and territory, `#th12` / `#te345`, for filters), `title_vector`
(title stems, for the title-first ranking) and `title_words` (title words unstemmed,
`simple` configuration, for prefixes). They are written in the same statement as the
row, from the folded tokens Python computed, so both backends see the same words.
"""

# ruff: noqa: S608 - SQL is assembled from this package's fragments; values are parameters.

import json

from django.db import connection, transaction

from . import Match, Row

CONFIG = "french_unaccent"
# Which SQL type each model column has inside unnest(): jsonb columns travel as text.
_TYPES = {
    "kind": "text",
    "object_id": "bigint",
    "title": "text",
    "title_norm": "text",
    "body": "text",
    "url": "text",
    "audience": "text",
    "published": "boolean",
    "owner_id": "bigint",
    "status": "text",
    "created_at": "timestamptz",
    "created_year": "int",
    "themes": "jsonb",
    "regions": "jsonb",
    "departements": "jsonb",
    "territories": "jsonb",
}
TABLE = "search_searchdocument"


def upsert(rows: list[Row]) -> None:
    """Insert or replace documents, vectors included, in one statement."""
    if not rows:
        return
    columns = list(_TYPES)
    arrays = []
    for column in columns:
        values = [row.values[column] for row in rows]
        if _TYPES[column] == "jsonb":
            values = [json.dumps(v) for v in values]
        arrays.append(values)
    arrays += [
        [r.title_tokens for r in rows],
        [r.body_tokens for r in rows],
        [
            " ".join(
                [_facet_lexeme("themes", t) for t in r.theme_ids]
                + [_facet_lexeme("territories", t) for t in r.territory_ids]
            )
            for r in rows
        ],
    ]
    unnest = ", ".join(f"%s::{'text' if _TYPES[c] == 'jsonb' else _TYPES[c]}[]" for c in columns)
    select = ", ".join(f"v.{c}::jsonb" if _TYPES[c] == "jsonb" else f"v.{c}" for c in columns)
    updates = ", ".join(
        f"{c} = EXCLUDED.{c}"
        for c in [*columns, "search_vector", "title_vector", "title_words"]
        if c not in ("kind", "object_id")
    )
    sql = f"""
        INSERT INTO {TABLE} ({", ".join(columns)}, search_vector, title_vector, title_words)
        SELECT {select},
            setweight(to_tsvector('{CONFIG}', v.tt), 'A')
                || setweight(to_tsvector('{CONFIG}', v.bt), 'B')
                || array_to_tsvector(string_to_array(v.ft, ' ')),
            to_tsvector('{CONFIG}', v.tt),
            to_tsvector('simple', v.tt)
        FROM unnest({unnest}, %s::text[], %s::text[], %s::text[])
            AS v({", ".join(columns)}, tt, bt, ft)
        ON CONFLICT (kind, object_id) DO UPDATE SET {updates}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, arrays)


def after_delete(ids: list[int]) -> None:
    """Nothing to do: the vectors live in the deleted rows."""


def truncate() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE}, search_searchword RESTART IDENTITY")


def finish_rebuild() -> None:
    """VACUUM ANALYZE: fresh statistics, so that the planner knows how common each word
    is, and the GIN indexes' pending lists flushed (every query scans them until then:
    after a bulk load, a search could take 200 ms instead of 25)."""
    with connection.cursor() as cursor:
        if connection.in_atomic_block:  # VACUUM cannot run in a transaction (tests)
            cursor.execute(f"ANALYZE {TABLE}")
            cursor.execute("ANALYZE search_searchword")
        else:
            cursor.execute(f"VACUUM ANALYZE {TABLE}")
            cursor.execute("VACUUM ANALYZE search_searchword")


def _tsquery(groups: list[list[str]]) -> str:
    # Words are runs of letters and digits (text.tokens), so quoting them is enough.
    return " & ".join("(" + " | ".join(f"'{w}'" for w in group) + ")" for group in groups)


def _rule(match: Match, vector: str) -> tuple[str, list]:
    return f"d.{vector} @@ to_tsquery('{CONFIG}', %s)", [_tsquery(match.alternatives)]


def _facet_lexeme(column: str, value: int) -> str:
    # '#' never comes out of text.tokens(): these lexemes cannot meet a real word.
    return f"#{'th' if column == 'themes' else 'te'}{int(value)}"


def match_sql(match: Match | None, facets: list[tuple[str, int]] = ()) -> tuple[str, list]:
    """WHERE clause: the document matches the words and holds the themes and territories
    asked for, in one tsquery, so that GIN intersects them itself (skipping through its
    lists from the rarest) instead of building a bitmap per condition."""
    lexemes = " & ".join(f"'{_facet_lexeme(c, v)}'" for c, v in facets)
    if match and lexemes:
        return (
            f"d.search_vector @@ (to_tsquery('{CONFIG}', %s) && %s::tsquery)",
            [_tsquery(match.alternatives), lexemes],
        )
    if match:
        return _rule(match, "search_vector")
    return "d.search_vector @@ %s::tsquery", [lexemes]


def title_hit_sql(match: Match) -> tuple[str, list]:
    """A boolean: the query matches within the title alone."""
    return _rule(match, "title_vector")


def each_sql(column: str) -> str:
    """FROM-clause item yielding `e.value`, one row per element of a JSON list."""
    return f"CROSS JOIN LATERAL jsonb_array_elements_text(m.{column}) AS e(value)"


# Folded titles compare byte by byte, whatever the database's collation: a prefix is
# then a range of the index on (title_norm COLLATE "C"), read in order.
TITLE_ORDER = 'd.title_norm COLLATE "C"'


def title_prefix_sql(text: str) -> tuple[str, list]:
    """The folded title starts with `text`."""
    return f"{TITLE_ORDER} >= %s AND {TITLE_ORDER} < %s", [text, text + "\uffff"]


def title_words_sql(words: list[str]) -> tuple[str, list]:
    """Every word starts a word of the title; the last may be unfinished."""
    parts = [f"'{w}'" for w in words[:-1]] + [f"'{words[-1]}':*"]
    return "d.title_words @@ to_tsquery('simple', %s)", [" & ".join(parts)]


def similar_words(term: str) -> list[str]:
    """Vocabulary words that pg_trgm finds similar to `term` (threshold 0.3)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM search_searchword WHERE word %% %s AND similarity(word, %s) >= 0.3",
            [term, term],
        )
        return [row[0] for row in cursor.fetchall()]


# Share of the table's pages read to estimate the facets of a large result set.
SAMPLE_PERCENT = 2


def sample_sql(table: str) -> tuple[str, str, int]:
    """(FROM clause, extra condition, scale) reading about 2 % of the pages, the same
    ones every time (REPEATABLE), so that counts do not flicker between requests."""
    return (
        f"{table} d TABLESAMPLE SYSTEM ({SAMPLE_PERCENT}) REPEATABLE (7)",
        "1 = 1",
        100 // SAMPLE_PERCENT,
    )


def fetch_capped(sql: str, params: list) -> list[tuple]:
    """Run a statement that stops after a few thousand matches, steering the planner
    away from a sequential scan: documents are stored by kind and date, so the matches
    of a word are rarely spread evenly, and a scan that expects to stop early may read
    half the table first (34 ms instead of 5 for "solidaire" at 430,000 documents)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(sql, params)
        return cursor.fetchall()


def estimated_rows(table: str, where: str, params: list) -> int | None:
    """The planner's estimate of the matches (from the word statistics of ANALYZE),
    in about a millisecond: enough to tell 100,000 matches from 1,000."""
    import json as _json

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {table} d WHERE {where}", params)
        plan = cursor.fetchone()[0]
    plan = _json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])
