"""Build docx, odt and pdf versions of a text in the tests, as networks' tools would.

Markdown headings become real headings; lines laid out in columns (three spaces or more
between parts) become table rows in docx; the PDF is laid out by WeasyPrint (Markdown
rendered as HTML, plain text kept line by line).
"""

import html
import io
import re

COLUMNS = re.compile(r"\s{3,}")


def _is_row(line: str) -> bool:
    return "\t" in line.strip() or len(COLUMNS.split(line.strip())) > 1


def _cells(run: list[str]) -> list[list[str]]:
    """The cells of lines laid out as a table, empty cells kept: tab-separated rows are
    split at each tab; rows aligned with spaces are cut at the header's column starts
    (the widest line), each part going to the nearest one."""
    if any("\t" in line for line in run):
        rows = [line.strip("\n").split("\t") for line in run]
    else:
        widest = max(run, key=lambda line: len(COLUMNS.split(line.strip())))
        starts = [m.start() for m in re.finditer(r"\S+(?: \S+)*", widest)]
        rows = []
        for line in run:
            row = ["" for _ in starts]
            for match in re.finditer(r"\S+(?: \S+)*", line):
                column = min(range(len(starts)), key=lambda c: abs(starts[c] - match.start()))
                row[column] = (row[column] + " " + match.group(0)).strip()
            rows.append(row)
    width = max(len(r) for r in rows)
    return [[c.strip() for c in r] + [""] * (width - len(r)) for r in rows]


def blocks(text: str) -> list[tuple[str, object]]:
    """The text as a word processor holds it: ("table", rows) for runs of lines laid out
    in columns, ("line", text) for the others."""
    out: list[tuple[str, object]] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if _is_row(lines[i]) and not _heading(lines[i])[0]:
            run = []
            while i < len(lines) and _is_row(lines[i]):
                run.append(lines[i])
                i += 1
            out.append(("table", _cells(run)))
            continue
        out.append(("line", lines[i]))
        i += 1
    return out


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
    for kind, content in blocks(text):
        if kind == "table":
            width = len(content[0])
            table = document.add_table(rows=len(content), cols=width)
            for r, cells in enumerate(content):
                for c, cell in enumerate(cells):
                    table.cell(r, c).text = cell
            continue
        level, heading = _heading(content)
        if level:
            document.add_heading(heading, level=min(level, 9))
        elif content.strip() != "---":
            document.add_paragraph(_inline(content))
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
        parts = []
        for kind, content in blocks(text):
            if kind == "table":
                # A table, as a word processor prints one: cells aligned, empty ones kept.
                rows = "".join(
                    "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"
                    for cells in content
                )
                parts.append(f"<table>{rows}</table>")
            elif content.strip():
                parts.append(f"<p>{html.escape(content)}</p>")
            else:
                parts.append("<p>&nbsp;</p>")
        body = "".join(parts)
    page = (
        "<html><head><style>@page { size: A4 landscape; margin: 1cm }"
        "body { font-family: sans-serif; font-size: 9pt } p { margin: 0; white-space: pre }"
        "td { vertical-align: top; padding: 0 2em 0 0; white-space: pre }"
        "</style></head><body>" + body + "</body></html>"
    )
    return HTML(string=page).write_pdf()
