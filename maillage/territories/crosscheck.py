"""Cross-check the loaded territories against Etalab's `@etalab/decoupage-administratif`.

The two sources are built from the same official files but not always the same year, so
the comparison reports agreement and lists the differences; it changes nothing.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from maillage.core.text import normalise

from .models import Territory


@dataclass
class CrossCheck:
    ours: int = 0
    theirs: int = 0
    both: int = 0
    same_name: int = 0
    same_departement: int = 0
    same_epci: int = 0
    epci_compared: int = 0
    only_ours: list[str] = field(default_factory=list)
    only_theirs: list[str] = field(default_factory=list)
    other_name: list[tuple[str, str, str]] = field(default_factory=list)

    def rate(self, count: int, total: int | None = None) -> float:
        total = self.both if total is None else total
        return count / total if total else 0.0


def crosscheck(data_dir: Path) -> CrossCheck:
    """Compare current communes (code, name, département, EPCI) with Etalab's JSON files."""
    communes = json.loads((data_dir / "communes.json").read_text(encoding="utf-8"))
    theirs = {c["code"]: c for c in communes if c.get("type") == "commune-actuelle"}
    epci_of = {}
    epci_file = data_dir / "epci.json"
    if epci_file.exists():
        for epci in json.loads(epci_file.read_text(encoding="utf-8")):
            for member in epci.get("membres", []):
                epci_of[member["code"]] = epci["code"]

    ours = {
        code: (name, dep, epci)
        for code, name, dep, epci in Territory.objects.communes().values_list(
            "code", "name", "departement__code", "epci__code"
        )
    }
    report = CrossCheck(ours=len(ours), theirs=len(theirs))
    report.only_ours = sorted(set(ours) - set(theirs))
    report.only_theirs = sorted(set(theirs) - set(ours))
    for code in set(ours) & set(theirs):
        report.both += 1
        name, dep, epci = ours[code]
        if normalise(name) == normalise(theirs[code]["nom"]):
            report.same_name += 1
        else:
            report.other_name.append((code, name, theirs[code]["nom"]))
        if dep == theirs[code].get("departement"):
            report.same_departement += 1
        if code in epci_of:
            report.epci_compared += 1
            report.same_epci += epci == epci_of[code]
    return report
