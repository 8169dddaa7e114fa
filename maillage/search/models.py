"""The search index: one row per searchable record, whatever app it comes from.

A row holds what is shown (title, snippet source, link), what visibility needs (audience,
published, owner), what facets count (kind, status, year, themes, territories with their
ancestors) and the folded title used for suggestions and typos. The full-text part is
backend-specific and lives beside the table, created by migrations for one vendor only:

- PostgreSQL: `search_vector` (title weighted A, body B, `french_unaccent`),
  `title_vector` and `title_words` (unstemmed, for prefixes), GIN indexes, a pg_trgm
  index on `search_word.word`; see migration 0002 and `backends/postgresql.py`.
- SQLite: the FTS5 table `search_fts` (stems computed in Python) and `search_word_fts`
  (trigrams of the vocabulary); see migration 0003 and `backends/sqlite.py`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    kind = models.CharField(_("type"), max_length=30)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(_("titre"), max_length=300)
    # Folded tokens of the title ("repair cafe de carcassonne"): suggestions, typos.
    title_norm = models.CharField(max_length=300, db_index=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    audience = models.CharField(max_length=10, default="public")
    published = models.BooleanField(default=True)
    owner_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    status = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(db_index=True)
    created_year = models.PositiveSmallIntegerField()
    themes = models.JSONField(default=list)
    regions = models.JSONField(default=list)
    departements = models.JSONField(default=list)
    # Every territory the record acts in, and every territory above those.
    territories = models.JSONField(default=list)

    class Meta:
        verbose_name = _("document indexé")
        verbose_name_plural = _("documents indexés")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"


class SearchWord(models.Model):
    """The vocabulary of titles (folded words), where typos are looked up: "Camile"
    -> "camille". Words are only added; a rebuild starts it afresh. It may hold words of
    documents someone cannot see, so it is never shown: it only widens a query whose
    results are then filtered by visibility as usual."""

    word = models.CharField(max_length=40, unique=True)

    class Meta:
        verbose_name = _("mot indexé")
        verbose_name_plural = _("mots indexés")

    def __str__(self) -> str:
        return self.word
