"""Who may do what with the newsletter (django-rules): facilitators write and send."""

import rules

from maillage.accounts.rules import is_facilitator, is_member

rules.add_perm("newsletter.manage", is_facilitator)
rules.add_perm("newsletter.digest", is_member)
