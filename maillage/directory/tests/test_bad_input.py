"""Generated input never makes the directory's forms or lists answer a server error."""

from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from maillage.accounts.tests.factories import UserFactory
from maillage.directory.models import Person

anything = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        ["", " ", "\x00", "public", "private", "members", "x" * 5000, "<b>", "1", "-1"]
        # A primary key larger than 64 bits once made SQLite raise OverflowError.
        + ["9223372036854775808"]
    ),
)
PROFILE_FIELDS = [
    "name",
    "presentation",
    "drives",
    "seeks",
    "offers",
    "skills_sought",
    "availability",
    "visibility",
    "email",
    "email_visibility",
    "phone",
    "phone_visibility",
    "address",
    "address_visibility",
    "website",
    "website_visibility",
    "social_links",
    "social_links_visibility",
    "themes",
    "territories",
    "territories_search",
    "on_map",
]
profile_data = st.fixed_dictionaries({}, optional=dict.fromkeys(PROFILE_FIELDS, anything))
HYPOTHESIS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class DirectoryFuzzTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = UserFactory()

    @HYPOTHESIS
    @given(data=profile_data)
    def test_profile_form_never_fails(self, data):
        client = Client()
        client.force_login(self.user)
        response = client.post("/annuaire/mon-profil/", data)
        assert response.status_code in (200, 302)
        person = Person.objects.get(user=self.user)
        assert person.visibility in ("public", "members", "private")
        assert person.email_visibility in ("public", "members", "private")

    @HYPOTHESIS
    @given(
        data=st.fixed_dictionaries(
            {},
            optional={
                "name": anything,
                "kind": anything,
                "siren": anything,
                "commune": anything,
                "commune_search": anything,
                "website": anything,
                "title": anything,
                "summary": anything,
                "progress": anything,
                "confirm_not_duplicate": anything,
            },
        )
    )
    def test_proposals_never_fail(self, data):
        cache.clear()
        for url in ("/annuaire/structures/proposer/", "/annuaire/initiatives/proposer/"):
            assert Client().post(url, data).status_code in (200, 302)

    @HYPOTHESIS
    @given(
        params=st.dictionaries(
            st.sampled_from(
                [
                    "q",
                    "theme",
                    "territoire",
                    "territoire_search",
                    "type",
                    "avancement",
                    "page",
                    "ressource",
                ]
            ),
            anything,
        )
    )
    def test_lists_never_fail(self, params):
        for url in ("/annuaire/personnes/", "/annuaire/structures/", "/annuaire/initiatives/"):
            assert Client().get(url, params).status_code == 200
