"""Who may do what with accounts and the charter (django-rules)."""

import rules


@rules.predicate
def is_member(user) -> bool:
    return bool(getattr(user, "is_member", False))


@rules.predicate
def is_facilitator(user) -> bool:
    return bool(getattr(user, "is_facilitator", False))


@rules.predicate
def is_network_admin(user) -> bool:
    return bool(getattr(user, "is_network_admin", False))


rules.add_perm("accounts.edit_charter", is_network_admin)
rules.add_perm("accounts.view_audit_log", is_facilitator)
