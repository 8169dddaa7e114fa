"""Generated input never makes the sign-up or account forms answer a server error."""

from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from maillage.accounts.models import User
from maillage.accounts.tests.factories import UserFactory

# Any text, including control characters, NUL bytes, very long strings and emoji.
anything = st.one_of(
    st.text(max_size=400),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=150, max_size=600),
    st.sampled_from(["", " ", "\x00", "a@b", "@example.org", "x" * 5000, "<script>"]),
)
form_data = st.fixed_dictionaries(
    {},
    optional={
        "display_name": anything,
        "email": st.one_of(anything, st.emails()),
        "password1": anything,
        "password2": anything,
        "charter": anything,
    },
)
HYPOTHESIS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class SignupFuzzTest(TestCase):
    @HYPOTHESIS
    @given(data=form_data)
    def test_signup_never_fails_with_a_server_error(self, data):
        cache.clear()  # rate limits would otherwise answer 429 after a few examples
        response = Client().post("/compte/signup/", data)
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert 'class="errorlist' in response.content.decode()

    @HYPOTHESIS
    @given(value=anything)
    def test_nul_bytes_are_refused_cleanly(self, value):
        cache.clear()
        response = Client().post(
            "/compte/signup/", {"display_name": value + "\x00", "email": "a@example.org"}
        )
        assert response.status_code in (200, 302)


class AccountFormFuzzTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = UserFactory()

    @HYPOTHESIS
    @given(name=anything, extra=anything)
    def test_account_settings_never_fail(self, name, extra):
        client = Client()
        client.force_login(self.user)
        response = client.post(
            "/compte/parametres/", {"display_name": name, "email": extra, "role": "admin"}
        )
        assert response.status_code in (200, 302)
        user = User.objects.get(pk=self.user.pk)
        assert user.role == "member", "a member cannot give themselves a role"
        assert len(user.display_name) <= 150

    @HYPOTHESIS
    @given(confirm=anything)
    def test_delete_confirmation_never_fails(self, confirm):
        client = Client()
        client.force_login(self.user)
        response = client.post("/compte/supprimer/", {"confirm": confirm})
        assert response.status_code in (200, 302)
        if confirm.strip().upper() != "SUPPRIMER":
            assert User.objects.get(pk=self.user.pk).is_active
