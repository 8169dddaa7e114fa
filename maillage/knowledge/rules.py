"""Who may do what in the library (django-rules). Views check these; the access matrix
walks every view for every role."""

import rules

from maillage.accounts.rules import is_facilitator, is_member


@rules.predicate
def wrote_sheet(user, sheet) -> bool:
    return sheet is not None and user.is_authenticated and sheet.created_by_id == user.pk


@rules.predicate
def sheet_is_published(user, sheet) -> bool:
    return sheet is not None and sheet.is_published


@rules.predicate
def deposited_resource(user, resource) -> bool:
    return resource is not None and user.is_authenticated and resource.created_by_id == user.pk


rules.add_perm("knowledge.add_sheet", is_member)
rules.add_perm("knowledge.change_sheet", (is_member & wrote_sheet) | is_facilitator)
# Peers assess a sheet: its author does not grade their own experience.
rules.add_perm("knowledge.assess_sheet", is_member & sheet_is_published & ~wrote_sheet)
rules.add_perm("knowledge.manage_grids", is_facilitator)
rules.add_perm("knowledge.add_resource", is_member)
rules.add_perm("knowledge.change_resource", (is_member & deposited_resource) | is_facilitator)
rules.add_perm("knowledge.manage_collections", is_facilitator)
