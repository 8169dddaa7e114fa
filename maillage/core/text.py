"""French text normalisation used for matching names and detecting duplicates."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)


def strip_accents(text: str) -> str:
    """'Élodie Brûlé' -> 'Elodie Brule' (ligatures œ/æ expanded)."""
    text = text.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise(text: str) -> str:
    """Fold case, accents, punctuation and spacing: 'Mairie  de  Lavaur' == 'mairie de lavaur'."""
    text = strip_accents(text or "").casefold()
    text = _PUNCT.sub(" ", text.replace("'", " ").replace("’", " "))
    return _SPACES.sub(" ", text).strip()


def contains_contact(text: str) -> bool:
    """Does `text` hold an e-mail address or a phone number (French and overseas formats,
    `+33 (0)6…`, `0033…`)? Such text is never a name, and never shown as one."""
    import phonenumbers

    text = text or ""
    if "@" in text:
        return True
    matches = phonenumbers.PhoneNumberMatcher(text, "FR", leniency=phonenumbers.Leniency.POSSIBLE)
    return matches.has_next()
