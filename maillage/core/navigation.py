"""The site's menu, built on the network's four pillars.

Each app adds its pages to a pillar from its `AppConfig.ready()` with `register()`;
the base template and the pillar pages read `pillars()`. The menu thus grows with the
apps that are installed, and no template lists them by hand.
"""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass
class Entry:
    label: str | Promise
    url_name: str
    description: str | Promise = ""

    @property
    def url(self) -> str:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return ""


@dataclass
class Pillar:
    slug: str
    title: str | Promise
    tagline: str | Promise
    entries: list[Entry] = field(default_factory=list)


_PILLARS: dict[str, Pillar] = {
    p.slug: p
    for p in [
        Pillar(
            "se-connaitre",
            _("Se connaître"),
            _(
                "Qui fait quoi, qui cherche quoi : les personnes, les structures et les "
                "initiatives du réseau."
            ),
        ),
        Pillar(
            "agir",
            _("Agir"),
            _("Les rencontres, les groupes de travail et les petites annonces pour agir ensemble."),
        ),
        Pillar(
            "se-faire-connaitre",
            _("Se faire connaître"),
            _("Les actualités du réseau, sa lettre d'information et ses données ouvertes."),
        ),
        Pillar(
            "capitaliser",
            _("Capitaliser"),
            _(
                "Les comptes rendus, les fiches d'expérience — réussites comme échecs — et "
                "la bibliothèque de ressources."
            ),
        ),
    ]
}


def register(pillar: str, label: str | Promise, url_name: str, description: str = "") -> None:
    """Add a page to a pillar's menu (called once per app at start-up)."""
    entries = _PILLARS[pillar].entries
    if not any(e.url_name == url_name for e in entries):
        entries.append(Entry(label, url_name, description))


@dataclass
class Tool:
    """A facilitator's or admin's page, listed under « Animer le réseau » in « Mon compte »."""

    label: str | Promise
    url_name: str
    perm: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_TOOLS: list[Tool] = []


def register_tool(label: str | Promise, url_name: str, perm: str) -> None:
    if not any(t.url_name == url_name for t in _TOOLS):
        _TOOLS.append(Tool(label, url_name, perm))


def tools_for(user) -> list[Tool]:
    return [t for t in _TOOLS if user.has_perm(t.perm)]


def pillars() -> list[Pillar]:
    return list(_PILLARS.values())


def get_pillar(slug: str) -> Pillar | None:
    return _PILLARS.get(slug)
