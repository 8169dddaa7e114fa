"""Writing the index: one record, a few, or everything (`rebuild`).

Signals (see `registry.py`) call `index_pks` and `remove` inside the transaction that
changed the record, so the index never disagrees with what is committed. Bulk inserts
bypass signals: `rebuild()` (the `rebuild_search_index` command, and the last demo
generator) reads every registered queryset in batches and rewrites the index.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from . import registry, text
from .backends import Row, get_backend
from .models import SearchDocument, SearchWord

BATCH = 2000
BODY_LIMIT = 4000
TITLE_LIMIT = 300


class Ancestors:
    """Territory id -> the ids of itself and every territory above it (its commune for an
    arrondissement, EPCI, département, région), with the régions and départements apart
    for the facets. Loads only what it is asked for, or everything at once (`preload`)."""

    def __init__(self) -> None:
        self._rows: dict[int, tuple] = {}

    def preload(self, ids: Iterable[int] | None = None) -> None:
        from maillage.territories.models import Territory

        queryset = Territory.objects.all()
        if ids is not None:
            wanted = set(ids) - set(self._rows)
            if not wanted:
                return
            queryset = queryset.filter(pk__in=wanted)
        for row in queryset.values_list(
            "pk", "kind", "commune_id", "epci_id", "departement_id", "region_id"
        ).iterator(chunk_size=5000):
            self._rows[row[0]] = row[1:]

    def expand(self, ids: Iterable[int]) -> tuple[list[int], list[int], list[int]]:
        """(every territory, régions, départements), sorted."""
        everything, regions, departements = set(), set(), set()
        for pk in ids:
            row = self._rows.get(pk)
            if row is None:
                continue
            kind, commune, epci, departement, region = row
            everything.update(p for p in (pk, commune, epci, departement, region) if p)
            if kind == "region":
                regions.add(pk)
            if kind == "departement":
                departements.add(pk)
            if region:
                regions.add(region)
            if departement:
                departements.add(departement)
        return sorted(everything), sorted(regions), sorted(departements)


def _row(doc_type, pk: int, document: registry.Document, ancestors: Ancestors) -> Row:
    created = document.created_at or timezone.now()
    territory_ids = sorted({int(t) for t in document.territories})
    everything, regions, departements = ancestors.expand(territory_ids)
    theme_ids = sorted({int(t) for t in document.themes})
    title = (document.title or "")[:TITLE_LIMIT]
    body = (document.body or "")[:BODY_LIMIT]
    title_tokens = text.token_text(title)
    return Row(
        values={
            "kind": doc_type.kind,
            "object_id": pk,
            "title": title,
            "title_norm": title_tokens[:TITLE_LIMIT],
            "body": body,
            "url": document.url[:300],
            "audience": document.audience,
            "published": document.published,
            "owner_id": document.owner_id,
            "status": document.status or "",
            "created_at": created,
            "created_year": timezone.localtime(created).year
            if isinstance(created, datetime)
            else created.year,
            "themes": theme_ids,
            "regions": regions,
            "departements": departements,
            "territories": everything,
        },
        title_tokens=title_tokens,
        body_tokens=text.token_text(body),
        theme_ids=theme_ids,
        territory_ids=everything,
    )


def _vocabulary(rows: list[Row]) -> list[str]:
    words = set()
    for row in rows:
        words.update(w for w in row.title_tokens.split() if 3 <= len(w) <= 40 and w.isalpha())
    return sorted(words)


def write(doc_type, records: Iterable, ancestors: Ancestors | None = None) -> tuple[int, int]:
    """Index `records` of one type; those `to_document` refuses are removed.
    Returns (written, removed)."""
    records = list(records)
    documents = [(r.pk, doc_type.to_document(r)) for r in records]
    if ancestors is None:
        ancestors = Ancestors()
        ancestors.preload({int(t) for _pk, d in documents if d for t in d.territories})
    rows = [_row(doc_type, pk, d, ancestors) for pk, d in documents if d is not None]
    refused = [pk for pk, d in documents if d is None]
    backend = get_backend()
    backend.upsert(rows)
    words = _vocabulary(rows)
    if words:
        SearchWord.objects.bulk_create(
            [SearchWord(word=w) for w in words], ignore_conflicts=True, batch_size=BATCH
        )
    if refused:
        remove(doc_type, refused)
    return len(rows), len(refused)


def index_pks(doc_type, pks: list[int]) -> None:
    """(Re)index these records of `doc_type`, reading them through its queryset: a
    record the queryset no longer yields leaves the index."""
    if doc_type is None or not pks:
        return
    records = list(doc_type.queryset().filter(pk__in=pks))
    write(doc_type, records)
    gone = set(pks) - {r.pk for r in records}
    if gone:
        remove(doc_type, list(gone))


def remove(doc_type, pks: list[int]) -> None:
    if doc_type is None or not pks:
        return
    documents = SearchDocument.objects.filter(kind=doc_type.kind, object_id__in=pks)
    ids = list(documents.values_list("pk", flat=True))
    if ids:
        SearchDocument.objects.filter(pk__in=ids).delete()
        get_backend().after_delete(ids)


def rebuild(*, kinds: list[str] | None = None, progress: bool = True, batch: int = BATCH) -> dict:
    """Rewrite the whole index (or the documents of `kinds`) from the registered
    querysets. Each batch is committed on its own, so searches go on meanwhile (finding
    fewer documents until the end) instead of waiting for one long transaction."""
    backend = get_backend()
    doc_types = [t for t in registry.types() if kinds is None or t.kind in kinds]
    with transaction.atomic():
        if kinds is None:
            backend.truncate()
        else:
            for doc_type in doc_types:
                SearchDocument.objects.filter(kind=doc_type.kind).delete()
    ancestors = Ancestors()
    ancestors.preload()
    counts = {}
    for doc_type in doc_types:
        queryset = doc_type.queryset().order_by("pk")
        total = queryset.count()
        written = 0
        last = 0
        with tqdm(total=total, desc=str(doc_type.label), unit="doc", disable=not progress) as bar:
            while True:
                records = list(queryset.filter(pk__gt=last)[:batch])
                if not records:
                    break
                with transaction.atomic():
                    done, _refused = write(doc_type, records, ancestors)
                written += done
                last = records[-1].pk
                bar.update(len(records))
        counts[doc_type.kind] = written
    backend.finish_rebuild()
    return counts
