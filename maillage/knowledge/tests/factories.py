"""factory_boy factories for the library, and small valid files of each accepted type."""

import io
import zipfile
from datetime import date

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from maillage.knowledge.models import (
    Collection,
    CollectionSheet,
    Criterion,
    EvaluationGrid,
    ExperienceSheet,
    Resource,
)


class SheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExperienceSheet

    title = factory.Sequence(lambda n: f"Expérience n°{n}")
    summary = "Ce que nous avons tenté."
    context = "Une petite commune rurale."
    outcome = "success"
    status = "published"
    visibility = "public"


class GridFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvaluationGrid
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Grille n°{n}")
    defined_by_name = "L'équipe d'animation"

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):
        if not create:
            return
        for position, name in enumerate(extracted or ["Reproductible", "Coopération"]):
            Criterion.objects.create(grid=obj, name=name, position=position)


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    kind = "link"
    title = factory.Sequence(lambda n: f"Ressource n°{n}")
    url = "https://example.org/guide"
    author = "Collectif Transition"
    published_on = date(2025, 3, 14)
    licence = "cc-by-sa"
    visibility = "public"


class CollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collection

    title = factory.Sequence(lambda n: f"Collection n°{n}")


def add_to_collection(collection, *sheets) -> None:
    for position, sheet in enumerate(sheets):
        CollectionSheet.objects.create(collection=collection, sheet=sheet, position=position)


# --- Files -----------------------------------------------------------------------

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_file(name: str = "guide.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "teal").save(out, "PNG")
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def odt_bytes() -> bytes:
    return zip_bytes(
        {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}
    )
