"""`{% load exchange_tags %}{% unread_notifications as n %}`: the notification badge."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """How many unread notifications the page's user has (0 for visitors)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return 0
    return user.notifications.unread().count()
