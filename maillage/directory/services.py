"""Writes on the directory that touch several models or leave a trace in the audit log."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.forms import ModelForm
from django.utils import timezone

from maillage.core.audit import log_action
from maillage.core.models import AuditEntry

from .models import (
    ErrorReport,
    Initiative,
    JoinRequest,
    Membership,
    Moderation,
    Organisation,
    Person,
    Visibility,
)

DEFAULT_THEMES = [
    "Énergie",
    "Alimentation",
    "Mobilités",
    "Économie sociale et solidaire",
    "Cohésion sociale",
    "Participation citoyenne",
    "Numérique",
    "Culture",
    "Biodiversité",
    "Habitat",
    "Santé",
    "Éducation populaire",
    "Eau",
    "Déchets et réemploi",
    "Agriculture",
    "Coopération territoriale",
]


def themes_seed() -> int:
    """Create the default transition themes that are missing (a migration does it once;
    the demo generator calls this too, for databases flushed by tests)."""
    from django.utils.text import slugify

    from .models import Theme

    created = 0
    for position, name in enumerate(DEFAULT_THEMES):
        _, was_created = Theme.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "position": position}
        )
        created += was_created
    return created


def person_for_user(*, user) -> Person:
    """The member's own directory profile, created (private contacts) on first use."""
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person(user=user, name=user.display_name or user.get_short_name())
        person.full_clean(exclude=["photo"])
        person.save()
        log_action(actor=user, action="person.create", obj=person)
    return person


def person_create(
    *,
    actor,
    name: str,
    email: str = "",
    phone: str = "",
    visibility: str = Visibility.PRIVATE,
    imported: bool = False,
    confirmed: bool = True,
    source: str = "",
) -> Person:
    """A profile for someone without an account (an importer, a facilitator typing a
    contact in): private unless said otherwise, checked and logged like any other."""
    with transaction.atomic():
        person = Person(
            name=name,
            email=email,
            phone=phone,
            visibility=visibility,
            imported=imported,
            confirmed=confirmed,
        )
        person.full_clean(exclude=["user", "photo"])
        person.save()
        log_action(
            actor=actor,
            action="person.create",
            obj=person,
            data={"source": source} if source else None,
        )
    return person


def organisation_create(
    *,
    actor,
    name: str,
    kind: str,
    email: str = "",
    phone: str = "",
    status: str,
    source: str = "",
) -> Organisation:
    """An organisation created by a program (an import), with the checks and the audit
    entry of the form; `status` is said by the caller, never assumed published."""
    with transaction.atomic():
        organisation = Organisation(
            name=name,
            kind=kind,
            email=email,
            phone=phone,
            status=status,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        organisation.full_clean(exclude=["logo"])
        organisation.save()
        log_action(
            actor=actor,
            action="organisation.create",
            obj=organisation,
            data={"source": source} if source else None,
        )
    return organisation


def record_save(*, form: ModelForm, actor, action: str) -> models.Model:
    """Save a directory form (create or update) and log what changed.

    A new organisation or initiative from anyone but a facilitator is a proposal that
    waits for validation, as on collaborative maps.
    """
    with transaction.atomic():
        record = form.save(commit=False)
        creating = record.pk is None
        if creating and hasattr(record, "status"):
            record.status = (
                Moderation.PUBLISHED
                if getattr(actor, "is_facilitator", False)
                else Moderation.PROPOSED
            )
            if getattr(actor, "is_authenticated", False):
                record.created_by = actor
        commune = getattr(record, "commune", None)
        if hasattr(record, "latitude"):
            record.latitude = commune.latitude if commune else None
            record.longitude = commune.longitude if commune else None
        record.save()
        form.save_m2m()
        # Whoever proposes an initiative carries it, unless they say otherwise later.
        if creating and isinstance(record, Initiative) and getattr(actor, "is_member", False):
            record.carrier_people.add(person_for_user(user=actor))
        log_action(
            actor=actor,
            action=f"{action}.{'create' if creating else 'update'}",
            obj=record,
            data={"fields": sorted(form.changed_data)},
        )
    return record


def membership_add(*, organisation: Organisation, person: Person, role: str, actor) -> Membership:
    """A person says they belong to an organisation (or a network), with their role."""
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            organisation=organisation, person=person, defaults={"role": role}
        )
        if not created and membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
        log_action(
            actor=actor,
            action="organisation.member_add",
            obj=organisation,
            data={"person": person.pk, "role": role},
        )
    return membership


def membership_remove(*, membership: Membership, actor) -> None:
    with transaction.atomic():
        log_action(
            actor=actor,
            action="organisation.member_remove",
            obj=membership.organisation,
            data={"person": membership.person_id},
        )
        membership.delete()


def record_moderate(*, record, actor, accept: bool) -> None:
    """Publish or refuse a proposal. A refused proposal disappears from every list."""
    with transaction.atomic():
        record.status = Moderation.PUBLISHED if accept else Moderation.REJECTED
        record.save(update_fields=["status", "updated_at"])
        log_action(
            actor=actor,
            action=f"{record._meta.model_name}.{'publish' if accept else 'reject'}",
            obj=record,
        )


def _blank(value: Any) -> bool:
    return value in (None, "") or (hasattr(value, "name") and not value)


def records_merge(*, survivor: models.Model, duplicate: models.Model, actor) -> models.Model:
    """Merge `duplicate` into `survivor`: every link, member and history entry follows.

    The walk is generic over reverse relations (including the hidden through tables of
    many-to-many fields), so links added by later apps follow without changes here. A
    link that the survivor already has is dropped rather than doubled.
    """
    if type(survivor) is not type(duplicate) or survivor.pk == duplicate.pk:
        raise ValueError("merge needs two distinct records of the same kind")
    model = type(survivor)
    with transaction.atomic():
        moved = 0
        for relation in model._meta.get_fields(include_hidden=True):
            if not (relation.auto_created and (relation.one_to_many or relation.one_to_one)):
                continue
            field_name = relation.field.name
            for row in relation.related_model._base_manager.filter(**{field_name: duplicate}):
                setattr(row, field_name, survivor)
                try:
                    with transaction.atomic():
                        row.save()
                    moved += 1
                except IntegrityError:
                    row.delete()  # the survivor already has this link
        # Fields the survivor lacks are taken from the duplicate.
        filled = []
        for field in model._meta.concrete_fields:
            if field.primary_key or not field.editable or field.name in ("status", "created_by"):
                continue
            if _blank(getattr(survivor, field.attname)) and not _blank(
                getattr(duplicate, field.attname)
            ):
                setattr(survivor, field.attname, getattr(duplicate, field.attname))
                filled.append(field.name)
        survivor.save()
        content_type = ContentType.objects.get_for_model(model)
        AuditEntry.objects.filter(content_type=content_type, object_id=str(duplicate.pk)).update(
            object_id=str(survivor.pk)
        )
        ErrorReport.objects.filter(
            record_type=model._meta.model_name, record_id=duplicate.pk
        ).update(record_id=survivor.pk)
        description = str(duplicate)
        duplicate_pk = duplicate.pk
        duplicate.delete()
        log_action(
            actor=actor,
            action=f"{model._meta.model_name}.merge",
            obj=survivor,
            data={
                "merged": description,
                "merged_id": duplicate_pk,
                "links": moved,
                "filled": filled,
            },
        )
    return survivor


def join_request_create(
    *, initiative: Initiative, person: Person, message: str = ""
) -> JoinRequest:
    """A member asks to join an initiative; its carriers decide."""
    with transaction.atomic():
        request, created = JoinRequest.objects.get_or_create(
            initiative=initiative, person=person, defaults={"message": message}
        )
        if not created and request.state == JoinRequest.State.DECLINED:
            request.state = JoinRequest.State.PENDING
            request.message = message
            request.save(update_fields=["state", "message"])
        log_action(actor=person.user, action="initiative.join_request", obj=initiative)
    return request


def join_request_decide(*, join_request: JoinRequest, actor, accept: bool) -> None:
    with transaction.atomic():
        join_request.state = JoinRequest.State.ACCEPTED if accept else JoinRequest.State.DECLINED
        join_request.decided_at = timezone.now()
        join_request.save(update_fields=["state", "decided_at"])
        if accept:
            join_request.initiative.participants.add(join_request.person)
        log_action(
            actor=actor,
            action=f"initiative.join_{'accept' if accept else 'decline'}",
            obj=join_request.initiative,
            data={"person": join_request.person_id},
        )


def error_report_create(*, record: models.Model, message: str, reporter) -> ErrorReport:
    report = ErrorReport(
        record_type=record._meta.model_name,
        record_id=record.pk,
        record_repr=str(record)[:200],
        message=message,
        reporter=reporter if getattr(reporter, "is_authenticated", False) else None,
    )
    report.full_clean()
    report.save()
    return report


def error_report_close(*, report: ErrorReport, actor) -> None:
    report.closed_at = timezone.now()
    report.save(update_fields=["closed_at"])
    log_action(actor=actor, action="report.close", obj=report)
