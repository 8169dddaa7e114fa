"""Highlighted titles and snippets: the text escaped, matching words in <mark>.

Done in Python on the few results shown, with the same folding and stemming as the
index, so that both databases highlight the same words (instead of ts_headline on one
and FTS5's snippet() on the other).
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import text

_WORD = re.compile(r"[^\W_]+")
SNIPPET_WORDS = 30


class Highlighter:
    """Marks the words of a text that the query matched: same stem as a term (or one of
    its near words), or one of the completions of the last term."""

    def __init__(self, alternatives: list[list[str]], completions=()) -> None:
        self.stems = {text.stem(w) for group in alternatives for w in group}
        self.completions = set(completions)
        # Snowball only rewrites endings: a word can match only if it starts like a
        # stem or a completion, which spares stemming every word of every snippet.
        self.starts = {w[:2] for w in self.stems | self.completions}

    def matches(self, word: str) -> bool:
        for token in text.tokens(word):
            if token[:2] not in self.starts or token in text.STOPWORDS:
                continue
            if text.stem(token) in self.stems:
                return True
            if token in self.completions:
                return True
        return False

    def _render(self, source: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
        out, position = [], start
        for a, b in spans:
            if b <= start or a >= end:
                continue
            out.append(escape(source[position:a]))
            out.append(f"<mark>{escape(source[a:b])}</mark>")
            position = b
        out.append(escape(source[position:end]))
        return "".join(out)

    def title(self, source: str) -> SafeString:
        spans = [m.span() for m in _WORD.finditer(source) if self.matches(m.group())]
        return mark_safe(self._render(source, spans, 0, len(source)))  # noqa: S308 - escaped

    def snippet(self, source: str, words: int = SNIPPET_WORDS) -> SafeString:
        """About `words` words around the first match (the beginning when none)."""
        found = list(_WORD.finditer(source))
        if not found:
            return mark_safe("")  # noqa: S308 - empty
        hits = [i for i, m in enumerate(found) if self.matches(m.group())]
        first = max(0, (hits[0] if hits else 0) - words // 3)
        last = min(len(found), first + words)
        start = found[first].start() if first else 0
        end = found[last - 1].end() if last < len(found) else len(source)
        spans = [found[i].span() for i in hits if first <= i < last]
        html = self._render(source, spans, start, end)
        html = " ".join(html.split())  # line breaks of the body fold into spaces
        if first:
            html = "… " + html
        if last < len(found):
            html += " …"
        return mark_safe(html)  # noqa: S308 - every piece of text went through escape()
