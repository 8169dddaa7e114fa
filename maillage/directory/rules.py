"""Who may do what in the directory (django-rules). Views check these; a matrix test
walks every view for every role."""

import rules

from maillage.accounts.rules import is_facilitator, is_member


@rules.predicate
def owns_person(user, person) -> bool:
    return person is not None and person.is_owned_by(user)


@rules.predicate
def owns_organisation(user, organisation) -> bool:
    return organisation is not None and organisation.is_owned_by(user)


@rules.predicate
def carries_initiative(user, initiative) -> bool:
    return initiative is not None and initiative.is_carried_by(user)


rules.add_perm("directory.edit_profile", is_member)
rules.add_perm("directory.change_person", owns_person | is_facilitator)
rules.add_perm("directory.change_organisation", owns_organisation | is_facilitator)
rules.add_perm("directory.change_initiative", carries_initiative | is_facilitator)
rules.add_perm("directory.decide_join", carries_initiative | is_facilitator)
rules.add_perm("directory.join_initiative", is_member)
rules.add_perm("directory.join_organisation", is_member)
rules.add_perm("directory.moderate", is_facilitator)
rules.add_perm("directory.merge", is_facilitator)
rules.add_perm("directory.manage_themes", is_facilitator)
