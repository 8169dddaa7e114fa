"""Unit tests of maillage/core/documents.py: PDF rendering with static-only fetching,
PDF text and images, and the blocks rendered to Markdown and docx."""

import io

import pytest
from django.test import override_settings
from PIL import Image

from maillage.core import documents
from maillage.core.documents import (
    Bullets,
    Heading,
    Paragraph,
    Table,
    docx_from_blocks,
    docx_text,
    markdown_from_blocks,
    pdf_page_count,
    pdf_page_png,
    pdf_text,
    render_pdf,
    static_file_path,
)

TEMPLATE = """{% load static %}<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<link rel="stylesheet" href="{% static 'testdocs/page.css' %}">
<link rel="stylesheet" href="http://example.com/evil.css">
</head><body><h1>{{ title }}</h1>
<img src="http://127.0.0.1:9/tracker.png" alt="">
<img src="file:///etc/passwd" alt="">
<p>{{ body }}</p></body></html>"""


@pytest.fixture
def pdf_templates(tmp_path, settings):
    static_dir = tmp_path / "static"
    (static_dir / "testdocs").mkdir(parents=True)
    # A6 pages: if the stylesheet was fetched, the PDF shows it.
    (static_dir / "testdocs" / "page.css").write_text("@page { size: A6; margin: 1cm }")
    templates = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {
                "loaders": [
                    ("django.template.loaders.locmem.Loader", {"testdocs/doc.html": TEMPLATE})
                ],
            },
        }
    ]
    with override_settings(TEMPLATES=templates, STATICFILES_DIRS=[static_dir]):
        yield static_dir


def test_render_pdf_uses_static_css_and_refuses_other_urls(pdf_templates, monkeypatch):
    fetched = []
    original = documents.static_file_path

    def spy(url):
        fetched.append(url)
        return original(url)

    monkeypatch.setattr(documents, "static_file_path", spy)
    pdf = render_pdf("testdocs/doc.html", {"title": "Synthèse du forum", "body": "Énergie"})
    assert pdf.startswith(b"%PDF")
    text = " ".join(pdf_text(pdf).split())  # lines are broken where the layout broke them
    assert "Synthèse du forum" in text
    assert "Énergie" in text
    # A6 is 297.6 × 419.5 points: the static stylesheet was applied.
    import pypdfium2 as pdfium

    width, height = pdfium.PdfDocument(pdf)[0].get_size()
    assert round(width) == 298 and round(height) == 420
    # The other URLs went through our fetcher, which refused them.
    assert any("example.com" in url for url in fetched)
    assert any("127.0.0.1:9" in url for url in fetched)


def test_static_file_path_only_serves_static_files(pdf_templates):
    assert static_file_path("https://maillage.invalid/static/testdocs/page.css").name == "page.css"
    assert static_file_path("/static/testdocs/page.css") is not None
    assert static_file_path("https://maillage.invalid/static/testdocs/missing.css") is None
    assert static_file_path("https://maillage.invalid/static/../settings.py") is None
    assert static_file_path("https://maillage.invalid/static/%2e%2e/x.css") is None
    assert static_file_path("https://maillage.invalid/media/photo.png") is None
    assert static_file_path("file:///etc/passwd") is None
    assert static_file_path("ftp://example.com/static/testdocs/page.css") is None


def test_fetcher_refuses_non_static_and_serves_static(pdf_templates):
    fetcher = documents._url_fetcher()
    with pytest.raises(ValueError, match="refusée"):
        fetcher.fetch("http://example.com/evil.css")
    with pytest.raises(ValueError, match="refusée"):
        fetcher.fetch("file:///etc/passwd")
    response = fetcher.fetch("https://maillage.invalid/static/testdocs/page.css")
    assert b"A6" in response.read()
    assert response.content_type == "text/css"


def test_pdf_page_png_renders_an_image(pdf_templates):
    pdf = render_pdf("testdocs/doc.html", {"title": "Titre", "body": "x " * 2000})
    assert pdf_page_count(pdf) >= 2
    png = pdf_page_png(pdf, page=1, scale=1)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (298, 420)
    bigger = Image.open(io.BytesIO(pdf_page_png(pdf, scale=2)))
    assert abs(bigger.size[0] - 595) <= 1 and abs(bigger.size[1] - 839) <= 1


BLOCKS = [
    Heading("Synthèse : forum ouvert", 1),
    Paragraph("Deux jours de travail.\nTrente personnes."),
    Heading("2. Groupe *mobilité*", 2),
    Paragraph("Comment se déplacer sans voiture ?", label="Question :"),
    Bullets(["Un # qui n'est pas un titre", "- pas une sous-liste", "[lien](http://x)"]),
    Table(["Groupe", "Suites"], [["Mobilité | vélo", "3"], ["Énergie\ncitoyenne", "0"]]),
]


def test_markdown_from_blocks():
    md = markdown_from_blocks(BLOCKS)
    assert md.startswith("# Synthèse : forum ouvert\n\nDeux jours de travail.\\\nTrente personnes.")
    assert "## 2. Groupe \\*mobilité\\*" in md
    assert "**Question :** Comment se déplacer sans voiture ?" in md
    assert "- Un # qui n'est pas un titre" in md
    assert "- \\- pas une sous-liste" in md
    assert "\\[lien\\](http://x)" in md
    assert "| Groupe | Suites |\n| --- | --- |\n| Mobilité \\| vélo | 3 |" in md
    assert "| Énergie citoyenne | 0 |" in md


def test_markdown_renders_back_to_the_same_text():
    import markdown

    html = markdown.markdown(markdown_from_blocks(BLOCKS), extensions=["tables"])
    assert "<h2>2. Groupe *mobilité*</h2>" in html
    assert "<a" not in html
    assert "<strong>Question :</strong>" in html
    assert html.count("<tr>") == 3


def test_docx_from_blocks():
    from docx import Document

    data = docx_from_blocks(BLOCKS, title="Synthèse")
    document = Document(io.BytesIO(data))
    assert document.core_properties.title == "Synthèse"
    styles = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert ("Title", "Synthèse : forum ouvert") in styles
    assert ("Heading 1", "2. Groupe *mobilité*") in styles
    assert ("List Bullet", "- pas une sous-liste") in styles
    question = next(p for p in document.paragraphs if p.text.startswith("Question"))
    assert question.runs[0].bold and question.text.endswith("sans voiture ?")
    table = document.tables[0]
    assert [c.text for c in table.rows[1].cells] == ["Mobilité | vélo", "3"]
    assert "Énergie\ncitoyenne" in docx_text(data)
