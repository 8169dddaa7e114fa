"""The project's own import corpus: invented reports, each with `<name>.expected.json`.

`DOCUMENTS` lists `(name, text, markdown, expected)`, sorted by name. `text` is the file
exactly as stored: `webinaire-word.txt` keeps the byte order mark and the CRLF line ends
that Word writes, so encode it back to UTF-8 and read it through `read_document`, as an
upload is read, rather than passing it to `extract` as it is. `markdown` is true for `.md`
files. See README.md in this folder for what each document tests.
"""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUFFIXES = {".txt": False, ".md": True}


def _source(name: str) -> tuple[str, bool]:
    for suffix, markdown in SUFFIXES.items():
        path = HERE / f"{name}{suffix}"
        if path.exists():
            # Bytes decoded as they are: no newline translation, the BOM kept.
            return path.read_bytes().decode("utf-8"), markdown
    raise FileNotFoundError(f"no .txt or .md document for {name}.expected.json")


def _load() -> list[tuple[str, str, bool, dict]]:
    documents = []
    for path in sorted(HERE.glob("*.expected.json")):
        name = path.name.removesuffix(".expected.json")
        text, markdown = _source(name)
        expected = json.loads(path.read_text(encoding="utf-8"))
        documents.append((name, text, markdown, expected))
    return documents


DOCUMENTS = _load()
