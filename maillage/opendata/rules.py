"""Who may do what with open data (django-rules). Reading is public; importing a
GoGoCarto map is for facilitators; the licence and webhooks are set by admins in the
admin site."""

import rules

from maillage.accounts.rules import is_facilitator

rules.add_perm("opendata.import_gogocarto", is_facilitator)
