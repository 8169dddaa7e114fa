"""Fixtures for the map's tests: a few real places and records on them."""

import pytest

from maillage.directory.tests.factories import (
    InitiativeFactory,
    OrganisationFactory,
    PersonFactory,
    ThemeFactory,
    aude_and_herault,
)


@pytest.fixture
def places(db):
    return aude_and_herault()


def placed(factory, commune, **kwargs):
    """A record at the centre of `commune`, as the directory's forms save it."""
    return factory(
        commune=commune, latitude=commune.latitude, longitude=commune.longitude, **kwargs
    )


def initiative_at(commune, **kwargs):
    return placed(InitiativeFactory, commune, **kwargs)


def organisation_at(commune, **kwargs):
    return placed(OrganisationFactory, commune, **kwargs)


def person_at(commune, *, visibility="public", on_map=True, **kwargs):
    person = PersonFactory(visibility=visibility, on_map=on_map, **kwargs)
    person.territories.add(commune)
    return person


@pytest.fixture
def network(places):
    """Records of every kind and visibility around Carcassonne, Limoux and Béziers.

    Visible to anyone: 3 initiatives, 2 organisations, 1 person. Members also see
    1 person. Never on the map: a proposed initiative, a rejected organisation, a
    private person on the map, a public person not on the map.
    """
    food = ThemeFactory(name="Alimentation", slug="alimentation")
    energy = ThemeFactory(name="Énergie", slug="energie")
    carcassonne, limoux, beziers = places["carcassonne"], places["limoux"], places["beziers"]
    records = {
        "i1": initiative_at(carcassonne, title="Cantine solidaire"),
        "i2": initiative_at(limoux, title="Centrale villageoise"),
        "i3": initiative_at(beziers, title="Jardin partagé"),
        "o1": organisation_at(carcassonne, name="Épicerie coopérative"),
        "o2": organisation_at(beziers, name="Atelier vélo"),
        "p_public": person_at(limoux, name="Paule Publique"),
        "p_members": person_at(beziers, name="Marc Membres", visibility="members"),
        "proposed": initiative_at(carcassonne, title="Projet en attente", status="proposed"),
        "rejected": organisation_at(limoux, name="Fiche refusée", status="rejected"),
        "p_private": person_at(carcassonne, name="Pia Privée", visibility="private"),
        "p_off": person_at(carcassonne, name="Olga Horscarte", on_map=False),
    }
    records["i1"].themes.add(food)
    records["i2"].themes.add(energy)
    records["o1"].themes.add(food)
    records["p_public"].themes.add(food)
    return {**places, **records, "food": food, "energy": energy}
