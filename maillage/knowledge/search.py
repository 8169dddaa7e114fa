"""What the library puts in the search index: experience sheets and resources.

Audiences mirror the querysets' `visible_to`: a sheet is found by its audience once
published (a draft only by its author and facilitators); a resource by its audience,
except a working group's resource, which is never indexed.
The sheet's outcome is its `status`, so the search's status facet can show « Ça n'a pas
marché ». Obstacles and tips are written after the sheet's first save: the services
reindex the sheet once they are written (`services._reindex`).
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from maillage.search.registry import Document, register

from .models import OUTCOME_LEADS, ExperienceSheet, Outcome, Resource, ResourceAudience


def _ids(manager) -> list[int]:
    return [item.pk for item in manager.all()]


def _join(*parts) -> str:
    return "\n".join(str(p) for p in parts if p)


def sheet_document(sheet: ExperienceSheet) -> Document | None:
    return Document(
        title=sheet.title,
        body=_join(
            OUTCOME_LEADS[Outcome(sheet.outcome)],
            sheet.summary,
            sheet.context,
            sheet.actions,
            sheet.results,
            sheet.differently,
            *(item.text for item in sheet.items.all()),
        ),
        url=sheet.get_absolute_url(),
        audience=sheet.visibility,
        published=sheet.is_published,
        owner_id=sheet.created_by_id,
        status=sheet.outcome,
        created_at=sheet.created_at,
        themes=_ids(sheet.themes),
        territories=_ids(sheet.territories),
    )


def resource_document(resource: Resource) -> Document | None:
    # The index's audiences (public, members, private) cannot say "the members of this
    # working group": a group's resource stays out of the index altogether, so that no
    # one else finds it or sees it counted in a facet.
    if resource.visibility == ResourceAudience.GROUP:
        return None
    # The licence leads the snippet: it is shown wherever the resource is.
    return Document(
        title=resource.title,
        body=_join(
            _("Licence : %(licence)s") % {"licence": resource.get_licence_display()},
            _("%(kind)s de %(author)s")
            % {"kind": resource.get_kind_display(), "author": resource.author},
            resource.description,
        ),
        url=resource.get_absolute_url(),
        audience=resource.visibility,
        owner_id=resource.created_by_id,
        created_at=resource.created_at,
        themes=_ids(resource.themes),
        territories=_ids(resource.territories),
    )


def _only_pks(name: str) -> Prefetch:
    from django.apps import apps

    model = {"themes": "directory.Theme", "territories": "territories.Territory"}[name]
    return Prefetch(name, queryset=apps.get_model(model).objects.only("pk").order_by())


def _sheets():
    return ExperienceSheet.objects.prefetch_related(
        _only_pks("themes"), _only_pks("territories"), "items"
    )


def _resources():
    return Resource.objects.prefetch_related(_only_pks("themes"), _only_pks("territories"))


# Imported by KnowledgeConfig.ready(): registering is what importing this module does.
register(
    ExperienceSheet,
    kind="sheet",
    label=_("Fiches d'expérience"),
    to_document=sheet_document,
    queryset=_sheets,
    status_labels=dict(Outcome.choices),
)
register(
    Resource,
    kind="resource",
    label=_("Ressources"),
    to_document=resource_document,
    queryset=_resources,
)
