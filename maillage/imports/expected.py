"""Compare a draft with an `*.expected.json` file: what a good import of a document yields.

Used by the test suite on the project's own documents (`tests/corpus/`) and by
`manage.py import_document FILE --dry-run --expect FILE.expected.json`, which CI runs on
the sample folder beside the project when there is one (see `.ci/run`); this module
reads no file itself. `compare()` returns the differences as sentences
(empty when the draft meets the file); names are compared with case, accents and
punctuation folded. The schema of an expected file is described in
`docs/import-draft.md`.
"""

import re

from maillage.core.text import normalise

from . import review
from .contacts import EMAIL, find_phones

BULLETS = re.compile(r"^[\s\ue000-\uf8ff•▪◦●‣►■□➢➤✓✔→·*–—-]")


def _v(node):
    return review.value(node)


def _n(text) -> str:
    return normalise(str(text or ""))


class _Diff:
    def __init__(self):
        self.errors: list[str] = []

    def eq(self, where: str, got, want) -> None:
        if got != want:
            self.errors.append(f"{where}: got {got!r}, expected {want!r}")

    def same_names(self, where: str, got, want) -> None:
        self.eq(where, [_n(g) for g in got], [_n(w) for w in want])

    def true(self, where: str, condition: bool, detail: str = "") -> None:
        if not condition:
            self.errors.append(f"{where}{': ' + detail if detail else ''}")


def compare(draft: dict, expected: dict) -> list[str]:
    diff = _Diff()
    diff.eq("kind", draft["kind"], expected["kind"])
    if draft["kind"] == expected["kind"]:
        CHECKS[expected["kind"]](diff, draft, expected)
    _never(diff, draft)
    return diff.errors


def _never(diff: _Diff, draft: dict) -> None:
    """What no draft may hold, whatever the document (the samples' `must_not`)."""
    for key, node in review.walk(draft):
        value = node.get("value") if "value" in node else None
        if value not in (None, ""):
            diff.true(f"{key} {node['id']} points to no line", bool(node.get("lines")))
        if isinstance(value, str):
            diff.true(f"{key} starts with a bullet", not BULLETS.match(value), repr(value))
            diff.true(f"{key} holds a private-use glyph", not re.search("[\ue000-\uf8ff]", value))
    for contact in review.contacts(draft):
        for field in ("name", "organisation", "also_known_as"):
            text = review.text(contact.get(field))
            diff.true(f"contact {field} is an address", not EMAIL.search(text), text)
            diff.true(f"contact {field} is a phone", not find_phones(text), text)
            diff.true(f"contact {field} has digits", not re.search(r"\d{3}", text), text)
        organisation = review.text(contact.get("organisation"))
        diff.true(
            "organisation named after a person in brackets", "(" not in organisation, organisation
        )
    for group in draft.get("groups", []):
        for part in ("continue", "stop", "with"):
            for item in review.kept(group.get("role", {}).get(part, [])):
                text = _n(review.text(item))
                diff.true(
                    f"role {part} holds header words",
                    not re.search(r"avancer reflechir|personnes structures|non rempli", text),
                    text,
                )


def _contact_fields(contact: dict) -> dict:
    fields = review.contact_fields(contact)
    emails = [fields["email"]] if fields["email"] else []
    emails += [review.text(e).lower() for e in review.kept(contact.get("other_emails", []))]
    return {
        "name": fields["name"],
        "also_known_as": review.text(contact.get("also_known_as")),
        "organisation": fields["organisation"],
        "emails": emails,
        "phone": fields["phone"],
        "interests": review.text(contact.get("interests")),
    }


def _follow_up(diff: _Diff, where: str, contacts: list, wanted: list) -> None:
    got = [_contact_fields(c) for c in review.kept(contacts)]
    diff.eq(
        f"{where} follow-up count",
        len(got),
        len(wanted),
    )
    for index, (contact, want) in enumerate(zip(got, wanted, strict=False), start=1):
        here = f"{where} contact {index}"
        want_emails = want.get("emails") or ([want["email"]] if want.get("email") else [])
        diff.eq(
            f"{here} e-mails", sorted(contact["emails"]), sorted(e.lower() for e in want_emails)
        )
        for field in ("name", "also_known_as", "organisation", "interests"):
            diff.eq(f"{here} {field}", _n(contact[field]), _n(want.get(field, "")))
        diff.eq(
            f"{here} phone",
            re.sub(r"\D", "", contact["phone"]),
            re.sub(r"\D", "", want.get("phone", "")),
        )


def _forum(diff: _Diff, draft: dict, expected: dict) -> None:
    event = draft["event"]
    if "event" in expected:
        want = expected["event"]
        diff.true("event title", _n(want["title_contains"]) in _n(_v(event["title"])))
        diff.eq("event place", _v(event["place"]), want.get("place"))
        diff.eq("event date", _v(event["date"]), want.get("date"))
    groups = review.kept(draft["groups"])
    diff.eq(
        "group numbers",
        [_v(g["number"]) for g in groups],
        [g["number"] for g in expected["groups"]],
    )
    for group, wanted in zip(groups, expected["groups"], strict=False):
        where = f"group {wanted['number']}"
        diff.eq(f"{where} title", _v(group["title"]), wanted["title"])
        if "follow_up_declared" in wanted:
            diff.eq(
                f"{where} declared", _v(group["follow_up_declared"]), wanted["follow_up_declared"]
            )
        if "resource_person" in wanted:
            diff.eq(
                f"{where} resource person", _v(group["resource_person"]), wanted["resource_person"]
            )
        for proposal in wanted.get("proposals_include", []):
            items = [
                _v(i) for s in group["sections"] if s["category"] == "proposals" for i in s["items"]
            ]
            diff.true(f"{where} proposal « {proposal} »", proposal in items, repr(items))
        if "role" in wanted:
            for part, key in (("continue", "continue"), ("not_further", "stop"), ("with", "with")):
                got = [review.text(i) for i in review.kept(group["role"][key])]
                diff.eq(f"{where} role {part}", got, wanted["role"].get(part, []))
        if "follow_up" in wanted:
            _follow_up(diff, where, group["follow_up"], wanted["follow_up"])
        if "reviewer_must_see" in wanted:
            number = wanted["number"]
            diff.true(
                f"{where}: the reviewer is told the count differs",
                any(
                    q["code"] == "follow_up_count" and q["params"].get("group") == number
                    for q in draft["reviewer_questions"]
                ),
            )
    stats = draft["stats"]
    if "distinct_email_addresses" in expected:
        diff.eq("distinct e-mails", stats["distinct_emails"], expected["distinct_email_addresses"])
    if "distinct_follow_up_people" in expected:
        diff.eq(
            "distinct people",
            stats["distinct_follow_up_people"],
            expected["distinct_follow_up_people"],
        )


def _workshop(diff: _Diff, draft: dict, expected: dict) -> None:
    diff.true("title", expected["title_contains"] in (_v(draft["event"]["title"]) or ""))
    groups = review.kept(draft["groups"])
    diff.eq("one group", len(groups), 1)
    if not groups:
        return
    group = groups[0]
    diff.eq("question", _v(group["question"]), expected["question"])
    diff.same_names("carriers", [_v(c) for c in group["carriers"]], expected["carriers"])
    diff.same_names(
        "participants", [_v(p) for p in group["participants"]], expected["participants"]
    )
    findings = [_v(i) for s in group["sections"] if s["category"] == "findings" for i in s["items"]]
    for finding in expected.get("findings_include", []):
        diff.true(f"finding « {finding} »", any(finding in f for f in findings), repr(findings))
    speakers = {_v(d["speaker"]) for d in group["discussion"] if d["speaker"]}
    missing = set(expected.get("discussion_speakers_include", [])) - speakers
    diff.true("discussion speakers", not missing, repr(missing))


def _webinar(diff: _Diff, draft: dict, expected: dict) -> None:
    event = draft["event"]
    diff.true("title", expected["title_contains"] in (_v(event["title"]) or ""))
    diff.eq("date", _v(event["date"]), expected["date"])
    diff.same_names("organisers", [_v(o) for o in event["organisers"]], [expected["organiser"]])
    diff.same_names(
        "participants",
        [_v(p["organisation"]) for p in draft["participants"]],
        expected["participants"],
    )
    diff.eq("experiences", len(draft["experiences"]), len(expected["experiences"]))
    for got, want in zip(draft["experiences"], expected["experiences"], strict=False):
        where = f"experience {want['actor']}"
        diff.eq(f"{where} actor", _n(_v(got["actor"])), _n(want["actor"]))
        diff.eq(f"{where} obstacles", len(got["obstacles"]), want["obstacles"])
        diff.eq(f"{where} tips", len(got["tips"]), want["tips"])
        diff.eq(f"{where} questions", len(got["questions"]), want.get("questions", 0))
    diff.eq("links", [_v(link["url"]) for link in draft["links"]], expected["links"])
    if "contact_email" in expected:
        diff.eq(
            "contact e-mails", [_v(e) for e in draft["contact_emails"]], [expected["contact_email"]]
        )


def _programme(diff: _Diff, draft: dict, expected: dict) -> None:
    organisers = [_v(o) or "" for o in draft["event"]["organisers"]]
    diff.true(
        "organiser", any(expected["organiser_contains"] in o for o in organisers), repr(organisers)
    )
    diff.eq("days", len(draft["days"]), len(expected["days"]))
    for day, want in zip(draft["days"], expected["days"], strict=False):
        where = f"day {want['label']}"
        diff.eq(f"{where} label", _v(day["label"]), want["label"])
        diff.eq(f"{where} title", _v(day["title"]), want["title"])
        if "date" in want or not want.get("year_written"):
            diff.eq(f"{where} date", _v(day["date"]), want.get("date"))
        slots = day["slots"]
        if "first_slot" in want:
            diff.eq(
                f"{where} first slot", _v(slots[0]["time"]) if slots else None, want["first_slot"]
            )
        if "workshops" in want:
            diff.eq(
                f"{where} workshops", sum(len(s["workshops"]) for s in slots), want["workshops"]
            )
        if "speakers" in want or "moderators" in want:
            speakers = [_v(s["name"]) for slot in slots for s in slot["speakers"]]
            moderators = [_v(m["name"]) for slot in slots for m in slot["moderators"]]
            diff.eq(f"{where} speakers", speakers, want.get("speakers", []))
            diff.eq(f"{where} moderators", moderators, want.get("moderators", []))
        if "slots" in want:
            got = [
                {
                    "time": _v(s["time"]),
                    "end_time": _v(s.get("end_time")),
                    "title": _v(s["title"]),
                }
                for s in slots
            ]
            diff.eq(f"{where} slots", len(got), len(want["slots"]))
            for slot, wanted in zip(got, want["slots"], strict=False):
                for key in ("time", "end_time", "title"):
                    if key in wanted:
                        diff.eq(f"{where} {wanted.get('time')} {key}", slot[key], wanted[key])
    if not all(d.get("date") for d in expected["days"]):
        diff.true(
            "the reviewer is asked for the year",
            any(q["code"] == "year_missing" for q in draft["reviewer_questions"]),
        )


def _launch(diff: _Diff, draft: dict, expected: dict) -> None:
    event = draft["event"]
    for key in ("date", "place", "participants_count", "excused_count"):
        if key in expected:
            diff.eq(key, _v(event[key]), expected[key])
    if "objectives" in expected:
        diff.eq("objectives", [_v(o["title"]) for o in draft["objectives"]], expected["objectives"])


CHECKS = {
    "open_forum_synthesis": _forum,
    "workshop_report": _workshop,
    "webinar_report": _webinar,
    "programme": _programme,
    "launch_report": _launch,
}
