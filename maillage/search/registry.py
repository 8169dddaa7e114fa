"""The registry of searchable document types: each app says what it puts in the index.

An app calls, from its `AppConfig.ready()`:

    search.registry.register(
        Initiative, kind="initiative", label=_("Initiatives"),
        to_document=initiative_document,          # record -> Document, or None
        queryset=lambda: Initiative.objects.for_list(),
    )

and the index then follows the model on its own: `post_save` and `post_delete`, and
`m2m_changed` on its `themes` and `territories` (or the fields named in `m2m`).
`depends_on` lists other models whose changes alter a document (a user deactivated hides
their profile). Bulk writes bypass signals: `manage.py rebuild_search_index` catches up.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.functional import Promise


class Audience:
    """Who may read a document (its owner and facilitators always may)."""

    PUBLIC = "public"
    MEMBERS = "members"
    PRIVATE = "private"


@dataclass
class Document:
    """What the index stores about one record. Never put e-mails, phones or addresses
    here: everything in `title` and `body` may be shown in a snippet."""

    title: str
    body: str = ""
    url: str = ""
    audience: str = Audience.PUBLIC
    # False for a proposal waiting for validation: only its owner and facilitators see it.
    published: bool = True
    owner_id: int | None = None
    status: str = ""
    created_at: datetime | None = None
    themes: Iterable[int] = ()
    # Where the record acts; the index adds every territory above (its EPCI, département,
    # région) so that filtering on the Aude finds what acts in Carcassonne.
    territories: Iterable[int] = ()


@dataclass
class DocumentType:
    model: type[models.Model]
    kind: str
    label: str | Promise
    to_document: Callable[[models.Model], Document | None]
    queryset: Callable[[], models.QuerySet]
    m2m: tuple[str, ...] = ("themes", "territories")
    depends_on: dict = field(default_factory=dict)
    status_labels: dict = field(default_factory=dict)


_types: dict[str, DocumentType] = {}


def register(
    model: type[models.Model],
    *,
    kind: str,
    label: str | Promise,
    to_document: Callable[[models.Model], Document | None],
    queryset: Callable[[], models.QuerySet],
    m2m: tuple[str, ...] = ("themes", "territories"),
    depends_on: dict[type[models.Model], Callable[..., Iterable[int]]] | None = None,
    status_labels: dict | None = None,
) -> None:
    """Make `model` searchable as documents of `kind` and keep the index current.

    `depends_on` maps another model to a function `(instance, update_fields) -> pks` of
    the records of `model` whose documents a save of that instance changes.
    `status_labels` names the `status` values that the status facet shows (an
    initiative's progress).
    """
    if kind in _types:
        return
    doc_type = DocumentType(
        model, kind, label, to_document, queryset, m2m, depends_on or {}, status_labels or {}
    )
    _types[kind] = doc_type
    uid = f"search-{kind}"
    post_save.connect(_on_save, sender=model, dispatch_uid=f"{uid}-save", weak=False)
    post_delete.connect(_on_delete, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
    for name in m2m:
        through = model._meta.get_field(name).remote_field.through
        m2m_changed.connect(_on_m2m, sender=through, dispatch_uid=f"{uid}-{name}", weak=False)
    for other, pks_of in doc_type.depends_on.items():

        def _on_dependency(sender, instance, doc_type=doc_type, pks_of=pks_of, **kwargs):
            from .index import index_pks

            if not kwargs.get("raw"):
                index_pks(doc_type, list(pks_of(instance, kwargs.get("update_fields"))))

        post_save.connect(
            _on_dependency,
            sender=other,
            dispatch_uid=f"{uid}-dep-{other._meta.label}",
            weak=False,
        )


def types() -> list[DocumentType]:
    return list(_types.values())


def get(kind: str) -> DocumentType | None:
    return _types.get(kind)


def for_model(model: type[models.Model]) -> DocumentType | None:
    for doc_type in _types.values():
        if issubclass(model, doc_type.model):
            return doc_type
    return None


def _on_save(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures loading: rebuild afterwards
        return
    from .index import index_pks

    index_pks(for_model(sender), [instance.pk])


def _on_delete(sender, instance, **kwargs):
    from .index import remove

    remove(for_model(sender), [instance.pk])


def _on_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from .index import index_pks

    if not reverse:
        index_pks(for_model(type(instance)), [instance.pk])
        return
    # theme.initiatives.add(...): `model` is the indexed model, `pk_set` its records.
    doc_type = for_model(model)
    if doc_type and pk_set:
        index_pks(doc_type, list(pk_set))
