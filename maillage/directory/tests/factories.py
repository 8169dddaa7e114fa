"""factory_boy factories for the directory, and a tiny map of real places for tests."""

import factory

from maillage.core.text import normalise
from maillage.directory.models import Initiative, Organisation, Person, Theme
from maillage.territories.models import Territory


def place(kind: str, code: str, name: str, **links) -> Territory:
    territory, _ = Territory.objects.get_or_create(
        kind=kind, code=code, defaults={"name": name, "search_name": normalise(name), **links}
    )
    return territory


def aude_and_herault() -> dict[str, Territory]:
    """Occitanie, the Aude with Carcassonne and Limoux, the Hérault with Béziers."""
    occitanie = place("region", "76", "Occitanie")
    aude = place("departement", "11", "Aude", region=occitanie)
    herault = place("departement", "34", "Hérault", region=occitanie)
    carcassonne = place(
        "commune",
        "11069",
        "Carcassonne",
        departement=aude,
        region=occitanie,
        latitude=43.21,
        longitude=2.35,
    )
    limoux = place(
        "commune",
        "11206",
        "Limoux",
        departement=aude,
        region=occitanie,
        latitude=43.05,
        longitude=2.22,
    )
    beziers = place(
        "commune",
        "34032",
        "Béziers",
        departement=herault,
        region=occitanie,
        latitude=43.34,
        longitude=3.22,
    )
    return {
        "occitanie": occitanie,
        "aude": aude,
        "herault": herault,
        "carcassonne": carcassonne,
        "limoux": limoux,
        "beziers": beziers,
    }


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name", locale="fr_FR")
    visibility = "public"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Association n°{n}")
    kind = "association"
    status = "published"


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    title = factory.Sequence(lambda n: f"Initiative n°{n}")
    summary = "Une initiative du réseau."
    status = "published"
