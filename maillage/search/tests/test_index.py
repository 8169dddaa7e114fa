"""The index follows the records: create, edit, delete, publish, reject, change of
themes, territories, visibility or account; and the rebuild command catches up with
bulk inserts (which bypass signals)."""

import pytest
from django.core.management import call_command

from maillage.directory import services
from maillage.directory.models import Initiative, Person
from maillage.directory.tests.factories import (
    InitiativeFactory,
    PersonFactory,
    ThemeFactory,
    aude_and_herault,
)
from maillage.search.models import SearchDocument
from maillage.search.query import Filters, Search, Viewer

pytestmark = pytest.mark.django_db
ANONYMOUS = Viewer()
FACILITATOR = Viewer(facilitator=True)


def found(q="", viewer=ANONYMOUS, **filters) -> set[tuple[str, int]]:
    return Search(q, viewer=viewer, filters=Filters(**filters)).document_ids()


def test_create_edit_delete():
    initiative = InitiativeFactory(title="Ressourcerie de la vallée")
    assert found("ressourcerie") == {("initiative", initiative.pk)}
    initiative.title = "Recyclerie de la vallée"
    initiative.save()
    assert found("ressourcerie") == set()
    assert found("recyclerie") == {("initiative", initiative.pk)}
    initiative.delete()
    assert found("recyclerie") == set()
    assert not SearchDocument.objects.exists()


def test_publish_and_reject_proposals(member, facilitator):
    proposal = InitiativeFactory(
        title="Ressourcerie proposée", status="proposed", created_by=member
    )
    assert found("ressourcerie") == set()
    assert found("ressourcerie", Viewer.of(member)) == {("initiative", proposal.pk)}
    services.record_moderate(record=proposal, actor=facilitator, accept=True)
    assert found("ressourcerie") == {("initiative", proposal.pk)}
    other = InitiativeFactory(title="Ressourcerie refusée", status="proposed")
    services.record_moderate(record=other, actor=facilitator, accept=False)
    assert ("initiative", other.pk) not in found("ressourcerie", FACILITATOR)


def test_themes_follow_both_sides_of_the_relation():
    initiative = InitiativeFactory(title="Ressourcerie")
    theme, other = ThemeFactory(), ThemeFactory()
    initiative.themes.add(theme)
    assert found(theme=theme.pk) == {("initiative", initiative.pk)}
    initiative.themes.remove(theme)
    assert found(theme=theme.pk) == set()
    other.initiatives.add(initiative)  # the reverse side
    assert found(theme=other.pk) == {("initiative", initiative.pk)}
    initiative.themes.clear()
    assert found(theme=other.pk) == set()


def test_territories_and_their_ancestors():
    places = aude_and_herault()
    initiative = InitiativeFactory(title="Ressourcerie")
    initiative.territories.set([places["carcassonne"]])
    for where in ("carcassonne", "aude", "occitanie"):
        assert found(territory=places[where]) == {("initiative", initiative.pk)}
    initiative.territories.set([places["beziers"]])
    assert found(territory=places["aude"]) == set()
    assert found(territory=places["herault"]) == {("initiative", initiative.pk)}
    initiative.commune = places["limoux"]
    initiative.save()
    assert found(territory=places["aude"]) == {("initiative", initiative.pk)}


def test_profile_visibility_and_account(member):
    person = PersonFactory(name="Dominique Ressource", visibility="public", user=member)
    assert found("dominique") == {("person", person.pk)}
    person.visibility = "private"
    person.save()
    assert found("dominique") == set()
    assert found("dominique", Viewer.of(member)) == {("person", person.pk)}
    person.visibility = "public"
    person.save()
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert found("dominique", FACILITATOR) == set()


def test_merge_moves_the_index(facilitator):
    survivor = InitiativeFactory(title="Ressourcerie du Lauragais")
    duplicate = InitiativeFactory(title="Ressourcerie Lauragais (doublon)")
    services.records_merge(survivor=survivor, duplicate=duplicate, actor=facilitator)
    assert found("ressourcerie") == {("initiative", survivor.pk)}


def test_rebuild_command_catches_up_with_bulk_inserts(capsys):
    Initiative.objects.bulk_create(
        [Initiative(title=f"Ressourcerie {n}", summary="s", status="published") for n in range(5)]
    )
    Person.objects.bulk_create([Person(name="Dominique Ressource", visibility="public")])
    assert found("ressourcerie") == set()
    call_command("rebuild_search_index", batch=2)
    assert len(found("ressourcerie")) == 5
    assert len(found("dominique")) == 1
    output = capsys.readouterr().out
    assert "Initiatives" in output and "Index reconstruit" in output
    call_command("rebuild_search_index", kind=["person"], verbosity=0)
    assert len(found("ressourcerie")) == 5


def test_rebuild_rejects_unknown_kinds():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("rebuild_search_index", kind=["nope"], verbosity=0)
