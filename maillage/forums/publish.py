"""What the open forums publish through the newsletter and opendata registries: the group
reports of published events as a letter section and a feed, a webhook notification when a
report first has content, and the members' digest of their working groups' activity.

Imported by `maillage.opendata.apps` (the forums app's own `apps.py` stays untouched).
Reports are public like their event, but nothing personal goes out: no participant, no
author, no resource person, and e-mails or phone numbers typed in the text are blanked
(`search.scrub`).
"""

from django.db.models import Prefetch
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from maillage.events.models import EventStatus
from maillage.newsletter import registry as letters
from maillage.opendata import registry
from maillage.opendata.webhooks import fire

from .models import Group, Report, Task
from .search import scrub

SUMMARY_LENGTH = 300
TASKS_PER_GROUP = 5


def _public_reports():
    """Reports with at least one saved revision, of published events."""
    return (
        Report.objects.filter(group__event__status=EventStatus.PUBLISHED, version__gt=0)
        .select_related("group__event__commune")
        .prefetch_related("group__event__themes", "group__event__territories")
    )


def _title(report: Report) -> str:
    return f"{report.group.title} — {report.group.event.title}"


def _summary(report: Report) -> str:
    text = report.findings or report.proposals or report.question
    return scrub(text)[:SUMMARY_LENGTH]


def _territory_ids(event) -> list[int]:
    territories = list(event.territories.all())
    if event.commune_id:
        territories.append(event.commune)
    return letters.territory_keys(territories)


# Newsletter section -------------------------------------------------------------------


def _section(since, until):
    reports = _public_reports().filter(updated_at__gte=since, updated_at__lt=until)
    items = []
    for report in reports.order_by("updated_at", "pk"):
        if report.is_empty:
            continue
        event = report.group.event
        items.append(
            letters.Item(
                title=_title(report),
                url=report.group.get_absolute_url(),
                summary=_summary(report),
                when=date_format(timezone.localtime(event.starts_at), "j F Y"),
                place=event.commune.name if event.commune_id else "",
                themes=[t.pk for t in event.themes.all()],
                territories=_territory_ids(event),
            )
        )
    return items


letters.register("comptes-rendus", _("Comptes rendus"), _section, position=40)


# Feed ---------------------------------------------------------------------------------


def _feed_items():
    reports = _public_reports().order_by("-updated_at", "-pk")[:50]
    return [
        registry.FeedItem(
            title=_title(report),
            url=report.group.get_absolute_url(),
            description=_summary(report),
            published=report.updated_at,
            updated=report.updated_at,
            categories=[t.name for t in report.group.event.themes.all()],
        )
        for report in reports
        if not report.is_empty
    ]


registry.register_feed(
    "comptes-rendus",
    _("Comptes rendus des groupes"),
    _feed_items,
    _("Les comptes rendus des groupes des rencontres publiées."),
)


# Webhook ------------------------------------------------------------------------------

registry.register_event("report.published", _("Compte rendu rédigé"))


def _on_report_saved(sender, instance: Report, **kwargs) -> None:
    # A report is created empty with its group (version 0); it is news once someone saved
    # content into it. `fire` notifies each webhook once per report, whatever the saves.
    if instance.version == 0 or instance.is_empty:
        return
    group = Group.objects.select_related("event").get(pk=instance.group_id)
    if group.event.status != EventStatus.PUBLISHED:
        return
    fire(
        "report.published",
        object_key=f"report:{instance.pk}",
        title=f"{group.title} — {group.event.title}",
        text=scrub(instance.findings or instance.proposals or instance.question)[:SUMMARY_LENGTH],
        url=group.get_absolute_url(),
        label=_("Nouveau compte rendu"),
    )


post_save.connect(_on_report_saved, sender=Report, dispatch_uid="opendata_forum_report")


# The members' weekly digest: activity of their working groups ---------------------------


def _digest_groups(user, since, until):
    """One line per task added in the window and one for the next meeting, for each
    living working group the member belongs to (the digest mail shows titles, dates and
    places; the online meeting link stays on the group's page)."""
    new_tasks = Prefetch(
        "tasks",
        queryset=Task.objects.filter(created_at__gte=since, created_at__lt=until).order_by(
            "created_at", "pk"
        ),
        to_attr="new_tasks",
    )
    groups = (
        Group.objects.of_user(user)
        .working()
        .visible_to(user)
        .prefetch_related(new_tasks)
        .order_by("title", "pk")
    )
    items = []
    for group in groups[:20]:
        url = group.get_absolute_url()
        for task in group.new_tasks[:TASKS_PER_GROUP]:
            items.append(
                letters.Item(
                    title=str(_("%(group)s — nouvelle tâche : %(task)s"))
                    % {"group": group.title, "task": task.title},
                    url=url,
                    when=(
                        str(_("pour le %(day)s")) % {"day": date_format(task.due_on, "j F Y")}
                        if task.due_on
                        else ""
                    ),
                )
            )
        if group.next_meeting_at is not None and group.next_meeting_at >= until:
            items.append(
                letters.Item(
                    title=str(_("%(group)s — prochaine réunion")) % {"group": group.title},
                    url=url,
                    when=date_format(timezone.localtime(group.next_meeting_at), "l j F Y, H:i"),
                    place=group.next_meeting_place,
                )
            )
    return items


letters.register_digest("groupes", _("Vos groupes de travail"), _digest_groups, position=30)
