"""Documents uploaded to the library are checked by their content, not their name.

A PDF must start with ``%PDF-``; an image must be read by Pillow (and is re-encoded by
the directory's `clean_image`, which drops EXIF positions); office files are zip archives
that must hold the members of their format (``word/document.xml`` for a .docx, a
``mimetype`` member naming the OpenDocument type for an .odt…). Nothing is extracted: the
archive's table of contents and the tiny ``mimetype`` member are all that is read.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from maillage.directory.images import clean_image

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

OOXML = {
    "docx": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
}
ODF = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
IMAGES = {"jpg", "jpeg", "png", "webp", "gif"}
ACCEPTED = ["pdf", *sorted(IMAGES), *OOXML, *ODF]


@dataclass
class CheckedFile:
    upload: UploadedFile
    name: str
    file_type: str
    content_type: str


def max_bytes() -> int:
    return getattr(settings, "LIBRARY_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES)


def _mismatch(ext: str) -> ValidationError:
    return ValidationError(
        _("Le contenu de ce fichier ne correspond pas à son type (.%(ext)s).") % {"ext": ext},
        code="content_mismatch",
    )


def _check_zip(upload: UploadedFile, ext: str) -> None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if ext in OOXML:
                if "[Content_Types].xml" not in names or OOXML[ext][0] not in names:
                    raise _mismatch(ext)
                return
            info = archive.getinfo("mimetype") if "mimetype" in names else None
            if info is None or info.file_size > 100:
                raise _mismatch(ext)
            if archive.read(info).decode("ascii", "replace").strip() != ODF[ext]:
                raise _mismatch(ext)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, RuntimeError) as error:
        raise _mismatch(ext) from error


def check_document(upload: UploadedFile) -> CheckedFile:
    """Return the checked file (an image re-encoded) or raise ValidationError."""
    name = PurePath(upload.name or "document").name[:200]
    ext = PurePath(name).suffix.lower().lstrip(".")
    if ext not in ACCEPTED:
        raise ValidationError(
            _("Type de fichier non accepté. Formats possibles : %(formats)s.")
            % {"formats": ", ".join(ACCEPTED)},
            code="extension",
        )
    if upload.size > max_bytes():
        raise ValidationError(
            _("Le fichier dépasse la taille maximale de %(max)s Mo.")
            % {"max": round(max_bytes() / (1024 * 1024), 1)},
            code="too_big",
        )
    if ext == "pdf":
        upload.seek(0)
        if not upload.read(5) == b"%PDF-":
            raise _mismatch(ext)
        upload.seek(0)
        return CheckedFile(upload, name, "pdf", "application/pdf")
    if ext in IMAGES:
        try:
            image = clean_image(upload)
        except ValidationError as error:
            raise _mismatch(ext) from error
        image_ext = PurePath(image.name).suffix.lstrip(".")
        name = f"{PurePath(name).stem}.{image_ext}"
        return CheckedFile(image, name, image_ext, image.content_type)
    _check_zip(upload, ext)
    upload.seek(0)
    content_type = OOXML[ext][1] if ext in OOXML else ODF[ext]
    return CheckedFile(upload, name, ext, content_type)
