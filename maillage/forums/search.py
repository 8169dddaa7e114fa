"""What the forums put in the search index: the groups of published events, with their
report. A group of a draft or cancelled event has no document.

Reports are public like the event they come from; participants' names, follow-ups and
shared contacts never enter the index. People sometimes type an e-mail or a phone number
in a report (for the resource person): those are blanked out of the indexed text, so no
snippet can show them.
"""

import re

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from maillage.events.models import Event
from maillage.search.registry import Audience, Document, register

from .models import REPORT_TEXT_FIELDS, Group, Report

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(\+\d{1,3}[\s.]?)?(\d[\s.-]?){9,}\d?(?!\d)")


def scrub(text: str) -> str:
    """Text without e-mail addresses or phone numbers."""
    return _PHONE.sub("…", _EMAIL.sub("…", text or ""))


def group_document(group: Group) -> Document | None:
    event = group.event
    if event.status != "published":
        return None
    report = getattr(group, "report", None)
    parts = [group.question, group.purpose]
    if report is not None:
        parts += [getattr(report, name) for name in REPORT_TEXT_FIELDS]
    territories = [t.pk for t in event.territories.all()]
    if event.commune_id:
        territories.append(event.commune_id)
    return Document(
        title=f"{group.title} — {event.title}",
        body=scrub("\n".join(part for part in parts if part)),
        url=group.get_absolute_url(),
        audience=Audience.PUBLIC,
        status="working" if group.is_working_group else "",
        created_at=group.created_at,
        themes=[t.pk for t in event.themes.all()],
        territories=territories,
    )


def _groups():
    from maillage.directory.models import Theme
    from maillage.territories.models import Territory

    return Group.objects.select_related("event", "report").prefetch_related(
        Prefetch("event__themes", queryset=Theme.objects.only("pk").order_by()),
        Prefetch("event__territories", queryset=Territory.objects.only("pk").order_by()),
    )


def _groups_of_event(event, update_fields):
    return list(Group.objects.filter(event=event).values_list("pk", flat=True))


register(
    Group,
    kind="forum_group",
    label=_("Groupes et comptes rendus"),
    to_document=group_document,
    queryset=_groups,
    m2m=(),
    depends_on={
        Report: lambda report, update_fields: [report.group_id],
        # Publishing, cancelling or retitling an event changes its groups' documents.
        Event: _groups_of_event,
    },
    status_labels={"working": _("Groupe de travail actif")},
)
