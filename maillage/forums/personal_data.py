"""What the forums know about a person: topics proposed, groups joined, follow-ups with
the consent to share contacts, tasks. Exported with the account; on erasure the
follow-ups (and so the consent and the shared contacts) and the memberships are deleted,
topics lose their proposer and tasks their owner. The reports stay: they are the group's
work, and their revisions only point at an account that is itself anonymised."""

from maillage.accounts import personal_data

from .models import FollowUp, GroupMember, Task, Topic


def _iso(value):
    return value.isoformat() if value else None


def export(user) -> dict:
    return {
        "topics": [
            {
                "event": topic.event.title,
                "title": topic.title,
                "question": topic.question,
                "proposer_name": topic.proposer_name,
                "status": topic.status,
                "proposed_at": _iso(topic.created_at),
            }
            for topic in Topic.objects.filter(proposed_by=user).select_related("event")
        ],
        "groups": [
            {"group": str(member.group), "event": member.group.event.title, "role": member.role}
            for member in GroupMember.objects.filter(user=user).select_related("group__event")
        ],
        "followups": [
            {
                "group": str(followup.group),
                "share_email": followup.share_email,
                "share_phone": followup.share_phone,
                "shared_contacts": followup.shared_contacts(),
                "message": followup.message,
                "consented_at": _iso(followup.consented_at),
            }
            for followup in FollowUp.objects.filter(user=user).select_related(
                "group", "user__person"
            )
        ],
        "tasks": [
            {"group": str(task.group), "title": task.title, "status": task.status}
            for task in Task.objects.filter(owner=user).select_related("group")
        ],
    }


def erase(user) -> None:
    FollowUp.objects.filter(user=user).delete()
    GroupMember.objects.filter(user=user).delete()
    Topic.objects.filter(proposed_by=user).update(proposed_by=None, proposer_name="")
    Task.objects.filter(owner=user).update(owner=None)


personal_data.register("forums", export, erase)
