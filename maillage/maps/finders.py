"""A static files finder for the front-end packages installed by npm (`make install` runs
`npm ci`; `node_modules/` is not versioned).

Only the files listed in `NODE_FILES` are served, under `vendor/<package>/`: Leaflet's
script, style sheet and images (and the script's source map, which the style of
`collectstatic`'s manifest storage follows from the script's last line). Nothing else of
`node_modules/` reaches the static files, in development or after `collectstatic`.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import utils
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Warning
from django.core.files.storage import FileSystemStorage

# package -> (folder inside the package, the files served from it; "dir/" = all of dir)
NODE_FILES = {
    "leaflet": ("dist", ["leaflet.js", "leaflet.js.map", "leaflet.css", "images/"]),
    "cytoscape": ("dist", ["cytoscape.min.js"]),
}


def node_modules() -> Path:
    return Path(getattr(settings, "NODE_MODULES_DIR", settings.BASE_DIR / "node_modules"))


class NodeModulesFinder(BaseFinder):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.storages = {}
        for package, (folder, _files) in NODE_FILES.items():
            storage = FileSystemStorage(location=node_modules() / package / folder)
            storage.prefix = f"vendor/{package}"
            self.storages[package] = storage

    def _allowed(self, package: str, relative: str) -> bool:
        _folder, files = NODE_FILES[package]
        return (
            any(
                relative == entry or (entry.endswith("/") and relative.startswith(entry))
                for entry in files
            )
            and ".." not in Path(relative).parts
        )

    def check(self, **kwargs):
        missing = [p for p in NODE_FILES if not Path(self.storages[p].location).is_dir()]
        if missing:
            return [
                Warning(
                    f"Paquets npm absents : {', '.join(missing)}.",
                    hint="Lancez `make install` (ou `npm ci`) à la racine du projet.",
                    id="maps.W001",
                )
            ]
        return []

    def find(self, path: str, find_all: bool = False):
        matches = []
        for package, storage in self.storages.items():
            prefix = f"{storage.prefix}/"
            if not path.startswith(prefix):
                continue
            relative = path.removeprefix(prefix)
            if self._allowed(package, relative) and storage.exists(relative):
                found = storage.path(relative)
                if not find_all:
                    return found
                matches.append(found)
        return matches

    def list(self, ignore_patterns):
        for package, storage in self.storages.items():
            if not Path(storage.location).is_dir():
                continue
            for path in utils.get_files(storage, ignore_patterns):
                if self._allowed(package, path):
                    yield path, storage
