"""Filters of the review page: a draft value as the reviewer types it."""

from django import template

from maillage.imports import review

register = template.Library()


@register.filter
def shown(node) -> str:
    return review.display(node)


@register.filter
def lines_label(node) -> str:
    lines = node.get("lines", []) if isinstance(node, dict) else []
    return ", ".join(str(n) for n in lines)


@register.filter
def match_of(matches, contact_id) -> str:
    return (matches or {}).get(contact_id, "")


@register.filter
def question(item) -> str:
    """A reviewer question in the reader's language."""
    return review.question_text(item)


@register.simple_tag
def role_parts(group) -> list[tuple[str, str, list]]:
    """The three parts of a group's role: (key, label, items)."""
    role = group.get("role", {}) if isinstance(group, dict) else {}
    parts = []
    for key in review.ROLE_PARTS:
        items = role.get(key) or []
        parts.append((key, review.ROLE_LABELS[key], items if isinstance(items, list) else [items]))
    return parts


@register.simple_tag
def move_targets(group, here) -> list[tuple[str, str]]:
    """Where an item of `group` can go, except `here` (a role part or a section id)."""
    targets = [(key, str(label)) for key, label in review.ROLE_LABELS.items() if key != here]
    for section in group.get("sections", []):
        if section["id"] != here:
            targets.append((section["id"], section["title"]))
    return targets


@register.filter
def other_contacts(group, contact) -> list[dict]:
    """The group's other kept contacts, for « the same person as… »."""
    return [
        c
        for c in group.get("follow_up", [])
        if c.get("id") != contact.get("id") and not c.get("dropped")
    ]


@register.filter
def contact_label(contact) -> str:
    fields = review.contact_fields(contact)
    return fields["name"] or fields["organisation"] or fields["email"] or contact.get("id", "")


@register.filter
def kind_label(kind) -> str:
    return str(review.KIND_LABELS.get(kind, kind or ""))


@register.filter
def ignored_reason(reason) -> str:
    return str(review.IGNORED_REASONS.get(reason, reason or ""))
