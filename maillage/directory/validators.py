"""Validators for French identifiers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_siren(value: str) -> None:
    """A SIREN has 9 digits and passes the Luhn check (La Poste's 356000000 excepted)."""
    cleaned = value.replace(" ", "")
    if not (len(cleaned) == 9 and cleaned.isdigit()):
        raise ValidationError(
            _("Un numéro SIREN compte exactement 9 chiffres."), code="siren_format"
        )
    if cleaned != "356000000" and not luhn_ok(cleaned):
        raise ValidationError(
            _("Ce numéro SIREN n'est pas valide (clé de contrôle incorrecte)."), code="siren_luhn"
        )
