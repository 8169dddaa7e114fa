"""Template helpers shared by every app."""

import markdown as md
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

_ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "hr",
}


@register.filter(name="markdown")
def render_markdown(text: str) -> str:
    """Render a member's Markdown as sanitised HTML (no raw HTML, no scripts)."""
    html = md.markdown(text or "", extensions=["sane_lists"])
    cleaned = nh3.clean(html, tags=_ALLOWED_TAGS, attributes={"a": {"href", "title"}})
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 just above
