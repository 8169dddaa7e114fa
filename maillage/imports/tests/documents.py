"""Build docx, odt and pdf versions of a text in the tests, as networks' tools would.

Markdown headings become real headings; lines laid out in columns (three spaces or more
between parts) become table rows in docx; the PDF is laid out by WeasyPrint (Markdown
rendered as HTML, plain text kept line by line).
"""

import html
import io
import re

COLUMNS = re.compile(r"\s{3,}")


def _heading(line: str) -> tuple[int, str]:
    match = re.match(r"^\s{0,3}(#{1,6})\s+(.*)$", line)
    if not match:
        return 0, line
    text = re.sub(r"<sup>.*?</sup>|\*+", "", match.group(2)).strip()
    return len(match.group(1)), text


def _inline(text: str) -> str:
    """Markdown marks a word processor would not show."""
    text = re.sub(r"<sup>.*?</sup>", "", text)
    text = re.sub(r"\[([^\]]*)\]\(([^)]*)\)", lambda m: m.group(1), text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    return text.replace("**", "").replace("*", "")


def to_docx(text: str) -> bytes:
    from docx import Document

    document = Document()
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        level, heading = _heading(line)
        if level:
            document.add_heading(heading, level=min(level, 9))
            i += 1
            continue
        if len(COLUMNS.split(line.strip())) > 1:
            rows = []
            while i < len(lines) and len(COLUMNS.split(lines[i].strip())) > 1:
                rows.append(COLUMNS.split(lines[i].strip()))
                i += 1
            width = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=width)
            for r, cells in enumerate(rows):
                for c, cell in enumerate(cells):
                    table.cell(r, c).text = cell
            continue
        if line.strip() == "---":
            i += 1
            continue
        document.add_paragraph(_inline(line))
        i += 1
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_odt(text: str) -> bytes:
    from odf import teletype
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    for line in text.split("\n"):
        level, heading = _heading(line)
        if level:
            element = H(outlinelevel=level)
            teletype.addTextToElement(element, heading)
        else:
            element = P()
            teletype.addTextToElement(element, _inline(line))
        document.text.addElement(element)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def to_pdf(text: str, *, markdown: bool = False) -> bytes:
    from weasyprint import HTML

    if markdown:
        import markdown as md

        body = md.markdown(text)
    else:
        body = "".join(
            f"<p>{html.escape(line)}</p>" if line.strip() else "<p>&nbsp;</p>"
            for line in text.split("\n")
        )
    page = (
        "<html><head><style>@page { size: A4 landscape; margin: 1cm }"
        "body { font-family: sans-serif; font-size: 9pt } p { margin: 0; white-space: pre }"
        "</style></head><body>" + body + "</body></html>"
    )
    return HTML(string=page).write_pdf()
