"""French text analysis shared by both database backends.

Python decides what a word is, so that PostgreSQL and SQLite index the same tokens:
`tokens()` folds case, accents and ligatures (as `maillage.core.text.normalise`) and keeps
runs of letters and digits. PostgreSQL then stems those tokens with its `french_unaccent`
configuration (unaccent + Snowball `french_stem`); SQLite stores the stems computed here by
the same Snowball algorithm (`snowballstemmer` 2.2.0, the version PostgreSQL 15 embeds)
with the same stop words (PostgreSQL's `french.stop`). The equality is tested word by word
(`tests/test_text.py`) when PostgreSQL is available.

Also here: pg_trgm's similarity, recomputed in Python so that typo tolerance behaves the
same on both backends, and a small edit distance.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_TOKEN = re.compile(r"[^\W_]+")
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
# Longer input is cut before any work: nobody types a query this long.
MAX_QUERY_LENGTH = 200

# PostgreSQL 15's tsearch_data/french.stop, verbatim (the Snowball French stop list).
# french_unaccent removes accents *before* french_stem looks a token up in this list, so
# the accented entries ("été", "à") never match: they are kept to mirror PostgreSQL.
STOPWORDS = frozenset(
    """au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me même
    mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes
    toi ton tu un une vos votre vous c d j l à m n s t y été étée étées étés étant étante
    étants étantes suis es est sommes êtes sont serai seras sera serons serez seront serais
    serait serions seriez seraient étais était étions étiez étaient fus fut fûmes fûtes
    furent sois soit soyons soyez soient fusse fusses fût fussions fussiez fussent ayant
    ayante ayantes ayants eu eue eues eus ai as avons avez ont aurai auras aura aurons
    aurez auront aurais aurait aurions auriez auraient avais avait avions aviez avaient eut
    eûmes eûtes eurent aie aies ait ayons ayez aient eusse eusses eût eussions eussiez
    eussent""".split()
)

_stemmer = snowballstemmer.stemmer("french")

# Plurals Snowball leaves apart ("vélos" stays "velos", "tiers-lieux" "lieux"): folded
# before stemming, in Python, so both databases see the folded word.
_PLURALS = {
    "lieux": "lieu",
    "milieux": "milieu",
    "jeux": "jeu",
    "feux": "feu",
    "voeux": "voeu",
    "bijoux": "bijou",
    "cailloux": "caillou",
    "choux": "chou",
    "genoux": "genou",
    "hiboux": "hibou",
    "joujoux": "joujou",
    "poux": "pou",
    "tuyaux": "tuyau",
}


def _fold_plural(token: str) -> str:
    if token in _PLURALS:
        return _PLURALS[token]
    # -os plurals: vélos, photos, vidéos, logos (Snowball keeps an s after an o).
    if len(token) > 4 and token.endswith("os"):
        return token[:-1]
    return token


class _Unmarked(dict):
    """str.translate table that deletes combining marks, filled as characters appear
    (str.translate then runs in C: indexing 400,000 documents calls this rarely)."""

    def __missing__(self, code: int):
        self[code] = None if unicodedata.combining(chr(code)) else code
        return self[code]


_UNMARKED = _Unmarked()
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})


def fold(text: str) -> str:
    """Case, accents and ligatures folded, as `maillage.core.text.normalise` does
    (punctuation aside: `tokens` splits on it), but fast on long texts."""
    if text.isascii():
        return text.casefold()
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return text.translate(_UNMARKED).casefold()


def tokens(text: str) -> list[str]:
    """'L'Énergie  coopérative ! Vélos' -> ['l', 'energie', 'cooperative', 'velo']:
    case, accents and ligatures folded, a few plurals Snowball misses folded too."""
    return [_fold_plural(t) for t in _TOKEN.findall(fold(text or ""))]


def token_text(text: str) -> str:
    """The tokens joined by spaces: what PostgreSQL's parser is given, and the folded
    form stored for prefixes and typos."""
    return " ".join(tokens(text))


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Snowball French stem of one folded token, as PostgreSQL's french_stem gives it.

    Tokens with digits are kept whole: PostgreSQL's parser sends them to the `simple`
    dictionary, which does not stem.
    """
    if any(c.isdigit() for c in token):
        return token
    return _stemmer.stemWord(token)


def stems(text: str) -> list[str]:
    """The indexed lexemes of a text: folded, stop words out, stemmed."""
    return [stem(t) for t in tokens(text) if t not in STOPWORDS]


def query_terms(text: object) -> list[str]:
    """What someone typed -> at most MAX_TERMS folded terms (stop words out)."""
    if not isinstance(text, str):
        return []
    found = [t[:MAX_TERM_LENGTH] for t in tokens(text[:MAX_QUERY_LENGTH])]
    return [t for t in found if t not in STOPWORDS][:MAX_TERMS]


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams of a folded text: each word padded with two spaces in front
    and one behind (`show_trgm('roux')` = {'  r', ' ro', 'rou', 'oux', 'ux '})."""
    found = set()
    for word in tokens(text):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def similarity(a: str, b: str) -> float:
    """pg_trgm's `similarity(a, b)`: shared trigrams over all trigrams."""
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    shared = len(ta & tb)
    return shared / (len(ta) + len(tb) - shared)


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal string alignment distance (a swap of two letters counts as one typo),
    stopping early once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_typos(term: str) -> int:
    """How many typos a term may carry and still find a name: none under 4 letters
    (too many short words are one letter apart), one up to 7, two beyond."""
    if len(term) < 4:
        return 0
    return 1 if len(term) <= 7 else 2
