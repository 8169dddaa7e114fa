"""`{% event_forum event as forum %}`: the topics and groups of an event, for the block
that the event page includes (`forums/_event_block.html`)."""

from django import template
from django.utils.translation import gettext_lazy as _

from maillage.forums.models import Group, Report, Topic
from maillage.forums.services import accepts_topics

register = template.Library()


@register.simple_tag(takes_context=True)
def event_forum(context, event) -> dict:
    """Groups (with their report) and the count of proposed topics: 2 queries."""
    groups = list(
        Group.objects.filter(event=event)
        .select_related("topic__room", "topic__slot", "report")
        .with_counts()
    )
    for group in groups:
        try:
            group.the_report = group.report
        except Report.DoesNotExist:
            group.the_report = None
    proposed = Topic.objects.filter(event=event).proposed().count()
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "groups": groups,
        "proposed_count": proposed,
        "accepts_topics": accepts_topics(event),
        "can_arrange": bool(user and user.has_perm("forums.arrange", event)),
    }


def name_of(user) -> str:
    """What to call a person on a page: their display name, never their e-mail (which
    `str(user)` falls back on)."""
    if user is None:
        return ""
    return user.display_name or str(_("Membre du réseau"))


@register.filter
def public_name(user) -> str:
    return name_of(user)
