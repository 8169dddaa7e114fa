"""Reading uploaded documents safely: type by content, size caps, parsing in a child process.

`read_document(data)` is what the site calls. It checks the size, then hands the bytes to
a child Python process (`python -m maillage.imports.readers`) that runs with an address
space limit (~512 MB) and a CPU time limit, and is killed after a wall-clock timeout. A zip
bomb, an XML entity bomb, a looping PDF or a crash of the PDF library thus end as a clear
French message (`UnreadableDocument`) in under 10 seconds, and the web worker is untouched.

The child side (`_read_in_child`) knows five formats, recognised by their bytes, never by
the file name: PDF (`%PDF-`), docx and odt (zip archives, told apart by their members), and
plain text or Markdown (decoded as UTF-8, else cp1252; binary data is refused).
"""

import json
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# What the child may inflate from a zip archive, in total, and the ratio beyond which an
# archive member is taken for a bomb (real office documents stay far below).
MAX_UNZIPPED_BYTES = 40 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_PDF_PAGES = 300
MAX_TEXT_CHARS = 2_000_000
CHILD_MEMORY_BYTES = 512 * 1024 * 1024
CHILD_CPU_SECONDS = 8
CHILD_TIMEOUT_SECONDS = 9

FORMAT_LABELS = {"txt": "texte", "docx": "Word (docx)", "odt": "OpenDocument (odt)", "pdf": "PDF"}


class UnreadableDocument(Exception):
    """The document cannot be read; `str(error)` is a message for the person who sent it."""


@dataclass
class ReadDocument:
    text: str
    format: str


def read_document(data: bytes) -> ReadDocument:
    """Text of an uploaded document, read in a child process with limits."""
    if not data or not data.strip():
        raise UnreadableDocument(_("Le fichier est vide."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnreadableDocument(
            _("Le fichier dépasse %(size)d Mo.") % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    root = Path(__file__).resolve().parents[2]
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(root), "LANG": "C.UTF-8"}
    try:
        done = subprocess.run(  # noqa: S603 (our own interpreter and module, no shell)
            [sys.executable, "-m", "maillage.imports.readers"],
            input=data,
            capture_output=True,
            timeout=CHILD_TIMEOUT_SECONDS,
            cwd=root,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise UnreadableDocument(
            _("La lecture du fichier a pris trop de temps : il est peut-être piégé ou abîmé.")
        ) from None
    try:
        answer = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        # Killed by a limit (memory, CPU) or crashed inside a C library.
        raise UnreadableDocument(
            _(
                "Le fichier n'a pas pu être lu sans dépasser les limites de mémoire ou de "
                "temps : il est peut-être piégé ou abîmé."
            )
        ) from None
    if "error" in answer:
        raise UnreadableDocument(str(_ERRORS.get(answer["error"], _ERRORS["broken"])))
    return ReadDocument(text=answer["text"], format=answer["format"])


def _limit_child() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CHILD_CPU_SECONDS, CHILD_CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


# Message codes the child returns, translated on the site's side.
_ERRORS = {
    "empty": gettext_lazy("Le fichier ne contient aucun texte lisible."),
    "binary": gettext_lazy(
        "Ce fichier n'est pas un document texte, Word (docx), OpenDocument (odt) ou PDF, "
        "quelle que soit son extension."
    ),
    "bomb": gettext_lazy(
        "L'archive du document se décompresse en un volume démesuré (bombe de décompression) : "
        "elle est refusée."
    ),
    "entities": gettext_lazy(
        "Le document contient des déclarations XML interdites (entités, DTD) : il est refusé."
    ),
    "broken": gettext_lazy(
        "Le fichier est abîmé ou d'un format inattendu : il n'a pas pu être lu."
    ),
    "too_long": gettext_lazy("Le document est trop long pour être importé."),
    "encrypted": gettext_lazy("Le PDF est protégé par un mot de passe."),
}


class _Refused(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _read_in_child(data: bytes) -> dict:
    if data.startswith(b"%PDF-") or data[:1024].find(b"%PDF-") != -1:
        return {"format": "pdf", "text": _pdf_text(data)}
    if data.startswith(b"PK\x03\x04"):
        return _zip_document(data)
    return {"format": "txt", "text": _plain_text(data)}


def _plain_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data:
        # UTF-16 text starts with a byte order mark; anything else with NULs is binary.
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            text = data.decode("utf-16", errors="strict")
            return _check_text(text)
        raise _Refused("binary")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return _check_text(text)


def _check_text(text: str) -> str:
    sample = text[:20000]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    odd = sum(1 for c in sample if c == "\ufffd" or 0x80 <= ord(c) < 0xA0)
    if sample and (controls + odd) / len(sample) > 0.02:
        raise _Refused("binary")
    if len(text) > MAX_TEXT_CHARS:
        raise _Refused("too_long")
    if not text.strip():
        raise _Refused("empty")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _zip_document(data: bytes) -> dict:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _Refused("broken") from None
    if "word/document.xml" in names:
        xml = _zip_member(archive, "word/document.xml")
        return {"format": "docx", "text": _docx_text(xml)}
    if "content.xml" in names:
        if "mimetype" in names:
            mimetype = _zip_member(archive, "mimetype").strip()
            if mimetype != b"application/vnd.oasis.opendocument.text":
                raise _Refused("binary")
        return {"format": "odt", "text": _odt_text(_zip_member(archive, "content.xml"))}
    raise _Refused("binary")


def _zip_member(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > MAX_UNZIPPED_BYTES:
        raise _Refused("bomb")
    if info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO:
        raise _Refused("bomb")
    # The declared size may lie: read in chunks and stop at the cap whatever it says.
    chunks, total = [], 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(1 << 20):
                total += len(chunk)
                if total > MAX_UNZIPPED_BYTES:
                    raise _Refused("bomb")
                chunks.append(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
        raise _Refused("broken") from None
    return b"".join(chunks)


def _parse_xml(xml: bytes):
    from xml.etree.ElementTree import ParseError

    import defusedxml.ElementTree as SafeET
    from defusedxml import DefusedXmlException

    try:
        return SafeET.fromstring(xml, forbid_dtd=True)
    except DefusedXmlException:
        raise _Refused("entities") from None
    except ParseError:
        raise _Refused("broken") from None


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_text(xml: bytes) -> str:
    """Paragraphs and table rows of a Word document, one line each.

    A heading keeps its text on a line of its own; a table row becomes one line with its
    cells separated by wide spacing, as a text report lays out columns.
    """
    root = _parse_xml(xml)
    body = root.find(f"{_W}body")
    if body is None:
        raise _Refused("broken")
    lines: list[str] = []
    for block in body:
        if block.tag == f"{_W}p":
            lines.append(_heading_mark(_docx_level(block)) + _docx_paragraph(block))
        elif block.tag == f"{_W}tbl":
            rows = [
                [
                    " ".join(_docx_paragraph(p) for p in cell.iter(f"{_W}p")).strip()
                    for cell in row.iter(f"{_W}tc")
                ]
                for row in block.iter(f"{_W}tr")
            ]
            lines += _table_lines(rows)
    return _check_text("\n".join(lines))


# Table cells are padded to a common width, so that the columns of successive tables
# (a header table, then a content table) line up as in a text report.
CELL_WIDTH = 45


def _table_lines(rows: list[list[str]]) -> list[str]:
    lines = []
    for cells in rows:
        padded = [cell.ljust(max(CELL_WIDTH, len(cell) + 4)) for cell in cells[:-1]]
        lines.append(("".join(padded) + (cells[-1] if cells else "")).rstrip())
    return [*lines, ""]


def _heading_mark(level: int) -> str:
    return "#" * level + " " if level else ""


def _docx_level(paragraph) -> int:
    """The heading level of a Word paragraph from its style id (Heading2, Titre2…)."""
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    name = style.get(f"{_W}val", "") if style is not None else ""
    match = re.match(r"^(?:heading|titre|berschrift)\s*(\d)$", name, re.I)
    if match:
        return int(match.group(1))
    return 1 if name.lower() in ("title", "titre") else 0


def _docx_paragraph(paragraph) -> str:
    parts = []
    for node in paragraph.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append("\t")  # kept: a row of tab-separated cells is a table
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _odt_text(xml: bytes) -> str:
    root = _parse_xml(xml)
    lines: list[str] = []

    def walk(node) -> None:
        for child in node:
            if child.tag == f"{_TEXT}p":
                lines.append(_odt_inline(child))
            elif child.tag == f"{_TEXT}h":
                level = child.get(f"{_TEXT}outline-level", "1")
                level = int(level) if level.isdigit() else 1
                lines.append(_heading_mark(min(level, 6)) + _odt_inline(child))
            elif child.tag == f"{_TABLE}table":
                rows = [
                    [
                        " ".join(_odt_inline(p) for p in cell.iter(f"{_TEXT}p")).strip()
                        for cell in row.iter(f"{_TABLE}table-cell")
                    ]
                    for row in child.iter(f"{_TABLE}table-row")
                ]
                lines.extend(_table_lines(rows))
            else:
                walk(child)

    walk(root)
    return _check_text("\n".join(lines))


def _odt_inline(node) -> str:
    parts = [node.text or ""]
    for child in node:
        if child.tag == f"{_TEXT}s":
            count = child.get(f"{_TEXT}c", "1")
            parts.append(" " * min(int(count) if count.isdigit() else 1, 200))
        elif child.tag == f"{_TEXT}tab":
            parts.append("\t")
        elif child.tag == f"{_TEXT}line-break":
            parts.append("\n")
        else:
            parts.append(_odt_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


# pdfium reports a word cut at the end of a line with \x02 and no line break; other tools
# keep the hyphen and the break ("coopé-\nration"): joined when the next line goes on in
# lower case.
_HYPHENATED = re.compile(r"(\w)[-\u00ad]\n([a-zà-ÿœ])")


def _page_layout(textpage) -> str:
    """A PDF page's text with its layout: wide gaps kept as wide spacing (so that table
    columns stay apart, as `pdftotext -layout` keeps them) and a blank line where the
    page leaves vertical space between paragraphs. Positions are read only at the ends of
    words, so a long report stays fast."""
    count = textpage.count_chars()
    if count <= 0:
        return ""
    text = textpage.get_text_range(0, count)
    # Each line: its baseline and its words as (left, right, text).
    lines: list[tuple[float, list[tuple[float, float, str]]]] = []
    words: list[tuple[float, float, str]] = []
    widths: list[float] = []
    state = {"word": "", "start": -1, "baseline": None}

    def close_word() -> None:
        word, start = state["word"], state["start"]
        if word:
            left, bottom, right, _top = textpage.get_charbox(start)
            if len(word) > 1:
                right = textpage.get_charbox(start + len(word) - 1)[2]
            if right > left:
                widths.append((right - left) / len(word))
            words.append((left, max(left, right), word))
            # A glyph the font lacks (a private-use bullet) has no true box: the
            # baseline is read on a word of letters.
            if state["baseline"] is None and sum(c.isalpha() for c in word) >= 2:
                state["baseline"] = bottom
        state["word"], state["start"] = "", -1

    def close_line() -> None:
        nonlocal words
        close_word()
        baseline = state["baseline"]
        lines.append((baseline if baseline is not None else 0.0, words))
        words, state["baseline"] = [], None

    for index, char in enumerate(text[:count]):
        if char == "\n":
            close_line()
        elif char == "\r":
            continue
        elif char in "\ufffe\x02":
            # pdfium's mark of a word cut at the end of a line: the line ends there, with
            # the hyphen that `_HYPHENATED` joins below.
            if state["word"]:
                state["word"] += "-"
            close_line()
        elif char.isspace():
            close_word()
        else:
            if not state["word"]:
                state["start"] = index
            state["word"] += char
    close_line()
    # A narrow unit (most words are wider): text never overflows into the next column.
    unit = sorted(widths)[len(widths) // 8] if widths else 5.0
    left_edge = min((ws[0][0] for _b, ws in lines if ws), default=0.0)
    gaps = sorted(
        abs(lines[i][0] - lines[i + 1][0])
        for i in range(len(lines) - 1)
        if lines[i][1] and lines[i + 1][1]
    )
    # The distance between two lines of one paragraph: the small gaps, not the median (a
    # document of short paragraphs has as many blank lines as lines).
    line_height = gaps[len(gaps) // 5] if gaps else 0.0
    out: list[str] = []
    previous = None
    for baseline, line_words in lines:
        if not line_words:
            continue
        if previous is not None and line_height and abs(previous - baseline) > 1.6 * line_height:
            out.append("")
        previous = baseline
        row, end = "", None
        for left, right, token in line_words:
            column = max(0, round((left - left_edge) / unit))
            if not row:
                row = " " * min(column, 200)
            elif left - end < 2.5 * unit:
                row += " "  # an ordinary space between two words
            else:
                row = row.ljust(max(column, len(row) + 3))  # a gap between columns
            row += token
            end = right
        out.append(row.rstrip())
    return "\n".join(out)


def _pdf_text(data: bytes) -> str:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise _Refused("encrypted" if "password" in str(error).lower() else "broken") from None
    try:
        if len(pdf) > MAX_PDF_PAGES:
            raise _Refused("too_long")
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            pages.append(_page_layout(textpage))
            textpage.close()
            page.close()
    except pdfium.PdfiumError:
        raise _Refused("broken") from None
    finally:
        pdf.close()
    # A page break ends a paragraph, as the blank line it replaces did.
    text = "\n\n".join(pages).replace("\r\n", "\n").replace("\r", "\n")
    # Words cut at the end of a line ("coopé-\nration") are joined again; a soft hyphen
    # at the end of a line is what pdfium reports for them.
    text = _HYPHENATED.sub(lambda m: m.group(1) + m.group(2), text)
    return _check_text(text.replace("\x02", "").replace("\u00ad", ""))


def main() -> None:
    # The child limits itself first thing (rather than through preexec_fn, which is not
    # safe in a threaded web server).
    _limit_child()
    data = sys.stdin.buffer.read()
    try:
        answer = _read_in_child(data)
    except _Refused as refusal:
        answer = {"error": refusal.code}
    except MemoryError:
        answer = {"error": "bomb"}
    except Exception:  # noqa: BLE001 (any parser failure is a broken file, said as such)
        answer = {"error": "broken"}
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    main()
