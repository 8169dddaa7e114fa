"""Who may do what with open forums and working groups (django-rules).

- Anyone may read the topics, groups and reports of a published event (a draft event's
  are for facilitators); names of participants, the history and the working-group page
  are for members of the network.
- Members propose topics, join groups and sign up to follow up.
- Facilitators, and the admins of the event's organising structures, arrange the grid.
- A group's carriers, participants and followers edit its report with facilitators.
- Followers (and carriers) run the working group: meeting, tasks, documents. Shared
  contacts and the online meeting link are for followers and facilitators only.
"""

import rules

from maillage.accounts.rules import is_facilitator, is_member


def _event_of(obj):
    return getattr(obj, "event", obj)


@rules.predicate
def is_event_organiser(user, obj) -> bool:
    """An admin of one of the structures organising the event (of the group)."""
    event = _event_of(obj)
    if event is None or not getattr(user, "is_member", False):
        return False
    return event.organisers.filter(
        memberships__person__user=user, memberships__is_admin=True
    ).exists()


@rules.predicate
def is_group_member(user, group) -> bool:
    if group is None or not getattr(user, "is_member", False):
        return False
    return group.members.filter(user=user).exists()


@rules.predicate
def is_carrier(user, group) -> bool:
    if group is None or not getattr(user, "is_member", False):
        return False
    return group.members.filter(user=user, role="carrier").exists()


@rules.predicate
def is_follower(user, group) -> bool:
    if group is None or not getattr(user, "is_member", False):
        return False
    return group.followups.filter(user=user).exists()


@rules.predicate
def event_is_public(user, obj) -> bool:
    event = _event_of(obj)
    return event is not None and event.status != "draft"


can_arrange = is_facilitator | is_event_organiser

rules.add_perm("forums.view", is_facilitator | event_is_public)
rules.add_perm("forums.propose_topic", is_member)
rules.add_perm("forums.arrange", can_arrange)
rules.add_perm("forums.join", is_member)
rules.add_perm("forums.view_people", is_member)
rules.add_perm("forums.edit_report", can_arrange | is_group_member | is_follower)
rules.add_perm("forums.follow_up", is_member)
rules.add_perm("forums.see_contacts", is_facilitator | is_follower)
rules.add_perm("forums.work", is_facilitator | is_follower | is_carrier)
rules.add_perm("forums.close", can_arrange | is_carrier)
