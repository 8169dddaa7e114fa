"""Who may do what with events (django-rules). Views check these; the access matrix
walks every view for every role."""

import rules

from maillage.accounts.rules import is_facilitator, is_member

rules.add_perm("events.register", is_member)
rules.add_perm("events.manage", is_facilitator)
rules.add_perm("events.view_participants", is_facilitator)
