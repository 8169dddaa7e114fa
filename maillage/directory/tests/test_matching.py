"""The one organisation matcher, the duplicate detection that uses it, and the services
that create organisations and people without a form."""

import pytest
from django.core.exceptions import ValidationError

from maillage.core.models import AuditEntry
from maillage.directory import services
from maillage.directory.duplicates import find_duplicates
from maillage.directory.matching import (
    candidate_names,
    match_organisation,
    organisation_keys,
    same_organisation,
)
from maillage.directory.models import Moderation, Organisation, Person

from .factories import OrganisationFactory


@pytest.mark.parametrize(
    "name,keys",
    [
        ("Le Garage Solidaire", {"le garage solidaire", "garage solidaire"}),
        ("L'Atelier", {"l atelier", "atelier"}),
        ("Commune d'Albi", {"commune d albi", "albi"}),
        ("Ville de Millau", {"ville de millau", "millau"}),
        ("Mairie de Lavaur", {"mairie de lavaur", "lavaur"}),
        (
            "Association Les Amis de la Terre",
            {"association les amis de la terre", "les amis de la terre", "amis de la terre"},
        ),
        ("Asso Vélo", {"asso velo", "velo"}),
        ("Collectif Causses", {"collectif causses", "causses"}),
        (
            "Réseau Transitions Garonne (RTG)",
            {"reseau transitions garonne rtg", "reseau transitions garonne", "rtg"},
        ),
        ("Centre social (Lavaur)", {"centre social lavaur"}),
        ("Association", set()),
        ("", set()),
    ],
)
def test_organisation_keys(name, keys):
    assert organisation_keys(name) == keys


@pytest.mark.parametrize(
    "first,second,same",
    [
        ("Le X", "X", True),
        ("Y", "Commune de Y", True),
        ("Mairie de Y", "Ville de Y", True),
        ("Réseau X (RX)", "RX", True),
        ("Réseau X (RX)", "réseau  x", True),
        ("Association Y", "Mairie de Y", False),
        ("Collectif Y", "Association Y", False),
        ("Garage Solidaire", "Garage Solidaire du Causse", False),
    ],
)
def test_same_organisation(first, second, same):
    assert same_organisation(first, second) is same
    assert same_organisation(second, first) is same


def test_candidate_names_put_prefixes_of_the_same_family_back():
    names = candidate_names("Mairie de Lavaur")
    assert {"lavaur", "commune de lavaur", "ville de lavaur", "la lavaur"} <= names
    assert "association lavaur" not in names
    assert "association lavaur" in candidate_names("Lavaur")


@pytest.mark.django_db
def test_match_organisation_prefers_exact_then_published_then_oldest():
    proposed_commune = OrganisationFactory(name="Commune de Lavaur", status=Moderation.PROPOSED)
    assert match_organisation("Mairie de Lavaur") == proposed_commune
    published_town = OrganisationFactory(name="Ville de Lavaur", status=Moderation.PUBLISHED)
    assert match_organisation("Mairie de Lavaur") == published_town
    exact = OrganisationFactory(name="Mairie de Lavaur", status=Moderation.PROPOSED)
    assert match_organisation("mairie  de LAVAUR") == exact
    OrganisationFactory(name="Ville de Lavaur", status=Moderation.PUBLISHED)
    assert match_organisation("Lavaur") == published_town
    OrganisationFactory(name="Association Lavaur Vélo", status=Moderation.PUBLISHED)
    assert match_organisation("Association Lavaur") is None
    refused = OrganisationFactory(name="Rézo Pouce", status=Moderation.REJECTED)
    assert match_organisation("Rézo Pouce") is None
    assert refused.pk
    syval = OrganisationFactory(name="SYVAL", status=Moderation.PUBLISHED)
    assert match_organisation("Syndicat du Vallon (SYVAL)") == syval
    assert match_organisation("") is None
    assert match_organisation("Association") is None


@pytest.mark.django_db
def test_match_organisation_is_one_query(django_assert_num_queries):
    OrganisationFactory(name="Le Garage Solidaire")
    with django_assert_num_queries(1):
        assert match_organisation("Garage Solidaire").name == "Le Garage Solidaire"


@pytest.mark.django_db
def test_duplicate_detection_uses_the_same_matcher():
    garage = OrganisationFactory(name="Le Garage Solidaire")
    assert find_duplicates(Organisation, name="Garage solidaire") == [(garage, ["same_name"])]
    assert find_duplicates(Organisation, name="Association Garage solidaire") == [
        (garage, ["same_name"])
    ]
    town = OrganisationFactory(name="Commune de Millau")
    assert find_duplicates(Organisation, name="Mairie de Millau") == [(town, ["same_name"])]
    assert find_duplicates(Organisation, name="Association Millau") == []


@pytest.mark.django_db
def test_organisation_create_checks_logs_and_never_assumes_published(facilitator):
    organisation = services.organisation_create(
        actor=facilitator,
        name="Garage Solidaire",
        kind="association",
        email="garage@example.org",
        status=Moderation.PROPOSED,
        source="import",
    )
    assert organisation.status == Moderation.PROPOSED
    assert organisation.created_by == facilitator
    assert organisation.search_name == "garage solidaire"
    assert organisation.email_visibility == "private"
    entry = AuditEntry.objects.get(action="organisation.create")
    assert (entry.actor, entry.object_id, entry.data) == (
        facilitator,
        str(organisation.pk),
        {"source": "import"},
    )
    with pytest.raises(ValidationError):
        services.organisation_create(
            actor=facilitator, name="X", kind="pas-un-type", status=Moderation.PROPOSED
        )
    with pytest.raises(TypeError):
        services.organisation_create(actor=facilitator, name="X", kind="association")


@pytest.mark.django_db
def test_person_create_is_private_by_default_and_logged(facilitator):
    person = services.person_create(
        actor=facilitator, name="Nina Rey", email="nina@example.org", phone="06 11 22 33 44"
    )
    assert person.visibility == "private"
    assert not person.is_visible_to(None)
    assert person.user is None
    assert AuditEntry.objects.filter(action="person.create", object_id=str(person.pk)).exists()
    with pytest.raises(ValidationError):
        services.person_create(actor=facilitator, name="Yves", email="pas une adresse")
    assert Person.objects.count() == 1
