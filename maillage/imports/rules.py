"""Who may do what with imports (django-rules): facilitators import and review; the
claim page is reached with a signed link, whoever holds it."""

import rules

from maillage.accounts.rules import is_facilitator

rules.add_perm("imports.manage", is_facilitator)
