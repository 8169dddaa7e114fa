"""SQLite only: FTS5 tables for the stems (computed in Python) and the vocabulary's
trigrams, and triggers that keep them in step with deletions.

On any other database this migration does nothing (PostgreSQL is set up in 0002).
"""

from django.db import migrations

FORWARD = [
    # rowid = search_searchdocument.id; contentless would forbid deleting one row.
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "title, body, words, facets, tokenize = 'unicode61', prefix = '3')",
    """
    CREATE TRIGGER search_document_delete AFTER DELETE ON search_searchdocument BEGIN
      DELETE FROM search_fts WHERE rowid = old.id;
    END
    """,
    "CREATE VIRTUAL TABLE search_word_fts USING fts5("
    "word, tokenize = 'trigram', content = 'search_searchword', content_rowid = 'id')",
    """
    CREATE TRIGGER search_word_insert AFTER INSERT ON search_searchword BEGIN
      INSERT INTO search_word_fts (rowid, word) VALUES (new.id, new.word);
    END
    """,
    """
    CREATE TRIGGER search_word_delete AFTER DELETE ON search_searchword BEGIN
      INSERT INTO search_word_fts (search_word_fts, rowid, word)
      VALUES ('delete', old.id, old.word);
    END
    """,
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS search_word_delete",
    "DROP TRIGGER IF EXISTS search_word_insert",
    "DROP TABLE IF EXISTS search_word_fts",
    "DROP TRIGGER IF EXISTS search_document_delete",
    "DROP TABLE IF EXISTS search_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_postgresql")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
