"""The read API against its own OpenAPI description, in process (WSGI): no server error,
no response outside the schema."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

schema = schemathesis.openapi.from_wsgi("/donnees/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def some_records(db):
    from maillage.directory.tests.factories import InitiativeFactory, OrganisationFactory

    InitiativeFactory(title="Jardin partagé")
    OrganisationFactory(name="Épicerie", email="x@example.org", email_visibility="public")


# serialized_rollback: the flush after this test then skips post_migrate, which would
# recreate the content types under new ids and break the next serialized_rollback test
# that pytest-xdist gives the same worker.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, some_records):
    case.call_and_validate()
