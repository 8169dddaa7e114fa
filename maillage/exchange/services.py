"""Writes of exchange: ads and their relayed messages, reports, consents, dismissals,
introductions, notifications and the digest of new suggestions.

Messages between members go through the platform: an e-mail is always sent to one
person, from the site's address; the author of an ad never learns the sender's address
unless the sender chose to give it, and the sender never learns the author's.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.forms import ModelForm
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.audit import log_action

from .context_processors import forget_unread
from .models import (
    Ad,
    AdAnswer,
    AdReply,
    AdReport,
    AdStatus,
    Introduction,
    ItemType,
    MatchPreferences,
    Notification,
    Suggestion,
)


def _setting(name: str, default):
    return getattr(settings, name, default)


def new_member_days() -> int:
    return _setting("EXCHANGE_NEW_MEMBER_DAYS", 14)


def new_member_ads_per_day() -> int:
    return _setting("EXCHANGE_NEW_MEMBER_ADS_PER_DAY", 2)


def _absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path if base_url else path


def _send(*, to: str, subject: str, body: str, reply_to: str | None = None) -> None:
    """One e-mail to one person, through the task queue (the default mailer)."""
    if not to:
        return
    EmailMessage(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=body,
        to=[to],
        reply_to=[reply_to] if reply_to else None,
    ).send()


def notify(*, user, text: str, url: str = "") -> Notification | None:
    """An in-app notification (the bell on « Mes suggestions »)."""
    if user is None:
        return None
    notification = Notification.objects.create(user=user, text=text[:300], url=url[:300])
    forget_unread(user.pk)  # the header's badge counts it on the next page
    return notification


def preferences_for(*, user) -> MatchPreferences:
    prefs, _created = MatchPreferences.objects.get_or_create(user=user)
    return prefs


# --- Ads -------------------------------------------------------------------------------


def ads_posted_today(*, user) -> int:
    since = timezone.now() - timedelta(days=1)
    return Ad.objects.filter(author=user, created_at__gte=since).count()


def is_new_member(user) -> bool:
    joined = user.joined_at or user.date_joined
    return joined is not None and joined > timezone.now() - timedelta(days=new_member_days())


def check_ad_quota(*, user) -> None:
    """A new member may post at most EXCHANGE_NEW_MEMBER_ADS_PER_DAY ads a day."""
    if getattr(user, "is_facilitator", False) or not is_new_member(user):
        return
    if ads_posted_today(user=user) >= new_member_ads_per_day():
        raise ValidationError(
            _(
                "Les nouveaux membres peuvent publier %(n)s annonces par jour au plus : "
                "revenez demain."
            )
            % {"n": new_member_ads_per_day()},
            code="quota",
        )


def ad_save(*, form: ModelForm, author) -> Ad:
    """Create or update an ad from its form (the quota applies to new ads)."""
    with transaction.atomic():
        ad = form.save(commit=False)
        creating = ad.pk is None
        if creating:
            check_ad_quota(user=author)
            ad.author = author
        ad.full_clean()
        ad.save()
        form.save_m2m()
        log_action(
            actor=author,
            action="ad.create" if creating else "ad.update",
            obj=ad,
            data={"fields": sorted(form.changed_data)},
        )
    return ad


def ad_close(*, ad: Ad, actor) -> Ad:
    """The author (or a facilitator) closes a fulfilled ad: it leaves the lists."""
    with transaction.atomic():
        ad.status = AdStatus.CLOSED
        ad.closed_at = timezone.now()
        ad.save(update_fields=["status", "closed_at", "updated_at"])
        log_action(actor=actor, action="ad.close", obj=ad)
    return ad


def ad_reply(*, ad: Ad, sender, message: str, share_email: bool, base_url: str = "") -> AdReply:
    """Relay a message to the author of an ad, without revealing the author's address."""
    if ad.author_id == sender.pk:
        raise ValidationError(_("Vous ne pouvez pas répondre à votre propre annonce."))
    if not ad.is_live:
        raise ValidationError(_("Cette annonce n'est plus ouverte."))
    with transaction.atomic():
        reply = AdReply(ad=ad, sender=sender, message=message, share_email=share_email)
        reply.full_clean()
        reply.save()
        log_action(actor=sender, action="ad.reply", obj=ad)
        from django.urls import reverse

        answer_url = _absolute(base_url, reverse("exchange:reply_answer", args=[reply.pk]))
        sender_name = sender.display_name or sender.get_short_name()
        lines = [
            _("Bonjour,"),
            "",
            _("%(name)s répond à votre annonce « %(title)s » :")
            % {"name": sender_name, "title": ad.title},
            "",
            message,
            "",
            _("Pour lui répondre par le site, sans donner votre adresse : %(url)s")
            % {"url": answer_url},
        ]
        if share_email:
            lines += ["", _("%(name)s vous donne son adresse : %(email)s")]
            lines[-1] = lines[-1] % {"name": sender_name, "email": sender.email}
        _send(
            to=ad.author.email,
            subject=_("Réponse à votre annonce « %(title)s »") % {"title": ad.title},
            body="\n".join(lines),
            reply_to=sender.email if share_email else None,
        )
        notify(
            user=ad.author,
            text=_("%(name)s a répondu à votre annonce « %(title)s »")
            % {"name": sender_name, "title": ad.title},
            url=reverse("exchange:reply_answer", args=[reply.pk]),
        )
    return reply


def ad_answer(*, reply: AdReply, author, message: str, base_url: str = "") -> AdAnswer:
    """The author answers a reply; the answer is relayed to its sender by e-mail."""
    if reply.ad.author_id != author.pk:
        raise PermissionDenied
    with transaction.atomic():
        answer = AdAnswer(reply=reply, message=message)
        answer.full_clean()
        answer.save()
        log_action(actor=author, action="ad.answer", obj=reply.ad)
        ad_url = _absolute(base_url, reply.ad.get_absolute_url())
        author_name = author.display_name or author.get_short_name()
        body = "\n".join(
            [
                _("Bonjour,"),
                "",
                _("%(name)s, auteur·rice de l'annonce « %(title)s », vous répond :")
                % {"name": author_name, "title": reply.ad.title},
                "",
                message,
                "",
                _("L'annonce : %(url)s") % {"url": ad_url},
            ]
        )
        _send(
            to=reply.sender.email,
            subject=_("Réponse à votre message sur « %(title)s »") % {"title": reply.ad.title},
            body=body,
        )
        notify(
            user=reply.sender,
            text=_("%(name)s vous a répondu au sujet de « %(title)s »")
            % {"name": author_name, "title": reply.ad.title},
            url=reply.ad.get_absolute_url(),
        )
    return answer


def ad_report(*, ad: Ad, reporter, message: str) -> AdReport:
    """Anyone may report an ad; the facilitators are told in the app."""
    from maillage.accounts.models import User

    with transaction.atomic():
        report = AdReport(
            ad=ad,
            reporter=reporter if getattr(reporter, "is_authenticated", False) else None,
            message=message,
        )
        report.full_clean()
        report.save()
        log_action(actor=reporter, action="ad.report", obj=ad)
        from django.urls import reverse

        url = reverse("exchange:moderation")
        for user in User.objects.filter(role__in=["facilitator", "admin"], is_active=True):
            notify(
                user=user, text=_("Annonce signalée : « %(title)s »") % {"title": ad.title}, url=url
            )
    return report


def report_decide(*, report: AdReport, actor, withdraw: bool) -> AdReport:
    """A facilitator withdraws the reported ad, or keeps it and closes the report."""
    with transaction.atomic():
        now = timezone.now()
        open_reports = AdReport.objects.filter(ad=report.ad, closed_at__isnull=True)
        decision = "withdrawn" if withdraw else "kept"
        open_reports.update(closed_at=now, decision=decision)
        if withdraw:
            report.ad.status = AdStatus.HIDDEN
            report.ad.save(update_fields=["status", "updated_at"])
        log_action(actor=actor, action=f"ad.report.{decision}", obj=report.ad)
        report.refresh_from_db()
    return report


# --- Consents, dismissals, introductions -----------------------------------------------


def preferences_save(*, form: ModelForm, user) -> MatchPreferences:
    """Save a member's consents; their place in the suggestions follows at once."""
    with transaction.atomic():
        prefs = form.save()
        log_action(actor=user, action="matching.preferences", obj=prefs, data=form.cleaned_data)
        person = getattr(user, "person", None)
        if person is not None:
            from .tasks import refresh_match

            refresh_match.enqueue(ItemType.PERSON, person.pk)
    return prefs


def suggestion_dismiss(*, suggestion: Suggestion, user) -> None:
    """A dismissed suggestion never comes back for that source."""
    suggestion.dismissed = True
    suggestion.save(update_fields=["dismissed"])


def consents_to_introductions(person) -> bool:
    user = person.user
    if user is None or not user.is_member:
        return False
    return MatchPreferences.objects.filter(user=user, introductions=True).exists()


def introduction_create(*, facilitator, person_a, person_b, message: str, base_url: str = ""):
    """Introduce two members by e-mail — only if both agreed to introductions."""
    if person_a.pk == person_b.pk:
        raise ValidationError(_("Choisissez deux personnes différentes."))
    missing = [p.name for p in (person_a, person_b) if not consents_to_introductions(p)]
    if missing:
        raise ValidationError(
            _("Pas de mise en relation sans l'accord des deux : %(names)s ne l'a pas donné.")
            % {"names": ", ".join(missing)},
            code="consent",
        )
    if Introduction.objects.filter(
        person_a__in=[person_a, person_b], person_b__in=[person_a, person_b]
    ).exists():
        raise ValidationError(_("Ces deux personnes ont déjà été mises en relation."))
    with transaction.atomic():
        intro = Introduction(
            facilitator=facilitator, person_a=person_a, person_b=person_b, message=message
        )
        intro.full_clean()
        intro.save()
        log_action(
            actor=facilitator,
            action="matching.introduce",
            obj=intro,
            data={"a": person_a.pk, "b": person_b.pk},
        )
        by = facilitator.display_name or facilitator.get_short_name()
        for me, other in ((person_a, person_b), (person_b, person_a)):
            url = _absolute(base_url, other.get_absolute_url())
            body = "\n".join(
                [
                    _("Bonjour %(name)s,") % {"name": me.name},
                    "",
                    _("%(by)s, de l'équipe d'animation, vous présente %(other)s :")
                    % {"by": by, "other": other.name},
                    "",
                    message,
                    "",
                    _(
                        "Son profil, avec les coordonnées qu'elle ou il a choisi de montrer : "
                        "%(url)s"
                    )
                    % {"url": url},
                ]
            )
            subject = _("Mise en relation avec %(other)s") % {"other": other.name}
            _send(to=me.user.email, subject=subject, body=body)
            notify(
                user=me.user,
                text=_("%(by)s vous a mis·e en relation avec %(other)s")
                % {"by": by, "other": other.name},
                url=other.get_absolute_url(),
            )
    return intro


# --- Digest ----------------------------------------------------------------------------


def digest_send(*, user, base_url: str = "") -> int:
    """E-mail a member the suggestions that appeared since their last digest."""
    from django.urls import reverse

    from .views_support import suggestions_for_display

    prefs = MatchPreferences.objects.filter(user=user, digest=True).first()
    person = getattr(user, "person", None)
    if prefs is None or person is None or not user.is_member:
        return 0
    since = prefs.digest_sent_at
    shown = [
        s
        for s in suggestions_for_display(ItemType.PERSON, person.pk, viewer=user)
        if since is None or s.created_at > since
    ]
    if not shown:
        return 0
    lines = [_("Bonjour %(name)s,") % {"name": person.name}, "", _("De nouvelles suggestions :")]
    for s in shown:
        lines += ["", f"• {s.label}", f"  {s.reasons_text}", f"  {_absolute(base_url, s.url)}"]
    lines += [
        "",
        _("Vos préférences : %(url)s")
        % {"url": _absolute(base_url, reverse("exchange:preferences"))},
    ]
    _send(
        to=user.email,
        subject=_("Nouvelles suggestions de mises en relation"),
        body="\n".join(lines),
    )
    prefs.digest_sent_at = timezone.now()
    prefs.save(update_fields=["digest_sent_at"])
    return len(shown)
