"""The reasons of a suggestion, said in plain French.

`matching.score()` stores reasons as data ({"t": "seeks", "mine": …, "theirs": …}); they
are worded here, at display time, so that the words follow the reader's language and
point of view ("Vous cherchez…" for the member, names for a facilitator).
"""

from django.utils.translation import gettext as _


def reason_text(reason: dict, *, other: str, subject: str | None = None) -> str:
    """One reason. `other` names the suggested item; `subject` names the item it is
    suggested to, or None when the reader is that item's owner ("Vous")."""
    kind = reason.get("t")
    if kind == "seeks":
        first = (
            _("Vous cherchez : %(mine)s") % {"mine": reason["mine"]}
            if subject is None
            else _("%(who)s cherche : %(mine)s") % {"who": subject, "mine": reason["mine"]}
        )
        return _("%(first)s — %(other)s propose : %(theirs)s") % {
            "first": first,
            "other": other,
            "theirs": reason["theirs"],
        }
    if kind == "offers":
        second = (
            _("vous proposez : %(mine)s") % {"mine": reason["mine"]}
            if subject is None
            else _("%(who)s propose : %(mine)s") % {"who": subject, "mine": reason["mine"]}
        )
        return _("%(other)s cherche : %(theirs)s — %(second)s") % {
            "other": other,
            "theirs": reason["theirs"],
            "second": second,
        }
    if kind == "themes":
        return _("mêmes thématiques : %(names)s") % {"names": ", ".join(reason["names"])}
    if kind == "challenges":
        # "mine — theirs" for each shared difficulty; said once when both wrote it alike.
        pairs = [
            mine if mine.casefold() == theirs.casefold() else f"{mine} — {theirs}"
            for mine, theirs in reason["pairs"]
        ]
        return _("difficultés en commun : %(pairs)s") % {"pairs": " / ".join(pairs)}
    if kind == "words":
        return _("textes proches : %(words)s") % {"words": ", ".join(reason["words"])}
    if kind == "near":
        template = {
            "c": _("même commune (%(name)s)"),
            "e": _("même intercommunalité (%(name)s)"),
            "d": _("même département (%(name)s)"),
        }[reason["level"]]
        return template % {"name": reason["name"]}
    return ""


def reasons_text(reasons: list[dict], *, other: str, subject: str | None = None) -> str:
    """All the reasons of a suggestion, in one sentence joined by « ; »."""
    return " ; ".join(
        text for text in (reason_text(r, other=other, subject=subject) for r in reasons) if text
    )
