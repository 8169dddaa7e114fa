"""Compare a draft with a sample's `*.expected.json` (names compared normalised)."""

from maillage.core.text import normalise
from maillage.imports import review


def v(node):
    return review.value(node)


def names(nodes) -> set[str]:
    return {normalise(review.text(n)) for n in nodes}


def check(draft: dict, expected: dict) -> None:
    assert draft["kind"] == expected["kind"]
    CHECKS[expected["kind"]](draft, expected)
    _nothing_invented(draft)


def _nothing_invented(draft: dict) -> None:
    """Every value points to at least one line, and the lines exist."""
    for key, node in review.walk(draft):
        if "value" in node and node["value"] not in (None, ""):
            assert node["lines"], (key, node)


def _forum(draft, expected):
    event = draft["event"]
    assert expected["event"]["title_contains"] in v(event["title"])
    assert v(event["place"]) == expected["event"]["place"]
    assert v(event["date"]) == expected["event"]["date"]
    groups = draft["groups"]
    assert [v(g["number"]) for g in groups] == [g["number"] for g in expected["groups"]]
    for group, wanted in zip(groups, expected["groups"], strict=True):
        assert v(group["title"]) == wanted["title"]
        assert v(group["follow_up_declared"]) == wanted["follow_up_declared"]
        if "resource_person" in wanted:
            assert v(group["resource_person"]) == wanted["resource_person"]
        for proposal in wanted.get("proposals_include", []):
            items = [
                v(i) for s in group["sections"] if s["category"] == "proposals" for i in s["items"]
            ]
            assert proposal in items
        got = [review.contact_fields(c) for c in group["follow_up"]]
        assert len(got) == len(wanted["follow_up"]), (got, wanted["follow_up"])
        for contact, want in zip(got, wanted["follow_up"], strict=True):
            for field in ("name", "organisation", "email", "phone"):
                assert normalise(contact[field]) == normalise(want.get(field, "")), (
                    field,
                    contact,
                    want,
                )
    assert draft["stats"]["distinct_emails"] == expected["distinct_email_addresses"]
    assert draft["stats"]["distinct_follow_up_people"] == expected["distinct_follow_up_people"]
    # No contact from a mailto: line alone, and no address that is not in the text.
    for contact in review.contacts(draft):
        assert contact["name"] or contact["organisation"]


def _workshop(draft, expected):
    assert expected["title_contains"] in v(draft["event"]["title"])
    (group,) = draft["groups"]
    assert v(group["question"]) == expected["question"]
    assert [normalise(v(c)) for c in group["carriers"]] == [
        normalise(n) for n in expected["carriers"]
    ]
    assert [normalise(v(p)) for p in group["participants"]] == [
        normalise(n) for n in expected["participants"]
    ]
    findings = [v(i) for s in group["sections"] if s["category"] == "findings" for i in s["items"]]
    for finding in expected["findings_include"]:
        assert any(finding in f for f in findings), findings
    speakers = {v(d["speaker"]) for d in group["discussion"] if d["speaker"]}
    assert set(expected["discussion_speakers_include"]) <= speakers


def _webinar(draft, expected):
    event = draft["event"]
    assert expected["title_contains"] in v(event["title"])
    assert v(event["date"]) == expected["date"]
    assert names(event["organisers"]) == {normalise(expected["organiser"])}
    assert [normalise(v(p["organisation"])) for p in draft["participants"]] == [
        normalise(n) for n in expected["participants"]
    ]
    assert len(draft["experiences"]) == len(expected["experiences"])
    for got, want in zip(draft["experiences"], expected["experiences"], strict=True):
        assert normalise(v(got["actor"])) == normalise(want["actor"])
        assert len(got["obstacles"]) == want["obstacles"]
        assert len(got["tips"]) == want["tips"]
        assert len(got["questions"]) == want.get("questions", 0)
    assert [v(link["url"]) for link in draft["links"]] == expected["links"]
    assert [v(e) for e in draft["contact_emails"]] == [expected["contact_email"]]


def _programme(draft, expected):
    assert any(expected["organiser_contains"] in v(o) for o in draft["event"]["organisers"])
    assert len(draft["days"]) == len(expected["days"])
    for day, want in zip(draft["days"], expected["days"], strict=True):
        assert v(day["label"]) == want["label"]
        assert v(day["title"]) == want["title"]
        # The year is not written: the date stays empty and the reviewer is asked.
        assert v(day["date"]) is None
        assert v(day["slots"][0]["time"]) == want["first_slot"]
        assert sum(len(s["workshops"]) for s in day["slots"]) == want["workshops"]
        speakers = [v(s["name"]) for slot in day["slots"] for s in slot["speakers"]]
        moderators = [v(m["name"]) for slot in day["slots"] for m in slot["moderators"]]
        assert speakers == want.get("speakers", [])
        assert moderators == want.get("moderators", [])
    assert any("année" in q for q in draft["reviewer_questions"])


def _launch(draft, expected):
    event = draft["event"]
    assert v(event["date"]) == expected["date"]
    assert v(event["place"]) == expected["place"]
    assert v(event["participants_count"]) == expected["participants_count"]
    assert v(event["excused_count"]) == expected["excused_count"]
    assert [v(o["title"]) for o in draft["objectives"]] == expected["objectives"]


CHECKS = {
    "open_forum_synthesis": _forum,
    "workshop_report": _workshop,
    "webinar_report": _webinar,
    "programme": _programme,
    "launch_report": _launch,
}
