"""Generated input never makes the forums' forms answer a server error."""

from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from maillage.accounts.tests.factories import UserFactory
from maillage.forums import services
from maillage.forums.models import REPORT_TEXT_FIELDS
from maillage.forums.tests.factories import forum

anything = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        ["", " ", "\x00", "0", "-1", "1:1", "x" * 11000, "<b>", "9223372036854775808", "todo"]
    ),
)


class FormsNeverFail(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.facilitator = UserFactory(role="facilitator")
        cls.f = forum()
        services.followup_signup(
            group=cls.f["group"], user=cls.facilitator, share_email=True, share_phone=False
        )
        cls.task = services.task_create(group=cls.f["group"], actor=None, title="Tâche")

    def setUp(self):
        cache.clear()
        self.client = Client()
        self.client.force_login(self.facilitator)

    def _post(self, url, data):
        response = self.client.post(url, data)
        assert response.status_code < 500, (url, data)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.dictionaries(st.sampled_from([*REPORT_TEXT_FIELDS, "version"]), anything))
    def test_report_form(self, data):
        self._post(reverse("forums:report_edit", args=[self.f["group"].pk]), data)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.dictionaries(st.sampled_from(["title", "owner", "due_on", "status"]), anything))
    def test_task_forms(self, data):
        group = self.f["group"]
        self._post(reverse("forums:task_create", args=[group.pk]), data)
        self._post(reverse("forums:task_move", args=[self.task.pk]), data)
        self._post(reverse("forums:task_edit", args=[self.task.pk]), data)

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(anything, anything, anything)
    def test_grid_forms(self, a, b, c):
        topic = self.f["topic"]
        event = self.f["event"]
        self._post(reverse("forums:topic_schedule", args=[topic.pk]), {f"t{topic.pk}-cell": a})
        self._post(reverse("forums:topic_merge", args=[topic.pk]), {f"m{topic.pk}-into": b})
        self._post(reverse("forums:slot_add", args=[event.pk]), {"day": a, "starts": b, "ends": c})
        self._post(reverse("forums:room_add", args=[event.pk]), {"name": c})
        self._post(
            reverse("forums:meeting_edit", args=[self.f["group"].pk]),
            {"at": a, "place": b, "url": c},
        )
        self._post(
            reverse("forums:followup", args=[self.f["group"].pk]),
            {"share_email": a, "share_phone": b, "message": c},
        )
