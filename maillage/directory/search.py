"""What the directory puts in the search index: people, organisations, initiatives.

Visibility mirrors the querysets' `visible_to`: a profile carries its own visibility and
its owner; an organisation or initiative is public once published, and a proposal is
seen only by its author and facilitators; rejected records and the profiles of closed
accounts are not indexed at all. Contact fields (e-mail, phone, address, links) never
enter the index, so no snippet can show them.
"""

from functools import cache

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from maillage.accounts.models import User
from maillage.search.registry import Audience, Document, register

from .models import Initiative, InitiativeStatus, Moderation, Organisation, Person


@cache
def _url_parts(name: str) -> tuple[str, str]:
    # reverse() once per kind: a rebuild asks for 400,000 detail URLs.
    return tuple(reverse(name, args=[987654321]).split("987654321"))


def _url(name: str, pk: int) -> str:
    before, after = _url_parts(name)
    return f"{before}{pk}{after}"


def _ids(manager) -> list[int]:
    return [item.pk for item in manager.all()]


def _join(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def person_document(person: Person) -> Document | None:
    if person.user_id and not person.user.is_active:
        return None
    return Document(
        title=person.name,
        body=_join(
            person.presentation,
            person.drives,
            person.seeks,
            person.offers,
            person.skills_sought,
        ),
        url=_url("directory:person", person.pk),
        audience=person.visibility,
        owner_id=person.user_id,
        created_at=person.created_at,
        themes=_ids(person.themes),
        territories=_ids(person.territories),
    )


def _moderated(record, *, title: str, body: str, status: str = "") -> Document | None:
    if record.status == Moderation.REJECTED:
        return None
    territories = _ids(record.territories)
    if record.commune_id:
        territories.append(record.commune_id)
    return Document(
        title=title,
        body=body,
        url=_url(f"directory:{record._meta.model_name}", record.pk),
        audience=Audience.PUBLIC,
        published=record.status == Moderation.PUBLISHED,
        owner_id=record.created_by_id,
        status=status,
        created_at=record.created_at,
        themes=_ids(record.themes),
        territories=territories,
    )


def organisation_document(organisation: Organisation) -> Document | None:
    return _moderated(
        organisation,
        title=organisation.name,
        body=_join(str(organisation.get_kind_display()), organisation.presentation),
    )


def initiative_document(initiative: Initiative) -> Document | None:
    return _moderated(
        initiative,
        title=initiative.title,
        body=_join(initiative.summary, initiative.description, initiative.needs),
        status=initiative.progress,
    )


def _only_pks(name: str) -> Prefetch:
    # The index needs ids only: no ordering, no extra columns.
    model = {"themes": "directory.Theme", "territories": "territories.Territory"}[name]
    from django.apps import apps

    return Prefetch(name, queryset=apps.get_model(model).objects.only("pk").order_by())


def _people():
    return Person.objects.select_related("user").prefetch_related(
        _only_pks("themes"), _only_pks("territories")
    )


def _organisations():
    return Organisation.objects.prefetch_related(_only_pks("themes"), _only_pks("territories"))


def _initiatives():
    return Initiative.objects.prefetch_related(_only_pks("themes"), _only_pks("territories"))


def _profiles_of(user: User, update_fields) -> list[int]:
    # Only a change of `is_active` hides or shows a profile: a log-in (which saves
    # `last_login`) costs nothing.
    if update_fields is not None and "is_active" not in update_fields:
        return []
    return list(Person.objects.filter(user=user).values_list("pk", flat=True))


# Imported by DirectoryConfig.ready(): registering is what importing this module does.
register(
    Person,
    kind="person",
    label=_("Personnes"),
    to_document=person_document,
    queryset=_people,
    depends_on={User: _profiles_of},
)
register(
    Organisation,
    kind="organisation",
    label=_("Structures"),
    to_document=organisation_document,
    queryset=_organisations,
)
register(
    Initiative,
    kind="initiative",
    label=_("Initiatives"),
    to_document=initiative_document,
    queryset=_initiatives,
    status_labels=dict(InitiativeStatus.choices),
)
