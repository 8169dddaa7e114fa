"""« Same challenges »: the obstacles of published experience sheets as a suggestion signal.

A hand-made network: two initiatives in different départements, with nothing in common
but a difficulty written in their sheets (« trouver des bénévoles » / « recruter des
bénévoles »), and a member named on one of the sheets.
"""

import pytest
from django.urls import reverse

from maillage.accounts.tests.factories import UserFactory
from maillage.directory.tests.factories import InitiativeFactory, PersonFactory, aude_and_herault
from maillage.exchange import matching
from maillage.exchange.models import ItemType, MatchProfile, Suggestion
from maillage.exchange.reasons import reasons_text
from maillage.knowledge.services import sheet_create, sheet_publish, sheet_unpublish, sheet_update

from .factories import consent

pytestmark = pytest.mark.django_db

SAID = "difficultés en commun : Trouver des bénévoles — recruter des bénévoles"


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Sheet changes refresh the matching when their transaction commits: run them."""

    def run(write, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(**kwargs)

    return run


@pytest.fixture
def network():
    places = aude_and_herault()
    writer = UserFactory(display_name="Rédactrice")
    repair = InitiativeFactory(
        title="Repair café", summary="Réparer plutôt que jeter.", commune=places["carcassonne"]
    )
    canteen = InitiativeFactory(
        title="Cantine solidaire", summary="Des repas partagés.", commune=places["beziers"]
    )
    return {"writer": writer, "repair": repair, "canteen": canteen, **places}


def _sheet(run, network, initiative, obstacle, *, publish=True, **fields):
    return run(
        sheet_create,
        actor=network["writer"],
        title=f"Ce que nous avons appris ({initiative.title if initiative else obstacle})",
        outcome="mixed",
        obstacles=[obstacle],
        tips=["Demander de l'aide à la mairie"],
        publish=publish,
        initiative=initiative,
        **fields,
    )


def _stored(source, target) -> Suggestion | None:
    return Suggestion.objects.filter(
        source_type=ItemType.INITIATIVE,
        source_id=source.pk,
        target_type=ItemType.INITIATIVE,
        target_id=target.pk,
    ).first()


def test_a_shared_obstacle_suggests_each_initiative_to_the_other(network, run_on_commit):
    repair, canteen = network["repair"], network["canteen"]
    # Before any sheet: nothing in common.
    assert matching.suggest(ItemType.INITIATIVE, repair.pk) == []
    _sheet(run_on_commit, network, repair, "Trouver des bénévoles")
    _sheet(run_on_commit, network, canteen, "recruter des bénévoles")

    mine = _stored(repair, canteen)
    assert mine is not None
    assert mine.reasons == [
        {"t": "challenges", "pairs": [["Trouver des bénévoles", "recruter des bénévoles"]]}
    ]
    assert mine.score == matching.CHALLENGE
    assert reasons_text(mine.reasons, other=canteen.title) == SAID
    theirs = _stored(canteen, repair)
    assert theirs is not None and theirs.score == mine.score
    assert reasons_text(theirs.reasons, other=repair.title) == (
        "difficultés en commun : recruter des bénévoles — Trouver des bénévoles"
    )
    # The stored answers are those of `suggest()` and of the full recompute.
    ranked = matching.suggest(ItemType.INITIATIVE, repair.pk)
    assert [(item, reasons) for _v, item, reasons in ranked] == [
        ((ItemType.INITIATIVE, canteen.pk), mine.reasons)
    ]
    before = set(Suggestion.objects.values_list("source_id", "target_id", "score"))
    Suggestion.objects.all().delete()
    matching.recompute_all()
    assert set(Suggestion.objects.values_list("source_id", "target_id", "score")) == before


def test_a_draft_sheet_gives_nothing(network, run_on_commit):
    repair, canteen = network["repair"], network["canteen"]
    _sheet(run_on_commit, network, repair, "Trouver des bénévoles")
    _sheet(run_on_commit, network, canteen, "recruter des bénévoles", publish=False)
    assert _stored(repair, canteen) is None
    assert _stored(canteen, repair) is None
    f, _suggestable, _source = matching.features_of(ItemType.INITIATIVE, canteen.pk)
    assert f["x"] == {}
    assert "benevol" in matching.features_of(ItemType.INITIATIVE, repair.pk)[0]["x"]


def test_words_every_obstacle_uses_are_no_shared_difficulty(network, run_on_commit):
    repair, canteen = network["repair"], network["canteen"]
    _sheet(run_on_commit, network, repair, "Manque de temps")
    _sheet(run_on_commit, network, canteen, "Manque de financement")
    assert _stored(repair, canteen) is None
    assert set(matching.features_of(ItemType.INITIATIVE, canteen.pk)[0]["x"]) == {"financ"}


def test_publishing_editing_and_withdrawing_a_sheet_refresh_the_suggestions(network, run_on_commit):
    repair, canteen = network["repair"], network["canteen"]
    _sheet(run_on_commit, network, repair, "Trouver des bénévoles")
    draft = _sheet(run_on_commit, network, canteen, "recruter des bénévoles", publish=False)
    assert _stored(repair, canteen) is None

    run_on_commit(sheet_publish, sheet=draft, actor=network["writer"])
    assert reasons_text(_stored(repair, canteen).reasons, other="") == SAID
    assert _stored(canteen, repair) is not None

    # The obstacle rewritten: the pair follows it.
    run_on_commit(
        sheet_update, sheet=draft, actor=network["writer"], obstacles=["Garder nos bénévoles"]
    )
    assert _stored(repair, canteen).reasons[0]["pairs"] == [
        ["Trouver des bénévoles", "Garder nos bénévoles"]
    ]
    run_on_commit(sheet_update, sheet=draft, actor=network["writer"], obstacles=["Le froid"])
    assert _stored(repair, canteen) is None

    run_on_commit(
        sheet_update, sheet=draft, actor=network["writer"], obstacles=["Recruter des bénévoles"]
    )
    assert _stored(canteen, repair) is not None
    run_on_commit(sheet_unpublish, sheet=draft, actor=network["writer"])
    assert _stored(repair, canteen) is None
    assert _stored(canteen, repair) is None


def test_moving_a_sheet_to_another_initiative_refreshes_both(network, run_on_commit):
    repair, canteen = network["repair"], network["canteen"]
    third = InitiativeFactory(
        title="Ludothèque", summary="Jouer ensemble.", commune=network["limoux"]
    )
    _sheet(run_on_commit, network, repair, "Trouver des bénévoles")
    sheet = _sheet(run_on_commit, network, canteen, "recruter des bénévoles")
    assert _stored(repair, canteen) is not None
    run_on_commit(sheet_update, sheet=sheet, actor=network["writer"], initiative=third)
    assert _stored(repair, canteen) is None
    assert _stored(repair, third) is not None
    assert matching.features_of(ItemType.INITIATIVE, canteen.pk)[0]["x"] == {}


def test_deleting_a_sheet_refreshes_its_initiative(network, run_on_commit):
    repair, canteen = network["repair"], network["canteen"]
    _sheet(run_on_commit, network, repair, "Trouver des bénévoles")
    sheet = _sheet(run_on_commit, network, canteen, "recruter des bénévoles")
    assert _stored(repair, canteen) is not None
    run_on_commit(sheet.delete)
    assert _stored(repair, canteen) is None


def test_the_reason_shows_on_a_members_dashboard(network, run_on_commit, client):
    """A member named on a sheet carries its difficulties: the initiative that met the
    same one is suggested to them, and the dashboard says why."""
    user = UserFactory(display_name="Alice Martin")
    consent(user, introductions=True)
    alice = PersonFactory(user=user, name="Alice Martin", visibility="members")
    _sheet(run_on_commit, network, None, "Trouver des bénévoles", people=[alice])
    _sheet(run_on_commit, network, network["canteen"], "recruter des bénévoles")
    assert "benevol" in matching.features_of(ItemType.PERSON, alice.pk)[0]["x"]

    client.force_login(user)
    page = client.get(reverse("exchange:dashboard")).content.decode()
    assert network["canteen"].title in page
    assert SAID in page

    # Taken off the sheet: the suggestion goes.
    sheet = alice.sheets.get()
    run_on_commit(sheet_update, sheet=sheet, actor=network["writer"], m2m={"people": []})
    page = client.get(reverse("exchange:dashboard")).content.decode()
    assert "difficultés en commun" not in page


def test_profiles_stored_before_challenges_still_match(network, run_on_commit):
    repair, canteen = network["repair"], network["canteen"]
    _sheet(run_on_commit, network, repair, "Trouver des bénévoles")
    _sheet(run_on_commit, network, canteen, "recruter des bénévoles")
    for profile in MatchProfile.objects.all():
        profile.data.pop("x")
        profile.save()
    # Repair's own features are read from the tables; Canteen's stored profile has no "x".
    assert matching.suggest(ItemType.INITIATIVE, repair.pk) == []
    old = MatchProfile.objects.get(item_type=ItemType.INITIATIVE, item_id=canteen.pk).data
    new = matching.features_of(ItemType.INITIATIVE, repair.pk)[0]
    assert matching.score(old, new) == (0.0, [])
    assert matching.value(matching.as_sets(old), matching.as_sets(new)) == 0.0
    assert not any(k.startswith("x:") for k in matching.index_keys(old))


def test_the_batched_features_read_sheets_in_a_fixed_number_of_queries(network, run_on_commit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            items = list(matching._all_items())
        assert items
        return len(queries)

    def add(n: int) -> None:
        initiative = InitiativeFactory(
            title=f"Jardin n°{n}", summary="Cultiver.", commune=network["limoux"]
        )
        user = UserFactory()
        consent(user)
        person = PersonFactory(user=user, visibility="members")
        _sheet(run_on_commit, network, initiative, f"Arroser l'été {n}", people=[person])

    add(0)
    few = count()
    for n in range(1, 5):
        add(n)
    assert count() == few
    challenges = [f.get("x") for _item, f, _s, _src in matching._all_items()]
    assert sum(1 for x in challenges if x and "arros" in x) == 10


def test_one_edit_refreshes_each_record_once(network, run_on_commit, monkeypatch):
    from maillage.exchange import signals

    repair = network["repair"]
    user = UserFactory()
    person = PersonFactory(user=user)
    sheet = _sheet(run_on_commit, network, repair, "Trouver des bénévoles", people=[person])
    refreshed = []
    monkeypatch.setattr(signals, "_enqueue", lambda t, pk: refreshed.append((t, pk)))
    run_on_commit(
        sheet_update,
        sheet=sheet,
        actor=network["writer"],
        obstacles=["Recruter", "Garder les bénévoles", "Le froid"],
        tips=["Un goûter", "Une affiche"],
    )
    assert sorted(refreshed) == sorted(
        [(ItemType.PERSON, person.pk), (ItemType.INITIATIVE, repair.pk)]
    )
    # Editing a draft changes nobody's matching.
    draft = _sheet(run_on_commit, network, repair, "Le bruit", publish=False)
    refreshed.clear()
    run_on_commit(sheet_update, sheet=draft, actor=network["writer"], obstacles=["Le vent"])
    assert refreshed == []
