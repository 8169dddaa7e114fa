"""Writes of imports: start an import, extract its draft, save corrections, accept it,
invite imported people to claim their profile or be forgotten.

Accepting runs in one transaction: the event, its organisers, the people and
organisations (matched to existing records first), the forum groups with their reports,
the follow-up sign-ups, the experience sheets with their obstacles and tips, and the
programme's slots and sessions are all created, or none of them is. The import row is
locked first, so two facilitators pressing "accept" at once create things once.

Nothing an import creates is public before a person decides: the event is a draft (and
with it its groups and reports), organisations are proposals waiting for moderation,
experience sheets are drafts and imported people are private. A facilitator publishes
each from its page, as for any other record. Records go through the same services as
the site's forms (`organisation_create`, `person_create`, `event_create`,
`sheet_create`, `report_save`), so they get the same checks and audit entries.
"""

import hashlib
import re
from datetime import date, time

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from maillage.core.audit import log_action
from maillage.core.text import contains_contact, normalise, strip_accents
from maillage.directory import matching
from maillage.directory import services as directory
from maillage.directory.models import (
    Membership,
    Moderation,
    Organisation,
    OrganisationKind,
    Person,
    Visibility,
)
from maillage.events import services as events
from maillage.events.models import (
    Contributor,
    ContributorRole,
    Event,
    EventKind,
    EventStatus,
    Session,
    SessionKind,
    TimeSlot,
    local_datetime,
)

from . import review
from .extract import extract, is_organisation
from .models import (
    ClaimStatus,
    DocumentImport,
    ImportedContact,
    ImportedFollowUp,
    ImportStatus,
)

CLAIM_SALT = "maillage.imports.claim"
CLAIM_MAX_AGE = 60 * 60 * 24 * 60  # an invitation stays valid two months


class DuplicateImport(Exception):
    """The same text was imported before: `existing` is that import. `similarity` is
    None when the texts are the same once folded, else the share of five-word sequences
    they have in common (a near duplicate: the same report exported another way)."""

    def __init__(self, existing: DocumentImport, similarity: float | None = None):
        super().__init__("duplicate import")
        self.existing = existing
        self.similarity = similarity

    @property
    def near(self) -> bool:
        return self.similarity is not None


# Near duplicates: the share of five-word sequences two texts have in common (Jaccard
# index of their shingle sets), compared against the newest imports of a similar length.
SHINGLE_WORDS = 5
NEAR_DUPLICATE = 0.8
NEAR_LENGTH_RATIO = 0.3
NEAR_CANDIDATES = 200


def fold(text: str) -> str:
    """The letters and digits of a text, without accents or case: what is left of a
    report whatever the format it was saved in (bullets, spacing, line wrapping and
    hyphenation all vanish)."""
    return "".join(c for c in strip_accents(text or "").casefold() if c.isalnum())


def content_hash(text: str) -> str:
    """The same report saved again (other line endings, spacing, bullets, format) hashes
    the same."""
    return hashlib.sha256(fold(text).encode("utf-8")).hexdigest()


_HYPHEN_BREAK = re.compile(r"-[ \t]*\r?\n\s*")


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[tuple[str, ...]]:
    """The text's runs of `size` consecutive words, folded (a word cut by a hyphen at the
    end of a line is put back together first)."""
    words = normalise(_HYPHEN_BREAK.sub("", text or "")).split()
    if len(words) < size:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def similarity(first: set, second: set) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def near_duplicate(text: str) -> tuple[DocumentImport, float] | None:
    """An earlier import (not failed) whose text is at least `NEAR_DUPLICATE` similar,
    with the similarity. Bounded work: only the newest `NEAR_CANDIDATES` imports whose
    folded length is within ±`NEAR_LENGTH_RATIO` of this one's are read."""
    length = len(fold(text))
    if not length:
        return None
    candidates = (
        DocumentImport.objects.exclude(status=ImportStatus.FAILED)
        .filter(
            folded_length__gte=int(length * (1 - NEAR_LENGTH_RATIO)),
            folded_length__lte=int(length * (1 + NEAR_LENGTH_RATIO)) + 1,
        )
        .order_by("-created_at", "-pk")
        .only("pk", "text", "created_at")[:NEAR_CANDIDATES]
    )
    mine = shingles(text)
    best = None
    for candidate in candidates:
        score = similarity(mine, shingles(candidate.text))
        if score >= NEAR_DUPLICATE and (best is None or score > best[1]):
            best = (candidate, score)
    return best


def import_start(*, text: str, source_format: str, file_name: str, actor) -> DocumentImport:
    """Record a document's text and queue the extraction of its draft.

    Raises `DuplicateImport` if the same text was imported already (unless that import
    failed, in which case it is tried again), or a near duplicate of it: the same report
    saved in another format, whose wrapping, bullets or page furniture differ.
    """
    from .tasks import extract_import

    digest = content_hash(text)
    with transaction.atomic():
        existing = DocumentImport.objects.select_for_update().filter(content_hash=digest).first()
        if existing is not None and existing.status != ImportStatus.FAILED:
            raise DuplicateImport(existing)
        if existing is not None:
            existing.delete()
        near = near_duplicate(text)
        if near is not None:
            raise DuplicateImport(near[0], similarity=near[1])
        try:
            with transaction.atomic():
                document = DocumentImport.objects.create(
                    text=text,
                    source_format=source_format,
                    file_name=file_name[:255],
                    content_hash=digest,
                    folded_length=len(fold(text)),
                    created_by=actor,
                )
        except IntegrityError:
            raise DuplicateImport(DocumentImport.objects.get(content_hash=digest)) from None
        log_action(
            actor=actor, action="imports.start", obj=document, data={"format": source_format}
        )
        # The database task backend stores the task in this transaction: the worker
        # sees it once the import row is committed too.
        extract_import.enqueue(document.pk)
    return document


def import_extract(*, document_id: int) -> DocumentImport | None:
    """Build the draft of an import (run by the background task)."""
    document = DocumentImport.objects.filter(pk=document_id).first()
    if document is None or document.status != ImportStatus.PENDING:
        return document
    document.progress = 10
    document.save(update_fields=["progress"])
    try:
        draft = extract(document.text)
    except Exception:  # noqa: BLE001 (an extraction bug must not leave the import stuck)
        document.status = ImportStatus.FAILED
        document.error = _("Le brouillon n'a pas pu être construit à partir de ce texte.")
        document.save(update_fields=["status", "error"])
        raise
    document.draft = draft
    document.kind = draft["kind"]
    document.title = (draft["event"]["title"]["value"] or "")[:200]
    document.status = ImportStatus.REVIEW
    document.progress = 100
    document.save(update_fields=["draft", "kind", "title", "status", "progress"])
    return document


def import_review_save(*, document: DocumentImport, data, actor) -> DocumentImport:
    """Apply the reviewer's corrections and drops (`data` is the review form's POST)."""
    if document.status != ImportStatus.REVIEW:
        raise ValidationError(_("Cet import n'est plus modifiable."))
    draft, errors = review.apply(document.draft, data)
    if errors:
        raise ValidationError(errors)
    document.draft = draft
    document.title = (review.text(draft["event"]["title"]) or document.title)[:200]
    document.save(update_fields=["draft", "title"])
    log_action(actor=actor, action="imports.review", obj=document)
    return document


def import_delete(*, document: DocumentImport, actor) -> None:
    """Drop an import that was not accepted (the records of an accepted one stay)."""
    if document.is_accepted:
        raise ValidationError(_("Un import accepté ne peut pas être supprimé."))
    log_action(actor=actor, action="imports.delete", obj=document)
    document.delete()


# --- Matching people and organisations --------------------------------------------------


def match_organisation(name: str) -> Organisation | None:
    """The directory's one matcher (articles, generic prefixes, acronyms folded)."""
    return matching.match_organisation(name)


def match_person(*, name: str, email: str, organisation: str) -> Person | None:
    """The same e-mail, or the same normalised name with the same organisation."""
    if email:
        person = Person.objects.filter(email__iexact=email).order_by("pk").first()
        if person is not None:
            return person
    folded = normalise(name)
    if not folded or not organisation:
        return None
    return (
        Person.objects.filter(
            search_name=folded[:150],
            organisations__search_name__in=matching.candidate_names(organisation),
        )
        .order_by("pk")
        .first()
    )


def describe_matches(draft: dict) -> dict[str, str]:
    """For the review page: contact id -> 'existing' or 'new' (three queries in all,
    with the same rules as `match_person` and `match_organisation`)."""
    contacts = [(c["id"], review.contact_fields(c)) for c in review.contacts(draft)]
    emails = {f["email"] for _id, f in contacts if f["email"]}
    names = {normalise(f["name"])[:150] for _id, f in contacts if f["name"]}
    org_names = {
        f["organisation"]: matching.candidate_names(f["organisation"])
        for _id, f in contacts
        if f["organisation"]
    }
    wanted_orgs = set().union(*org_names.values())
    known_emails = set(
        Person.objects.annotate(folded=Lower("email"))
        .filter(folded__in=emails)
        .values_list("folded", flat=True)
    )
    named = set(
        Person.objects.filter(search_name__in=names).values_list(
            "search_name", "organisations__search_name"
        )
    )
    known_orgs = set(
        Organisation.objects.filter(search_name__in=wanted_orgs)
        .exclude(status=Moderation.REJECTED)
        .values_list("search_name", flat=True)
    )
    found = {}
    for contact_id, fields in contacts:
        name = normalise(fields["name"])[:150]
        org_keys = org_names.get(fields["organisation"], set())
        if fields["name"]:
            existing = fields["email"] in known_emails or any(
                (name, key) in named for key in org_keys
            )
        else:
            existing = bool(org_keys & known_orgs)
        found[contact_id] = "existing" if existing else "new"
    return found


def _guess_kind(name: str) -> str:
    folded = normalise(name)
    for words, kind in (
        (("mairie", "commune", "ville", "departement", "region"), OrganisationKind.COLLECTIVITE),
        (
            ("communaute", "petr", "pays", "syndicat", "metropole"),
            OrganisationKind.INTERCOMMUNALITE,
        ),
        (("association", "centre social", "collectif"), OrganisationKind.ASSOCIATION),
        (("reseau",), OrganisationKind.RESEAU),
        (("chambre", "agence", "office", "institut"), OrganisationKind.INSTITUTION),
    ):
        if any(folded.startswith(w) for w in words):
            return kind
    return OrganisationKind.AUTRE


def is_plausible_name(name: str) -> bool:
    """A name has letters, and no e-mail address or phone number: an extraction slip (or
    a reviewer's typing) must never turn « 06 12 34 56 78 » into someone's name."""
    return any(c.isalpha() for c in name or "") and not contains_contact(name)


class _Registry:
    """People and organisations met while accepting one import, so each is made once.

    Organisations are compared with the directory's matcher: « Le Garage » and
    « Garage », « Lavaur » and « Commune de Lavaur » met in one document are one record.
    Names that hold an e-mail address or a phone number, or no letter, are refused:
    nothing is created for them (they are counted in `created["refused_names"]`).
    """

    def __init__(self, document: DocumentImport, actor):
        self.document = document
        self.actor = actor
        # (a name met, the record it resolved to), in the order they were met.
        self._organisations: list[tuple[str, Organisation]] = []
        self.people: dict[str, Person] = {}
        self.created = {
            "people": [],
            "organisations": [],
            "matched_people": [],
            "refused_names": 0,
        }

    def _refuse(self, name: str) -> bool:
        if is_plausible_name(name):
            return False
        self.created["refused_names"] += 1
        return True

    def _met(self, name: str) -> Organisation | None:
        for seen, organisation in self._organisations:
            # « Lavaur » may have joined « Commune de Lavaur »: « Association Lavaur »
            # shares its key, but not the record's family.
            if matching.same_organisation(name, seen) and matching.same_family(
                name, organisation.name
            ):
                return organisation
        return None

    def organisation(self, name: str, *, email: str = "", phone: str = "") -> Organisation | None:
        name = " ".join((name or "").split())[:200]
        if not normalise(name) or self._refuse(name):
            return None
        organisation = self._met(name)
        if organisation is None:
            organisation = match_organisation(name)
            if organisation is not None:
                self._organisations.append((organisation.name, organisation))
        if organisation is None:
            organisation = directory.organisation_create(
                actor=self.actor,
                name=name,
                kind=_guess_kind(name),
                email=email,
                phone=phone[:30],
                # A proposal: a facilitator publishes it from the moderation page.
                status=Moderation.PROPOSED,
                source="import",
            )
            self.created["organisations"].append(organisation.pk)
        self._organisations.append((name, organisation))
        return organisation

    def person(self, *, name: str, email: str, phone: str, organisation: str) -> Person | None:
        name = " ".join((name or "").split())
        if not normalise(name) or self._refuse(name):
            return None
        org = self.organisation(organisation) if organisation else None
        key = "@" + email.lower() if email else f"n:{normalise(name)}|{org.pk if org else ''}"
        if key in self.people:
            return self.people[key]
        person = match_person(name=name, email=email, organisation=organisation)
        if person is None:
            # Imported people are private and unconfirmed until they claim their profile.
            person = directory.person_create(
                actor=self.actor,
                name=name[:150],
                email=email,
                phone=phone[:30],
                visibility=Visibility.PRIVATE,
                imported=True,
                confirmed=False,
                source="import",
            )
            self.created["people"].append(person.pk)
        else:
            self.created["matched_people"].append(person.pk)
        if org is not None:
            Membership.objects.get_or_create(person=person, organisation=org)
        if person.imported and not person.confirmed:
            ImportedContact.objects.get_or_create(document=self.document, person=person)
        self.people[key] = person
        # The same person met later by name alone (a resource person) is this one too.
        self.people.setdefault(f"n:{normalise(name)}|", person)
        return person


# --- Accepting ----------------------------------------------------------------------------

_KINDS = {
    "open_forum_synthesis": EventKind.OPEN_FORUM,
    "workshop_report": EventKind.WORKSHOP,
    "webinar_report": EventKind.WEBINAR,
    "programme": EventKind.GATHERING,
    "launch_report": EventKind.GATHERING,
}


def _parse_day(value) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def import_accept(*, document: DocumentImport, actor) -> Event:
    """Create every record of the reviewed draft, in one transaction (see module doc)."""
    with transaction.atomic():
        document = DocumentImport.objects.select_for_update().get(pk=document.pk)
        if document.is_accepted and document.event_id:
            return document.event
        if document.status != ImportStatus.REVIEW:
            raise ValidationError(_("Cet import n'est pas prêt à être accepté."))
        draft = document.draft
        event_draft = draft["event"]
        title = review.text(event_draft["title"])
        day = _parse_day(review.value(event_draft["date"]))
        errors = []
        if not title:
            errors.append(_("Indiquez le titre de la rencontre."))
        if day is None:
            days = [_parse_day(review.value(d["date"])) for d in review.kept(draft["days"])]
            day = min((d for d in days if d), default=None)
        if day is None:
            errors.append(
                _("Indiquez la date de la rencontre (jj/mm/aaaa) : le document ne la donne pas.")
            )
        if errors:
            raise ValidationError(errors)
        registry = _Registry(document, actor)
        event = _create_event(draft, document, registry, title=title, day=day, actor=actor)
        groups = _create_groups(draft, document, registry, event, actor)
        sheets = _create_sheets(draft, document, registry, event, actor)
        sessions = _create_programme(draft, registry, event)
        document.status = ImportStatus.ACCEPTED
        document.event = event
        document.accepted_by = actor
        document.accepted_at = timezone.now()
        document.result = {
            **registry.created,
            "event": event.pk,
            "groups": groups,
            "sheets": sheets,
            "sessions": sessions,
        }
        document.save(update_fields=["status", "event", "accepted_by", "accepted_at", "result"])
        log_action(
            actor=actor,
            action="imports.accept",
            obj=document,
            data={k: len(v) if isinstance(v, list) else v for k, v in document.result.items()},
        )
    return event


def _create_event(draft, document, registry, *, title, day, actor) -> Event:
    event_draft = draft["event"]
    end = _parse_day(review.value(event_draft.get("end_date"))) or day
    days = [_parse_day(review.value(d["date"])) for d in review.kept(draft["days"])]
    end = max([end, *[d for d in days if d]])
    place = review.text(event_draft["place"])
    organisers = [
        registry.organisation(review.text(o)) for o in review.kept(event_draft["organisers"])
    ]
    starts, ends = _event_hours(draft, day, end)
    return events.event_create(
        actor=actor,
        title=title[:200],
        kind=_KINDS.get(draft["kind"], EventKind.GATHERING),
        summary=(
            _("%(kind)s importé du document « %(file)s ».")
            % {"kind": draft["kind_label"], "file": document.file_name or _("texte collé")}
        )[:300],
        description=_event_description(draft)[:10000],
        starts_at=local_datetime(day, starts),
        ends_at=local_datetime(end, ends),
        address=place[:300],
        # A draft: the facilitator reads it over and publishes it from the event's page.
        status=EventStatus.DRAFT,
        organisers=[o for o in organisers if o is not None],
        registration_open=False,
    )


def _event_hours(draft, first_day: date, last_day: date) -> tuple[time, time]:
    """The event's opening and closing hours. An event needs both: the programme gives
    them where it can (the first slot's start, the last end it states); otherwise a
    working day, 9:00–18:00, stands in. The event is a draft, and its page shows these
    hours to the facilitator who checks it before publishing."""
    firsts, lasts = [], []
    for day_draft in review.kept(draft.get("days", [])):
        day = _parse_day(review.value(day_draft["date"]))
        for slot in review.kept(day_draft.get("slots", [])):
            start = _parse_time(review.text(slot.get("time")))
            if day == first_day and start is not None:
                firsts.append(start)
            end = _slot_end(slot, start)
            if day == last_day and end is not None:
                lasts.append(end)
    starts = min(firsts, default=time(9, 0))
    ends = max(lasts, default=time(18, 0))
    if first_day == last_day and ends < starts:
        ends = starts
    return starts, ends


def _lines(values) -> str:
    return "\n".join(f"- {review.text(v)}" for v in review.kept(values) if review.text(v))


def _event_description(draft: dict) -> str:
    parts = []
    notes = _lines(draft.get("notes", []))
    if notes:
        parts.append(notes)
    event = draft["event"]
    counts = []
    if review.value(event.get("participants_count")):
        counts.append(_("%(n)s participant·es") % {"n": review.value(event["participants_count"])})
    if review.value(event.get("excused_count")):
        counts.append(_("%(n)s personnes excusées") % {"n": review.value(event["excused_count"])})
    if counts:
        parts.append(", ".join(counts) + ".")
    objectives = []
    for objective in review.kept(draft.get("objectives", [])):
        line = f"- {review.text(objective['title'])}"
        if objective.get("detail") and review.text(objective["detail"]):
            line += f" : {review.text(objective['detail'])}"
        objectives.append(line)
    if objectives:
        parts.append(_("Objectifs :") + "\n" + "\n".join(objectives))
    priorities = _lines(draft.get("priorities", []))
    if priorities:
        parts.append(_("Priorités :") + "\n" + priorities)
    questions = _lines(draft.get("questions", []))
    if questions:
        parts.append(_("Questions posées :") + "\n" + questions)
    links = "\n".join(
        f"- {review.text(link['url'])}" for link in review.kept(draft.get("links", []))
    )
    if links:
        parts.append(_("Pour aller plus loin :") + "\n" + links)
    return "\n\n".join(parts)


def _create_groups(draft, document, registry, event, actor) -> list[int]:
    from maillage.forums import services as forums
    from maillage.forums.models import Group, Topic, TopicStatus

    created = []
    used_numbers = set()
    for index, group_draft in enumerate(review.kept(draft["groups"]), start=1):
        number = review.value(group_draft.get("number")) or index
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = index
        while number in used_numbers:
            number += 1
        used_numbers.add(number)
        title = review.text(group_draft["title"]) or _("Groupe %(n)s") % {"n": number}
        question = review.text(group_draft["question"])
        topic = Topic(
            event=event,
            title=title[:200],
            question=question or title,
            proposer_name=_("Import de document"),
            status=TopicStatus.ACCEPTED,
        )
        topic.full_clean()
        topic.save()
        carriers = ", ".join(review.text(c) for c in review.kept(group_draft.get("carriers", [])))
        group = Group(
            event=event,
            topic=topic,
            number=number,
            title=title[:200],
            question=question[:2000],
            other_carriers=carriers[:300],
        )
        group.full_clean()
        group.save()
        followers = _create_followups(group_draft, document, registry, group)
        if followers and group.working_since is None:
            group.working_since = timezone.now()
            group.save(update_fields=["working_since", "updated_at"])
        resource = review.text(group_draft["resource_person"])
        resource_record = (
            registry.people.get("n:" + normalise(resource) + "|") if resource else None
        )
        forums.report_save(
            group=group,
            actor=actor,
            data={**_report_fields(group_draft, followers), "resource_person": resource_record},
            base_version=0,
        )
        created.append(group.pk)
    return created


_VIGILANCE = re.compile(r"^(attention|vigilance|points? de vigilance|risques?|limites?)")


def _report_fields(group_draft: dict, followers: list[str]) -> dict:
    findings, proposals, vigilance, notes = [], [], [], []
    for section in review.kept(group_draft.get("sections", [])):
        items = [f"- {review.text(i)}" for i in review.kept(section["items"]) if review.text(i)]
        if not items:
            continue
        if section["category"] == "findings":
            findings += items
        elif section["category"] == "proposals":
            proposals += [section["title"] + " :", *items]
        elif _VIGILANCE.match(normalise(section["title"])):
            vigilance += items
        else:
            notes += [section["title"] + " :", *items]
    participants = [review.text(p) for p in review.kept(group_draft.get("participants", []))]
    if participants:
        # Like follow-ups, participants are counted, not named, in a report anyone may read.
        notes.append(
            _("%(count)s participant·es nommé·es dans le document.") % {"count": len(participants)}
        )
    discussion = []
    for item in review.kept(group_draft.get("discussion", [])):
        speaker = review.text(item.get("speaker"))
        said = review.text(item["text"])
        discussion.append(f"- {speaker} : {said}" if speaker else f"- {said}")
    if discussion:
        notes += [_("Éléments de la discussion :"), *discussion]
    declared = review.value(group_draft.get("follow_up_declared"))
    if declared or followers:
        # The count only: the names of people who have not confirmed their imported
        # profile stay with the facilitators (import page), not in a public report.
        notes.append(
            _(
                "Suites à donner : %(declared)s personne(s) annoncée(s), "
                "%(listed)s listée(s) dans le document."
            )
            % {"declared": declared if declared is not None else "?", "listed": len(followers)}
        )
    role = group_draft.get("role") or {}
    return {
        "question": review.text(group_draft.get("question")),
        "findings": "\n".join(findings),
        "proposals": "\n".join(proposals),
        "vigilance": "\n".join(vigilance),
        "network_continue": _role_text(role.get("continue")),
        "network_stop": _role_text(role.get("stop")),
        "network_with": _role_text(role.get("with")),
        "resource_person_name": review.text(group_draft.get("resource_person"))[:200],
        "notes": "\n".join(notes),
    }


def _role_text(part) -> str:
    """A part of the network's role: one value node (older drafts) or a list of items,
    written one « - item » per line."""
    if isinstance(part, list):
        return _lines(part)
    return review.text(part)


def _create_followups(group_draft, document, registry, group) -> list[str]:
    """The group's follow-up sign-ups. Only the name, organisation, address and phone
    of a contact are read: other addresses, nicknames and interests the draft may hold
    are kept nowhere (the directory has no private place for them)."""
    names = []
    for position, contact in enumerate(review.kept(group_draft.get("follow_up", []))):
        fields = review.contact_fields(contact)
        person = organisation = None
        if fields["name"] and not is_organisation(fields["name"]):
            person = registry.person(
                name=fields["name"],
                email=fields["email"],
                phone=fields["phone"],
                organisation=fields["organisation"],
            )
            if person is None and fields["organisation"]:
                # The name was refused (an address or a number): the organisation the
                # line names still signed up.
                organisation = registry.organisation(fields["organisation"])
        elif fields["organisation"] or fields["name"]:
            organisation = registry.organisation(
                fields["organisation"] or fields["name"],
                email=fields["email"],
                phone=fields["phone"],
            )
        address = ""
        if person is None and organisation is None:
            if not fields["email"]:
                continue
            # An address alone on its line (or beside a name that was refused): a
            # sign-up all the same, with no name made up for it.
            address = fields["email"]
        followup = ImportedFollowUp(
            document=document,
            group=group,
            person=person,
            organisation=organisation,
            email=address,
            position=position,
        )
        followup.full_clean(exclude=["document", "group", "person", "organisation"])
        followup.save()
        names.append(followup.name)
    return names


def _create_sheets(draft, document, registry, event, actor) -> list[int]:
    from maillage.knowledge import services as knowledge
    from maillage.knowledge.models import Origin, Outcome
    from maillage.knowledge.services import ItemInput

    for participant in review.kept(draft.get("participants", [])):
        registry.organisation(review.text(participant["organisation"]))
    created = []
    for experience in review.kept(draft.get("experiences", [])):
        actor_name = review.text(experience["actor"])
        named = experience.get("organisation")
        # A plain string (the actor linked to a participant's organisation) or a node.
        named = review.text(named) if isinstance(named, dict) else (named or "")
        organisation = registry.organisation(named or actor_name)
        obstacles = [
            ItemInput(text=review.text(v), organisation=organisation, actor_name=actor_name)
            for v in review.kept(experience["obstacles"])
            if review.text(v)
        ]
        tips = [
            ItemInput(text=review.text(v), organisation=organisation, actor_name=actor_name)
            for v in review.kept(experience["tips"])
            if review.text(v)
        ]
        questions = [review.text(v) for v in review.kept(experience.get("questions", []))]
        context = review.text(experience.get("description"))
        if questions:
            context += "\n\n" + _("Question posée : ") + " ".join(questions)
        sheet = knowledge.sheet_create(
            actor=actor,
            title=(f"{actor_name} — {event.title}")[:200],
            outcome=Outcome.ONGOING,
            origin=Origin.IMPORT,
            obstacles=obstacles,
            tips=tips,
            organisations=[organisation] if organisation else [],
            context=context.strip()[:6000],
            source=(document.file_name or _("texte collé"))[:300],
            event=event,
        )
        created.append(sheet.pk)
    return created


def _slot_end(slot_draft: dict, start: time | None) -> time | None:
    """The end the document gives for a slot (an `end_time` node, or a range in the time
    itself, « 9h30 – 10h15 »), or None: never made up from the next slot or a usual
    length."""
    end_node = slot_draft.get("end_time")
    if end_node is not None:
        end = _parse_time(review.text(end_node))
    else:
        found = _RANGE_END.search(review.text(slot_draft.get("time")))
        end = _parse_time(found.group(1)) if found else None
    if end is None or start is None or end <= start:
        return None
    return end


def _create_programme(draft, registry, event) -> list[int]:
    created = []
    for day_draft in review.kept(draft.get("days", [])):
        day = _parse_day(review.value(day_draft["date"]))
        if day is None:
            continue
        for slot_draft in review.kept(day_draft["slots"]):
            start = _parse_time(review.text(slot_draft["time"]))
            if start is None:
                continue
            slot, _created = TimeSlot.objects.get_or_create(
                event=event, day=day, starts=start, ends=_slot_end(slot_draft, start)
            )
            workshops = review.kept(slot_draft["workshops"])
            title = review.text(slot_draft["title"]) or _("Séquence")
            kind = _session_kind(title, bool(workshops))
            sessions = (
                [(review.text(w), SessionKind.WORKSHOP, w.get("details", [])) for w in workshops]
                if workshops
                else [(title, kind, slot_draft.get("details", []))]
            )
            for session_title, session_kind, details in sessions:
                session = Session(
                    slot=slot,
                    kind=session_kind,
                    title=session_title[:200],
                    description=" ".join(review.text(d) for d in details)[:4000],
                )
                session.full_clean(exclude=["slot"])
                session.save()
                created.append(session.pk)
                for position, contributor in enumerate(
                    [*slot_draft["speakers"], *slot_draft["moderators"]]
                ):
                    if contributor.get("dropped"):
                        continue
                    role = (
                        ContributorRole.MODERATOR
                        if contributor in slot_draft["moderators"]
                        else ContributorRole.SPEAKER
                    )
                    Contributor.objects.create(
                        session=session,
                        role=role,
                        name=review.text(contributor["name"])[:200],
                        position=position,
                    )
    return created


_TIME = re.compile(r"(\d{1,2})\s*(?:h|:(?=\d{2}))\s*(\d{2})?", re.IGNORECASE)
_RANGE_END = re.compile(r"\d\s*(?:h|:)\s*\d{0,2}\s*(?:[-–—]|à|au)\s*(\d{1,2}\s*(?:h|:)\s*\d{0,2})")


def _parse_time(text: str) -> time | None:
    match = _TIME.match((text or "").strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2) or 0) > 59:
        return None
    return time(int(match.group(1)), int(match.group(2) or 0))


def _session_kind(title: str, has_workshops: bool) -> str:
    folded = normalise(title)
    if has_workshops or folded.startswith("atelier"):
        return SessionKind.WORKSHOP
    if folded.startswith("table ronde"):
        return SessionKind.ROUND_TABLE
    if re.match(r"(accueil|dejeuner|repas|pause)", folded):
        return SessionKind.BREAK
    return SessionKind.PLENARY


# --- Claiming or forgetting an imported profile -----------------------------------------


def claim_token(contact: ImportedContact) -> str:
    return signing.dumps({"c": contact.pk, "k": str(contact.key)}, salt=CLAIM_SALT)


def contact_from_token(token: str) -> ImportedContact | None:
    try:
        data = signing.loads(token, salt=CLAIM_SALT, max_age=CLAIM_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    contact = (
        ImportedContact.objects.select_related("person", "document")
        .filter(pk=data.get("c"), key=data.get("k"))
        .first()
        if isinstance(data.get("c"), int) and isinstance(data.get("k"), str)
        else None
    )
    return contact


def contact_invite(*, contact: ImportedContact, actor, base_url: str) -> None:
    """E-mail an imported person a signed link to claim their profile or be forgotten."""
    person = contact.person
    if not person.email:
        raise ValidationError(_("Cette personne n'a pas d'adresse électronique."))
    if contact.status == ClaimStatus.CLAIMED:
        raise ValidationError(_("Cette personne a déjà confirmé son profil."))
    import uuid

    contact.key = uuid.uuid4()
    contact.status = ClaimStatus.INVITED
    contact.invited_at = timezone.now()
    contact.save(update_fields=["key", "status", "invited_at"])
    link = base_url.rstrip("/") + reverse("imports:claim", args=[claim_token(contact)])
    body = render_to_string(
        "imports/email/invitation.txt",
        {"person": person, "document": contact.document, "link": link},
    )
    recipient = person.email
    transaction.on_commit(
        lambda: send_mail(
            _("Votre nom figure dans un compte rendu du réseau"),
            body,
            None,
            [recipient],
        )
    )
    log_action(actor=actor, action="imports.invite", obj=person)


def contact_claim(*, contact: ImportedContact, user) -> Person:
    """The invited person confirms the profile and takes it over with their account."""
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=contact.person_id)
        if person.user_id and person.user_id != user.pk:
            raise ValidationError(_("Ce profil a déjà été confirmé par quelqu'un d'autre."))
        if Person.objects.filter(user=user).exclude(pk=person.pk).exists():
            raise ValidationError(
                _(
                    "Votre compte a déjà un profil dans l'annuaire : demandez à l'équipe "
                    "d'animation de fusionner les deux."
                )
            )
        person.user = user
        person.confirmed = True
        person.save(update_fields=["user", "confirmed", "updated_at"])
        ImportedContact.objects.filter(person=person).update(
            status=ClaimStatus.CLAIMED, claimed_at=timezone.now()
        )
        log_action(actor=user, action="imports.claim", obj=person)
    return person


def contact_forget(*, contact: ImportedContact) -> None:
    """'Forget me': the imported person is erased (their links and follow-ups with it)."""
    with transaction.atomic():
        person = Person.objects.select_for_update().filter(pk=contact.person_id).first()
        if person is None:
            return
        if person.user_id or person.confirmed:
            raise ValidationError(_("Ce profil a été confirmé : supprimez-le depuis votre compte."))
        log_action(actor=None, action="imports.forget", data={"person": person.pk})
        scrub_person(person)
        person.delete()


ERASED = "[effacé]"


def scrub_person(person: Person) -> None:
    """Remove a person's name, e-mail and phone from the stored texts and drafts of the
    imports they came from (the source must not keep what the person asked to erase)."""
    secrets = [s for s in (person.email, person.phone, person.name) if s and len(s) > 2]
    scrub_documents(ImportedContact.objects.filter(person=person).values("document_id"), secrets)


def scrub_documents(document_ids, secrets: list[str]) -> None:
    """Blank `secrets` out of the texts and drafts of the imports `document_ids`."""
    secrets = [s for s in secrets if s and len(s) > 2]
    if not secrets:
        return
    pattern = re.compile("|".join(re.escape(s) for s in secrets), re.IGNORECASE)
    for document in DocumentImport.objects.filter(pk__in=document_ids).select_for_update():
        document.text = pattern.sub(ERASED, document.text)
        document.draft = _scrub(document.draft, pattern)
        document.save(update_fields=["text", "draft"])


def _scrub(node, pattern):
    if isinstance(node, dict):
        return {k: _scrub(v, pattern) for k, v in node.items()}
    if isinstance(node, list):
        return [_scrub(v, pattern) for v in node]
    if isinstance(node, str):
        return pattern.sub(ERASED, node)
    return node


def people_of(document: DocumentImport):
    return (
        ImportedContact.objects.filter(document=document)
        .select_related("person")
        .filter(Q(person__imported=True))
    )
