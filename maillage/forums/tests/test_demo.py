"""The demo open forums: past forums with groups, complete reports, follow-ups and living
working groups with tasks; idempotent; and their synthesis renders."""

import io

import pytest
from django.utils.module_loading import autodiscover_modules

from maillage.accounts.tests.factories import UserFactory
from maillage.core.demo import make_context
from maillage.directory.tests.factories import aude_and_herault
from maillage.events.models import Event
from maillage.forums.models import REPORT_TEXT_FIELDS, FollowUp, Group, Task
from maillage.forums.synthesis import build_synthesis

pytestmark = pytest.mark.django_db


def _run(seed: int = 3) -> None:
    # As demo_network does: every app's demo module, in registration order.
    autodiscover_modules("demo")
    from maillage.events import demo as events_demo
    from maillage.forums import demo as forums_demo

    events_demo.generate(make_context(seed=seed, sizes={}, stdout=io.StringIO()))
    forums_demo.generate(make_context(seed=seed, sizes={}, stdout=io.StringIO()))


def test_demo_forums_are_complete_and_idempotent(facilitator):
    aude_and_herault()
    for _ in range(25):
        UserFactory()
    _run()
    forums = Event.objects.filter(kind="forum_ouvert", groups__isnull=False).distinct()
    # Our two forums and the agenda demo's food forum.
    assert forums.count() == 3
    assert all(e.is_past for e in forums)
    groups = Group.objects.filter(event__in=forums)
    assert groups.count() == 9
    for group in groups.select_related("report", "topic"):
        assert group.topic.room_id and group.topic.slot_id
        assert group.members.filter(role="carrier").exists()
        assert all(getattr(group.report, name) for name in ("question", "findings", "proposals"))
        assert group.report.revisions.count() == 1
    full = [g for g in groups if all(getattr(g.report, f) for f in REPORT_TEXT_FIELDS)]
    assert full, "at least one report fills every part of the template"
    working = Group.objects.working()
    assert working.count() >= 5
    assert not Task.objects.exclude(group__in=working).exists()
    assert {t.status for t in Task.objects.all()} == {"todo", "doing", "done"}
    assert not FollowUp.objects.filter(share_email=False, share_phone=False).exists()
    assert FollowUp.objects.filter(share_email=True, share_phone=False).exists()
    assert FollowUp.objects.filter(share_email=False, share_phone=True).exists()
    counts = (Event.objects.count(), Group.objects.count(), FollowUp.objects.count())
    _run()
    assert (Event.objects.count(), Group.objects.count(), FollowUp.objects.count()) == counts
    synthesis = build_synthesis(forums.first(), viewer=facilitator, complete=True)
    assert len(synthesis.groups) == 3 and synthesis.followup_count > 0


def test_demo_without_members_does_nothing():
    out = io.StringIO()
    autodiscover_modules("demo")
    from maillage.forums import demo

    demo.generate(make_context(seed=1, sizes={}, stdout=out))
    assert "pas assez de membres" in out.getvalue()
    assert not Group.objects.exists()
