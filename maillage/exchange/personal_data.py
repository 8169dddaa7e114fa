"""Exchange's part of a member's personal data: ads, messages, consents, notifications."""

from maillage.accounts import personal_data

from .models import AdReply, MatchPreferences, Notification


def export(user) -> dict:
    prefs = MatchPreferences.objects.filter(user=user).first()
    return {
        "ads": [
            {
                "kind": ad.kind,
                "title": ad.title,
                "text": ad.text,
                "expires_on": ad.expires_on.isoformat(),
                "status": ad.status,
            }
            for ad in user.ads.all()
        ],
        "replies": [
            {"ad": r.ad.title, "message": r.message, "share_email": r.share_email}
            for r in AdReply.objects.filter(sender=user).select_related("ad")
        ],
        "preferences": {
            "suggestable": prefs.suggestable,
            "introductions": prefs.introductions,
            "digest": prefs.digest,
        }
        if prefs
        else None,
        "notifications": [n.text for n in Notification.objects.filter(user=user)],
    }


def erase(user) -> None:
    # Ads, messages and consents go with the account; the matching index follows
    # through the deletion signals.
    for ad in user.ads.all():
        ad.delete()
    AdReply.objects.filter(sender=user).delete()
    MatchPreferences.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()


personal_data.register("echanges", export, erase)
