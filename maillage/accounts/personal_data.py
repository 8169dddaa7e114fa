"""Registry of personal data, so that export and deletion cover every app.

Each app that stores data about a person registers an exporter (user -> JSON-able data)
and an eraser (user -> None). `export_for(user)` and `erase_for(user)` walk them all.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress

from .models import CharterAcceptance, User


@dataclass
class Provider:
    name: str
    export: Callable[[User], Any]
    erase: Callable[[User], None] | None


_providers: dict[str, Provider] = {}


def register(
    name: str, export: Callable[[User], Any], erase: Callable[[User], None] | None = None
) -> None:
    _providers[name] = Provider(name, export, erase)


def providers() -> list[Provider]:
    return list(_providers.values())


def _iso(value):
    return value.isoformat() if value else None


def _export_account(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "role": user.role,
        "last_login": _iso(user.last_login),
        "date_joined": _iso(user.date_joined),
        "joined_at": _iso(user.joined_at),
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user)
        ],
        "charter_acceptances": [
            {"version": a.charter.version, "accepted_at": _iso(a.accepted_at)}
            for a in CharterAcceptance.objects.filter(user=user).select_related("charter")
        ],
    }


def _erase_account(user: User) -> None:
    EmailAddress.objects.filter(user=user).delete()
    user.email = f"supprime-{user.pk}@invalid.example"
    user.display_name = ""
    user.last_login = None
    user.set_unusable_password()


register("compte", _export_account, _erase_account)
