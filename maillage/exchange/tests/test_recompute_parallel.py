"""The full recompute shared between forked workers gives exactly the serial answers."""

import pytest

from maillage.exchange import matching
from maillage.exchange.models import ItemType, Suggestion

from .test_matching import network  # noqa: F401  (fixture)

pytestmark = [
    pytest.mark.django_db,
    # Under pytest-xdist the test process runs execnet's thread; the forked workers only
    # rank in-memory dicts (no lock, no logging, no database), which fork allows.
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning"),
]

COLUMNS = ("source_type", "source_id", "target_type", "target_id", "score", "reasons", "dismissed")


def _stored() -> list[tuple]:
    return sorted(Suggestion.objects.values_list(*COLUMNS))


def test_two_workers_store_the_same_suggestions_as_one(network):  # noqa: F811
    serial = matching.recompute_all(workers=1)
    expected = _stored()
    assert serial["suggestions"] > 0
    Suggestion.objects.filter(dismissed=False).update(score=0.0)  # proves it is rewritten
    parallel = matching.recompute_all(workers=2, parallel_from=0, chunk=1)
    assert parallel == serial
    assert _stored() == expected


def test_dismissed_suggestions_stay_out_with_workers(network):  # noqa: F811
    alice, claire = network["alice"], network["claire"]
    key = {"source_type": ItemType.PERSON, "source_id": alice.pk}
    row = Suggestion.objects.get(**key, target_type=ItemType.PERSON, target_id=claire.pk)
    row.dismissed = True
    row.save()
    matching.recompute_all(workers=2, parallel_from=0, chunk=1)
    kept = Suggestion.objects.filter(**key, target_type=ItemType.PERSON, target_id=claire.pk)
    assert list(kept.values_list("dismissed", flat=True)) == [True]


def test_a_worker_that_dies_rolls_the_recompute_back(network, monkeypatch):  # noqa: F811
    """A worker killed mid-chunk (the OOM killer…) must fail the recompute, whose
    transaction then leaves the stored suggestions as they were, not hang for ever."""
    import os
    from concurrent.futures.process import BrokenProcessPool

    matching.recompute_all(workers=1)
    before = _stored()
    parent, rank = os.getpid(), matching._rank_source

    def dies(source, shared):
        if os.getpid() != parent:
            os._exit(137)  # what a SIGKILL looks like to the pool
        return rank(source, shared)

    monkeypatch.setattr(matching, "_rank_source", dies)
    with pytest.raises(BrokenProcessPool):
        matching.recompute_all(workers=2, parallel_from=0, chunk=1)
    assert _stored() == before
