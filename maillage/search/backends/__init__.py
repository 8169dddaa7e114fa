"""The database-specific half of the index: writing vectors, matching, word look-ups.

Both backends receive the same folded tokens (`maillage.search.text`) and implement the
same matching rule, so that a query finds the same documents on PostgreSQL and SQLite:

- every term's stem (or the stem of one of its alternatives: a near word when tolerating
  typos, a completion for the last term as one types) is in the title or the body;
- a "title hit" (ranked first) is the same rule restricted to the title.
"""

from dataclasses import dataclass, field

from django.db import connection


@dataclass
class Row:
    """One document ready to write: the model's columns and the folded texts."""

    values: dict
    title_tokens: str
    body_tokens: str
    theme_ids: list[int] = field(default_factory=list)
    territory_ids: list[int] = field(default_factory=list)


@dataclass
class Match:
    """The text part of a query. `alternatives[i]` lists the folded words accepted for
    term i (the term itself, plus near words when tolerating typos); `completions` the
    title words that the last term starts (as-you-type), found in the vocabulary."""

    alternatives: list[list[str]]
    completions: list[str] = field(default_factory=list)

    @property
    def prefix(self) -> bool:
        return bool(self.completions)


def get_backend():
    if connection.vendor == "postgresql":
        from . import postgresql

        return postgresql
    from . import sqlite

    return sqlite
