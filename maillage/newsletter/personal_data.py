"""The newsletter's part of a member's personal data: their subscription, exported, and
erased with the account."""

from django.db.models import Q

from maillage.accounts import personal_data

from .models import Subscriber


def _mine(user):
    return Subscriber.objects.filter(Q(user=user) | Q(email__iexact=user.email))


def export(user) -> dict:
    from .models import DigestPreference

    preference = DigestPreference.objects.filter(user=user).first()
    subscriptions = [
        {
            "email": s.email,
            "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
            "unsubscribed_at": s.unsubscribed_at.isoformat() if s.unsubscribed_at else None,
            "themes": [t.name for t in s.themes.all()],
            "territories": [t.code for t in s.territories.all()],
        }
        for s in _mine(user).prefetch_related("themes", "territories")
    ]
    return {"subscriptions": subscriptions, "weekly_digest": bool(preference and preference.weekly)}


def erase(user) -> None:
    from .models import DigestPreference

    _mine(user).delete()
    DigestPreference.objects.filter(user=user).delete()


personal_data.register("lettre", export, erase)
