"""Uploaded images are checked by content, capped in size and re-encoded.

Re-encoding through Pillow drops every metadata block (EXIF with GPS position, camera
serial, XMP…) and anything hidden after the image data.
"""

import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_SIDE = 1600
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
ACCEPTED = {"JPEG", "PNG", "WEBP", "GIF"}


def clean_image(upload: UploadedFile | None) -> UploadedFile | None:
    """Return a re-encoded JPEG (or PNG when transparent) or raise ValidationError."""
    if not upload:
        return upload
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("L'image dépasse %(max)s Mo.") % {"max": MAX_BYTES // (1024 * 1024)}, code="too_big"
        )
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            if kind not in ACCEPTED:
                raise ValidationError(
                    _("Format d'image non accepté : envoyez un JPEG, PNG, WebP ou GIF."),
                    code="format",
                )
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("Cette image est trop grande."), code="too_many_pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            transparent = image.mode in ("RGBA", "LA") or "transparency" in image.info
            out = io.BytesIO()
            if transparent:
                image.convert("RGBA").save(out, "PNG", optimize=True)
                ext, mime = "png", "image/png"
            else:
                image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
                ext, mime = "jpg", "image/jpeg"
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("Ce fichier n'est pas une image lisible."), code="not_an_image"
        ) from error
    return SimpleUploadedFile(f"image.{ext}", out.getvalue(), content_type=mime)
