"""PostgreSQL only: French unaccent text search, tsvector columns, GIN and pg_trgm indexes.

On any other database this migration does nothing (SQLite gets FTS5 in 0003).
`french_unaccent` is French with accents removed before stemming; see
docs/decisions.md, « Recherche en français ».
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent ( COPY = french );
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
          ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
      END IF;
    END $$
    """,
    """
    ALTER TABLE search_searchdocument
      ADD COLUMN search_vector tsvector NOT NULL DEFAULT ''::tsvector,
      ADD COLUMN title_vector tsvector NOT NULL DEFAULT ''::tsvector,
      ADD COLUMN title_words tsvector NOT NULL DEFAULT ''::tsvector
    """,
    "CREATE INDEX search_document_vector ON search_searchdocument USING gin (search_vector)",
    "CREATE INDEX search_document_title_vector ON search_searchdocument USING gin (title_vector)",
    "CREATE INDEX search_document_title_words ON search_searchdocument USING gin (title_words)",
    # Suggestions: a prefix of the folded title is a range of this index, whatever the
    # database's collation.
    "CREATE INDEX search_document_title_prefix ON search_searchdocument"
    ' ((title_norm COLLATE "C"), id)',
    "CREATE INDEX search_word_trgm ON search_searchword USING gin (word gin_trgm_ops)",
]

BACKWARD = [
    "DROP INDEX IF EXISTS search_word_trgm",
    "DROP INDEX IF EXISTS search_document_title_prefix",
    "DROP INDEX IF EXISTS search_document_title_words",
    "DROP INDEX IF EXISTS search_document_title_vector",
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector,"
    " DROP COLUMN IF EXISTS title_vector, DROP COLUMN IF EXISTS title_words",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
