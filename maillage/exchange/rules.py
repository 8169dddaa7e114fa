"""Who may do what with ads, suggestions and the atlas (django-rules). Views check
these; the access matrix walks every view for every role."""

import rules

from maillage.accounts.rules import is_facilitator, is_member


@rules.predicate
def owns_ad(user, ad) -> bool:
    return ad is not None and ad.is_owned_by(user)


@rules.predicate
def carries_initiative(user, initiative) -> bool:
    return initiative is not None and initiative.is_carried_by(user)


rules.add_perm("exchange.post_ad", is_member)
rules.add_perm("exchange.reply_ad", is_member)
rules.add_perm("exchange.change_ad", owns_ad | is_facilitator)
rules.add_perm("exchange.see_suggestions", is_member)
rules.add_perm("exchange.initiative_suggestions", (is_member & carries_initiative) | is_facilitator)
rules.add_perm("exchange.moderate", is_facilitator)
rules.add_perm("exchange.introduce", is_facilitator)
rules.add_perm("exchange.network_figures", is_facilitator)
