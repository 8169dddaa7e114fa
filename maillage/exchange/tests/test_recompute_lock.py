"""While the full recompute rewrites the suggestions, the incremental refreshes (task
worker, another connection) wait for it instead of inserting rows it would repeat; reads
go on. PostgreSQL only (conftest.py deselects it on SQLite, which has one writer at a
time anyway)."""

import threading

import pytest
from django.db import connections, transaction

from maillage.exchange import matching
from maillage.exchange.models import Suggestion

from .test_matching import network  # noqa: F401  (fixture)

# serialized_rollback: its flush then skips post_migrate, which would recreate the content
# types under new ids and break the next serialized_rollback test of this worker.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgresql,
]


def _from_another_connection() -> dict:
    seen: dict = {}
    table = Suggestion._meta.db_table

    def run():
        try:
            with transaction.atomic(), connections["default"].cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
                seen["read"] = cursor.fetchone()[0]
                cursor.execute("SET LOCAL lock_timeout = '300ms'")
                cursor.execute(f"DELETE FROM {table} WHERE id = -1")  # noqa: S608
                seen["wrote"] = True
        except Exception as error:  # noqa: BLE001 - reported to the test
            seen["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    return seen


def test_writers_wait_for_the_recompute_and_readers_do_not(network, monkeypatch):  # noqa: F811
    ranked = matching._ranked_rows
    seen: dict = {}

    def meanwhile(*args, **kwargs):
        seen.update(_from_another_connection())
        yield from ranked(*args, **kwargs)

    monkeypatch.setattr(matching, "_ranked_rows", meanwhile)
    result = matching.recompute_all(workers=1)
    assert result["suggestions"] > 0
    assert "read" in seen  # a page showing suggestions is not blocked
    assert "wrote" not in seen
    assert "lock timeout" in str(seen["error"])
