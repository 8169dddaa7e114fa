"""SQLite: FTS5 tables fed with the stems computed in Python (created by migration 0003).

`search_fts` (rowid = the document's id) has four columns: `title` and `body` hold
Snowball stems, `words` the unstemmed title words (prefixes), `facets` one token per
theme (`th12`) and territory (`te345`) so that filters are index look-ups.
`search_word_fts` indexes the vocabulary's trigrams to find near words (typos). Triggers
keep both in step with their tables when rows are deleted.
"""

# ruff: noqa: S608 - SQL is assembled from this package's fragments; values are parameters.

from django.db import connection

from .. import text
from . import Match, Row

TABLE = "search_searchdocument"


def _facets(row: Row) -> str:
    return " ".join([f"th{t}" for t in row.theme_ids] + [f"te{t}" for t in row.territory_ids])


def upsert(rows: list[Row]) -> None:
    from ..models import SearchDocument

    if not rows:
        return
    fields = [f for f in rows[0].values if f not in ("kind", "object_id")]
    SearchDocument.objects.bulk_create(
        [SearchDocument(**row.values) for row in rows],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=fields,
    )
    kind_ids: dict[tuple[str, int], int] = {}
    for kind in {row.values["kind"] for row in rows}:
        object_ids = [r.values["object_id"] for r in rows if r.values["kind"] == kind]
        for object_id, pk in SearchDocument.objects.filter(
            kind=kind, object_id__in=object_ids
        ).values_list("object_id", "pk"):
            kind_ids[(kind, object_id)] = pk
    entries = []
    for row in rows:
        pk = kind_ids[(row.values["kind"], row.values["object_id"])]
        title = " ".join(text.stem(t) for t in row.title_tokens.split() if t not in text.STOPWORDS)
        body = " ".join(text.stem(t) for t in row.body_tokens.split() if t not in text.STOPWORDS)
        entries.append((pk, title, body, row.title_tokens, _facets(row)))
    with connection.cursor() as cursor:
        cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(e[0],) for e in entries])
        cursor.executemany(
            "INSERT INTO search_fts (rowid, title, body, words, facets) "
            "VALUES (%s, %s, %s, %s, %s)",
            entries,
        )


def after_delete(ids: list[int]) -> None:
    """Rows deleted through the ORM: the trigger already removed their FTS entries."""


def truncate() -> None:
    with connection.cursor() as cursor:
        # The FTS table first, so that the delete trigger finds nothing left to do.
        cursor.execute("DELETE FROM search_fts")
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute("DELETE FROM search_searchword")


def finish_rebuild() -> None:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
        cursor.execute("ANALYZE")


def _group(words: list[str], columns: str) -> str:
    stems = sorted({text.stem(w) for w in words})
    return f"{columns} : (" + " OR ".join(f'"{s}"' for s in stems) + ")"


def _fts_query(match: Match, columns: str) -> str:
    groups = [_group(words, columns) for words in match.alternatives]
    return " AND ".join(f"({g})" for g in groups)


def match_sql(match: Match | None, facets: list[tuple[str, int]] = ()) -> tuple[str, list]:
    """The words in the title or the body, and the themes and territories asked for,
    as one FTS5 query."""
    parts = [f"({_fts_query(match, '{title body}')})"] if match else []
    for column, value in facets:
        token = {"themes": "th", "territories": "te"}[column] + str(int(value))
        parts.append(f'facets : "{token}"')
    return (
        "d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)",
        [" AND ".join(parts)],
    )


def title_hit_sql(match: Match) -> tuple[str, list]:
    return (
        "d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)",
        [_fts_query(match, "title")],
    )


def each_sql(column: str) -> str:
    return f"CROSS JOIN json_each(m.{column}) AS e"


TITLE_ORDER = "d.title_norm"


def title_prefix_sql(text_: str) -> tuple[str, list]:
    # A range on the binary-collated index: LIKE would ignore case and skip the index.
    return "d.title_norm >= %s AND d.title_norm < %s", [text_, text_ + "\uffff"]


def title_words_sql(words: list[str]) -> tuple[str, list]:
    parts = [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}" *']
    return (
        "d.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)",
        ["words : (" + " AND ".join(parts) + ")"],
    )


def similar_words(term: str) -> list[str]:
    """Vocabulary words sharing a trigram with `term`; the caller keeps those whose
    pg_trgm similarity and edit distance are close enough (as on PostgreSQL)."""
    grams = sorted({term[i : i + 3] for i in range(len(term) - 2)})
    if not grams:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word FROM search_word_fts WHERE search_word_fts MATCH %s",
            [" OR ".join(f'"{g}"' for g in grams)],
        )
        return [row[0] for row in cursor.fetchall()]


SAMPLE_MODULO = 50


def sample_sql(table: str) -> tuple[str, str, int]:
    """(FROM clause, extra condition, scale): one document in 50, by id (FTS5 yields
    the matching ids cheaply; only the sampled rows are then read)."""
    return f"{table} d", f"d.id % {SAMPLE_MODULO} = 0", SAMPLE_MODULO


def fetch_capped(sql: str, params: list) -> list[tuple]:
    """Run a statement that stops after a few thousand matches (nothing to steer)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def estimated_rows(table: str, where: str, params: list) -> int | None:
    """No cheap estimate here: the exact count tells (see Search.run)."""
    return None
