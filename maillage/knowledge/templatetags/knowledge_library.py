"""`{% library_for record as lib %}`: the sheets and resources attached to an initiative,
an event or a forums group, as `knowledge/_attached.html` shows them on those pages.

Only what the viewer may see (`visible_to`), in two queries whatever their number; the
links to add one come pre-filled with the record, for those allowed to add.
"""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from maillage.knowledge.models import ExperienceSheet, Resource

register = template.Library()

# The FK of sheets and resources for each kind of record, and the GET parameter that
# pre-fills the create forms (the keys `_attach_from` reads).
_TARGETS = {
    "directory.initiative": ("initiative", "initiative"),
    "events.event": ("event", "rencontre"),
    "forums.group": ("group", "groupe"),
}


@register.simple_tag(takes_context=True)
def library_for(context, record) -> dict:
    """The library attached to `record`: `sheets`, `resources` and the `add_*` links
    (empty when the viewer may not add, or for a record the library does not attach to)."""
    target = _TARGETS.get(getattr(getattr(record, "_meta", None), "label_lower", ""))
    request = context.get("request")
    user = getattr(request, "user", None)
    if target is None or user is None or not record.pk:
        return {"sheets": [], "resources": [], "record": record}
    field, param = target
    sheets = list(ExperienceSheet.objects.visible_to(user).filter(**{f"{field}_id": record.pk}))
    resources = list(Resource.objects.visible_to(user).filter(**{f"{field}_id": record.pk}))
    query = "?" + urlencode({param: record.pk})
    lib = {"sheets": sheets, "resources": resources, "record": record}
    if user.has_perm("knowledge.add_resource"):
        lib["add_resource_url"] = reverse("knowledge:resource_create") + query
    if user.has_perm("knowledge.add_sheet"):
        lib["add_sheet_url"] = reverse("knowledge:sheet_create") + query
        if field == "group":
            lib["sheet_from_group_url"] = reverse(
                "knowledge:sheet_from_group", kwargs={"group_pk": record.pk}
            )
    return lib
