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
