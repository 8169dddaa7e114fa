"""Printable documents: PDF from a template, and one neutral "blocks" structure that
renders to Markdown and to an office document (docx).

Shared by every app that prints something (event syntheses, knowledge sheets and
booklets). PDFs are made by WeasyPrint from an ordinary Django template; the only
resources it may load are our own static files (and `data:` URIs): a PDF rendered on the
server must never make the server fetch a URL chosen by whoever wrote the content.

Blocks are small dataclasses (`Heading`, `Paragraph`, `Bullets`, `Table`); an app builds a
list of them once and gets `markdown_from_blocks(blocks)` and `docx_from_blocks(blocks)`.
"""

from __future__ import annotations

import io
import mimetypes
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest
from django.template.loader import render_to_string

# Only used as a base for relative URLs in the HTML; never contacted.
DEFAULT_BASE_URL = "https://maillage.invalid/"


# --- PDF ---------------------------------------------------------------------------


def static_file_path(url: str) -> Path | None:
    """The file on disk behind a static URL (any host), or None if it is not ours."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https", ""):
        return None
    prefix = urlsplit(settings.STATIC_URL).path
    path = unquote(parts.path)
    if not path.startswith(prefix):
        return None
    name = path.removeprefix(prefix)
    if not name or ".." in Path(name).parts or name.startswith("/"):
        return None
    # Collected files (hashed names in production) first, then the finders (development).
    try:
        if staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
    except (NotImplementedError, ValueError, OSError):
        pass
    found = finders.find(name)
    if isinstance(found, list):
        found = found[0] if found else None
    return Path(found) if found else None


def _url_fetcher():
    # Imported lazily: loading WeasyPrint (pango, cairo…) costs time at start-up.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves our static files and `data:` URIs; refuses everything else."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_file_path(url)
            if path is None or not path.is_file():
                raise ValueError(f"Ressource refusée (seuls les fichiers statiques) : {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticOnlyFetcher()


def render_pdf(
    template_name: str,
    context: dict[str, Any],
    *,
    request: HttpRequest | None = None,
    base_url: str | None = None,
) -> bytes:
    """Render a Django template to PDF bytes with WeasyPrint.

    `<link href="{% static '…' %}">` and `<img src="{% static '…' %}">` work; any other
    URL (another site, a file: path, our own media) is refused and left out of the PDF.
    """
    from weasyprint import HTML

    html = render_to_string(template_name, context, request=request)
    if base_url is None:
        base_url = request.build_absolute_uri("/") if request is not None else DEFAULT_BASE_URL
    return HTML(string=html, base_url=base_url, url_fetcher=_url_fetcher()).write_pdf()


def _open_pdf(pdf: bytes):
    import pypdfium2 as pdfium

    return pdfium.PdfDocument(pdf)


def pdf_page_png(pdf: bytes, page: int = 0, scale: float = 1.5) -> bytes:
    """One page of a PDF as a PNG image (for previews and browser-test screenshots)."""
    document = _open_pdf(pdf)
    try:
        image = document[page].render(scale=scale).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()
    finally:
        document.close()


def pdf_text(pdf: bytes) -> str:
    """The text of every page of a PDF, pages separated by a form feed."""
    document = _open_pdf(pdf)
    try:
        pages = (page.get_textpage().get_text_range() for page in document)
        return "\f".join(text.replace("\r\n", "\n") for text in pages)
    finally:
        document.close()


def pdf_page_count(pdf: bytes) -> int:
    document = _open_pdf(pdf)
    try:
        return len(document)
    finally:
        document.close()


# --- Blocks ------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 is the document title; 2, 3… sections.


@dataclass(frozen=True)
class Paragraph:
    text: str
    label: str = ""  # printed in bold before the text ("Question : …").


@dataclass(frozen=True)
class Bullets:
    items: Sequence[str]


@dataclass(frozen=True)
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[str]] = field(default_factory=list)


Block = Heading | Paragraph | Bullets | Table

_MD_INLINE = re.compile(r"([\\`*_\[\]<>|])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.MULTILINE)


def markdown_escape(text: str, *, block: bool = True) -> str:
    """Escape what Markdown would read as markup, so user text stays text. `block=False`
    for text that follows a marker on its line (a heading, a table cell)."""
    text = _MD_INLINE.sub(r"\\\1", str(text))
    if not block:
        return text
    return _MD_LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}", text)


def _md_cell(text: str) -> str:
    return markdown_escape(" ".join(str(text).split()), block=False) or " "


def markdown_from_blocks(blocks: Iterable[Block]) -> str:
    """Render blocks as CommonMark (tables in the GitHub flavour)."""
    chunks: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 6)
            chunks.append(
                f"{'#' * level} {markdown_escape(' '.join(block.text.split()), block=False)}"
            )
        elif isinstance(block, Paragraph):
            lines = [markdown_escape(line.rstrip()) for line in block.text.strip().splitlines()]
            # A blank line inside the text would end the paragraph (and the label's scope).
            body = "\\\n".join(line for line in lines if line)
            if block.label:
                body = f"**{markdown_escape(block.label)}** {body}".rstrip()
            if body:
                chunks.append(body)
        elif isinstance(block, Bullets):
            items = [" ".join(str(item).split()) for item in block.items]
            if items:
                chunks.append("\n".join(f"- {markdown_escape(item)}" for item in items if item))
        elif isinstance(block, Table):
            lines = [
                "| " + " | ".join(_md_cell(cell) for cell in block.header) + " |",
                "|" + "|".join(" --- " for _ in block.header) + "|",
            ]
            lines += [
                "| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in block.rows
            ]
            chunks.append("\n".join(lines))
        else:  # pragma: no cover - a programming error, not user input
            raise TypeError(f"Unknown block: {block!r}")
    return "\n\n".join(chunks) + "\n"


def _add_text(paragraph, text: str) -> None:
    lines = str(text).strip().splitlines()
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        if index < len(lines) - 1:
            run.add_break()


def docx_from_blocks(blocks: Iterable[Block], *, title: str = "") -> bytes:
    """Render blocks as a Word document (.docx), which LibreOffice opens too."""
    from docx import Document

    document = Document()
    if title:
        document.core_properties.title = title
    document.core_properties.language = "fr-FR"
    for block in blocks:
        if isinstance(block, Heading):
            document.add_heading(
                " ".join(block.text.split()), level=min(max(block.level - 1, 0), 9)
            )
        elif isinstance(block, Paragraph):
            paragraph = document.add_paragraph()
            if block.label:
                paragraph.add_run(f"{block.label} ").bold = True
            _add_text(paragraph, block.text)
        elif isinstance(block, Bullets):
            for item in block.items:
                _add_text(document.add_paragraph(style="List Bullet"), item)
        elif isinstance(block, Table):
            table = document.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.header, strict=True):
                cell.text = str(text)
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in block.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = str(text)
            document.add_paragraph()
        else:  # pragma: no cover
            raise TypeError(f"Unknown block: {block!r}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_text(docx: bytes) -> str:
    """All the text of a .docx, paragraphs and table cells, one per line (for tests)."""
    from docx import Document

    document = Document(io.BytesIO(docx))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)
