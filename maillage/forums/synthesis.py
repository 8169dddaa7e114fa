"""The synthesis of an event: every group's report gathered in one document.

`build_synthesis(event, viewer=…, complete=…)` reads the event, its groups, their
reports, members and follow-ups in a fixed number of queries (plus one per group when an
organiser who is not a facilitator asks, to check whether they follow it) and returns a
`Synthesis`, a plain structure that the HTML templates display and that
`synthesis_blocks()` turns into the neutral blocks of `maillage.core.documents` (Markdown
and docx). The PDF is the print template rendered by WeasyPrint.

Personal data: the complete version (for facilitators and the event's organisers, the
`forums.arrange` permission) names carriers and followers; it shows a follower's e-mail
or phone only when that follower agreed to share that very field (`FollowUp.share_email`
/ `share_phone`), and only to those they agreed to show it to (`forums.see_contacts`:
facilitators and the group's other followers, as the follow-up form tells them). The
public version, which anyone may read and pass on, names nobody (the names of
participants are for members, `forums.view_people`) and shows counts, never contacts.
Names come from the directory profile or the display name, never from the e-mail.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from maillage.core.documents import (
    Block,
    Bullets,
    Heading,
    Paragraph,
    Table,
    markdown_from_blocks,
)
from maillage.events.models import Event

from .models import FollowUp, Group, GroupMember, MemberRole, Report
from .querysets import imported_followup_count

# The parts of the report, in the order of the template networks use.
REPORT_PARTS = ("question", "findings", "proposals", "vigilance")
NETWORK_PARTS = ("network_continue", "network_stop", "network_with")


def person_name(user) -> str:
    """What to call someone in a document: profile name, display name — never an e-mail."""
    if user is None:
        return ""
    person = getattr(user, "person", None)
    if person is not None and person.name:
        return person.name
    return user.display_name or _("Membre du réseau")


def _label(name: str) -> str:
    return capfirst(str(Report._meta.get_field(name).verbose_name))


@dataclass
class Part:
    label: str
    text: str


@dataclass
class Follower:
    name: str
    message: str = ""
    contacts: dict[str, str] = field(default_factory=dict)


@dataclass
class GroupSection:
    number: int
    title: str
    question: str
    carriers: list[str]
    participant_count: int
    parts: list[Part]
    network: list[Part]
    resource_person: str
    notes: str
    # Sign-ups, both those made on the site and those an imported report lists.
    followup_count: int
    followers: list[Follower]
    is_working_group: bool
    pk: int
    # Of `followup_count`, those read from an imported report: counted, never named here
    # (the people have not confirmed; facilitators find them on the import's page).
    imported_followup_count: int = 0

    @property
    def has_report(self) -> bool:
        return bool(self.parts or self.network or self.resource_person or self.notes)

    @property
    def anchor(self) -> str:
        return f"groupe-{self.number}"


@dataclass
class Synthesis:
    event: Event
    when: str
    where: str
    organisers: list[str]
    groups: list[GroupSection]
    complete: bool
    generated_at: datetime

    @property
    def title(self) -> str:
        return _("Synthèse — %(event)s") % {"event": self.event.title}

    @property
    def participant_count(self) -> int:
        return sum(g.participant_count for g in self.groups)

    @property
    def followup_count(self) -> int:
        return sum(g.followup_count for g in self.groups)

    @property
    def report_count(self) -> int:
        return sum(1 for g in self.groups if g.has_report)

    @property
    def filename(self) -> str:
        suffix = "" if self.complete else "-publique"
        return f"synthese-{slugify(self.event.title)[:60] or self.event.pk}{suffix}"


def event_dates(event: Event) -> str:
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    if start.date() == end.date():
        return date_format(start, "l j F Y")
    return _("du %(start)s au %(end)s") % {
        "start": date_format(start, "j F Y"),
        "end": date_format(end, "j F Y"),
    }


def _groups(event: Event):
    return (
        Group.objects.filter(event=event)
        .annotate(imported_followup_count=imported_followup_count())
        .select_related("report__resource_person")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=GroupMember.objects.select_related("user__person").order_by(
                    "role", "joined_at", "pk"
                ),
            ),
            Prefetch("followups", queryset=FollowUp.objects.for_list()),
        )
        .order_by("number", "pk")
    )


def _section(group: Group, *, viewer, complete: bool) -> GroupSection:
    report = getattr(group, "report", None)
    members = list(group.members.all())
    carriers = []
    if complete:
        carriers = [person_name(m.user) for m in members if m.role == MemberRole.CARRIER]
        carriers += [name.strip() for name in group.other_carriers.split(",") if name.strip()]
    parts, network, resource, notes = [], [], "", ""
    question = group.question or (group.topic.question if group.topic_id else "")
    if report is not None:
        question = report.question or question
        parts = [
            Part(_label(name), getattr(report, name).strip())
            for name in REPORT_PARTS[1:]
            if getattr(report, name).strip()
        ]
        network = [
            Part(_label(name), getattr(report, name).strip())
            for name in NETWORK_PARTS
            if getattr(report, name).strip()
        ]
        resource = report.resource_person_name.strip()
        if not resource and report.resource_person is not None:
            if report.resource_person.is_visible_to(viewer):
                resource = report.resource_person.name
        notes = report.notes.strip()
    followups = list(group.followups.all())
    followers = []
    if complete:
        # Followers agreed to show their contacts to the other followers and to the
        # facilitators, no one else: an organiser who is neither sees names only.
        contacts = viewer is not None and viewer.has_perm("forums.see_contacts", group)
        followers = [
            Follower(
                name=person_name(f.user),
                message=f.message,
                contacts=f.shared_contacts() if contacts else {},
            )
            for f in followups
        ]
    return GroupSection(
        pk=group.pk,
        number=group.number,
        title=group.title,
        question=question.strip(),
        carriers=carriers,
        participant_count=len(members),
        parts=parts,
        network=network,
        resource_person=resource,
        notes=notes,
        followup_count=len(followups) + group.imported_followup_count,
        imported_followup_count=group.imported_followup_count,
        followers=followers,
        is_working_group=group.is_working_group,
    )


def build_synthesis(event: Event, *, viewer, complete: bool) -> Synthesis:
    """Gather every group of `event`. `complete` only for facilitators and organisers;
    `viewer` decides whether a resource person linked to the directory may be named."""
    # topic is read for groups whose question was left on the topic.
    groups = _groups(event).select_related("topic")
    return Synthesis(
        event=event,
        when=event_dates(event),
        where=", ".join(
            part for part in [event.address, event.commune.name if event.commune else ""] if part
        )
        or (_("En ligne") if event.online_url else ""),
        organisers=[o.name for o in event.organisers.all()],
        groups=[_section(g, viewer=viewer, complete=complete) for g in groups],
        complete=complete,
        generated_at=timezone.localtime(),
    )


def follower_line(follower: Follower) -> str:
    bits = [follower.name]
    if follower.message:
        bits.append(follower.message)
    bits += [follower.contacts[k] for k in ("email", "phone") if k in follower.contacts]
    return " — ".join(bits)


def followup_sentence(count: int, imported: int = 0) -> str:
    if not count:
        return _("Personne ne s'est encore inscrit pour poursuivre.")
    sentence = ngettext(
        "%(count)d personne s'est inscrite pour poursuivre les échanges.",
        "%(count)d personnes se sont inscrites pour poursuivre les échanges.",
        count,
    ) % {"count": count}
    if imported:
        sentence += " " + imported_sentence(imported)
    return sentence


def imported_sentence(imported: int) -> str:
    return ngettext(
        "%(n)d inscription vient du compte rendu importé et n'est pas encore confirmée "
        "sur le site.",
        "%(n)d inscriptions viennent du compte rendu importé et ne sont pas encore "
        "confirmées sur le site.",
        imported,
    ) % {"n": imported}


def summary_sentence(synthesis: Synthesis) -> str:
    groups = len(synthesis.groups)
    return " ".join(
        [
            ngettext("%(n)d groupe,", "%(n)d groupes,", groups) % {"n": groups},
            ngettext(
                "%(n)d compte rendu rédigé,",
                "%(n)d comptes rendus rédigés,",
                synthesis.report_count,
            )
            % {"n": synthesis.report_count},
            ngettext(
                "%(n)d inscription pour poursuivre.",
                "%(n)d inscriptions pour poursuivre.",
                synthesis.followup_count,
            )
            % {"n": synthesis.followup_count},
        ]
    )


def synthesis_blocks(synthesis: Synthesis) -> list[Block]:
    """The synthesis as neutral blocks, for Markdown and docx."""
    event = synthesis.event
    blocks: list[Block] = [Heading(synthesis.title, 1)]
    facts = [synthesis.when]
    if synthesis.where:
        facts.append(synthesis.where)
    blocks.append(Paragraph(" · ".join(facts), label=capfirst(event.get_kind_display()) + " :"))
    if synthesis.organisers:
        blocks.append(Paragraph(", ".join(synthesis.organisers), label=_("Organisé par :")))
    blocks.append(Paragraph(summary_sentence(synthesis)))
    blocks.append(
        Paragraph(
            _("Synthèse générée le %(date)s.")
            % {"date": date_format(synthesis.generated_at, "j F Y à H:i")}
        )
    )
    if not synthesis.groups:
        blocks.append(Paragraph(_("Aucun groupe n'a été constitué pour cette rencontre.")))
        return blocks
    blocks.append(Heading(_("Les groupes en un coup d'œil"), 2))
    header = [_("N°"), _("Groupe"), _("Participant·es"), _("Suites à donner")]
    rows = [
        [str(g.number), g.title, str(g.participant_count), str(g.followup_count)]
        for g in synthesis.groups
    ]
    if synthesis.complete:
        header.insert(2, _("Porteur·ses"))
        for row, group in zip(rows, synthesis.groups, strict=True):
            row.insert(2, ", ".join(group.carriers))
    blocks.append(Table(header, rows))
    for group in synthesis.groups:
        blocks.append(Heading(f"{group.number}. {group.title}", 2))
        if group.carriers:
            blocks.append(Paragraph(", ".join(group.carriers), label=_("Porteur·ses :")))
        if group.question:
            blocks.append(Paragraph(group.question, label=_("La question :")))
        if not group.has_report:
            blocks.append(Paragraph(_("Le compte rendu de ce groupe n'a pas été rédigé.")))
        for part in group.parts:
            blocks += [Heading(part.label, 3), Paragraph(part.text)]
        if group.network:
            blocks.append(Heading(_("Le rôle du réseau"), 3))
            blocks += [Paragraph(part.text, label=part.label + " :") for part in group.network]
        if group.resource_person:
            blocks.append(Paragraph(group.resource_person, label=_("Personne ressource :")))
        if group.notes:
            blocks += [Heading(_("Notes libres"), 3), Paragraph(group.notes)]
        blocks.append(Heading(_("Suites à donner"), 3))
        blocks.append(
            Paragraph(followup_sentence(group.followup_count, group.imported_followup_count))
        )
        if group.followers:
            blocks.append(Bullets([follower_line(f) for f in group.followers]))
    return blocks


def synthesis_fingerprint(synthesis: Synthesis) -> str:
    """A digest of everything the synthesis shows except the time it was generated: two
    syntheses with the same fingerprint print the same document."""
    frozen = replace(synthesis, generated_at=datetime(2000, 1, 1))  # noqa: DTZ001
    text = markdown_from_blocks(synthesis_blocks(frozen))
    return hashlib.sha256(f"{synthesis.complete}\n{text}".encode()).hexdigest()[:32]
