"""The demo generator loads France unless it is already there."""

from io import StringIO

import pytest

from maillage.core import demo as core_demo
from maillage.territories import demo


@pytest.mark.django_db
def test_the_generator_is_registered_and_skips_a_loaded_france(monkeypatch):
    assert "territories" in [g.name for g in core_demo.generators()]
    calls = []
    monkeypatch.setattr(demo, "territories_loaded", lambda: True)
    monkeypatch.setattr(demo, "territories_load", lambda **kw: calls.append(kw))
    out = StringIO()
    demo.generate(core_demo.make_context(seed=1, sizes={}, stdout=out))
    assert calls == []
    assert "déjà chargées" in out.getvalue()
