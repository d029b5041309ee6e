"""Photos of reports: checked by `rathaus.uploads` (type by content, size, virus scan), then decoded and encoded
anew with Pillow so that nothing but the pixels remains: no EXIF (GPS position, time, camera), no XMP, no ICC
profile, no comments. The picture is turned upright first (EXIF orientation) and made at most 2048 pixels wide
or high. HEIC photos (iPhones) become JPEG.

The original file is never kept: the location of a report is given explicitly, and what the phone recorded
besides (where the citizen stood, when, with which device) is personal data nobody needs.
"""

from __future__ import annotations

import io
import logging

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from rathaus.uploads.models import Upload
from rathaus.uploads.services import UploadRule
from rathaus.uploads.sniffing import HEIC, JPEG, PNG

from .errors import ReportError

logger = logging.getLogger(__name__)

PHOTO_RULE = UploadRule(document_id="maengel_foto", accept=(JPEG, PNG, HEIC), max_size_mb=10)
MAX_SIDE = 2048
MAX_PIXELS = 60_000_000  # a decompression bomb is refused before it is decoded
PHOTOS_MAX = 3


def _register_heif() -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()


_register_heif()


def clean_image(data: bytes) -> tuple[bytes, str, int, int]:
    """The picture in `data` encoded anew without metadata: (bytes, content type, width, height).

    PNG stays PNG (screenshots, drawings); JPEG and HEIC become JPEG. Raises ReportError when the picture cannot
    be decoded.
    """
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ReportError(_("This photo is too large. Please send a smaller one."), code="photo", field="fotos")
            fmt = image.format
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise ReportError(
            _("The photo could not be read. Please send it as JPG, PNG or HEIC."), code="photo", field="fotos"
        ) from error
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    # A new image from the pixels alone: nothing of the original's info (EXIF, XMP, ICC, text chunks) is copied.
    keep_alpha = fmt == "PNG" and upright.mode in ("RGBA", "LA", "P")
    mode = "RGBA" if keep_alpha else "RGB"
    pixels = upright.convert(mode)
    fresh = Image.new(mode, pixels.size)
    fresh.paste(pixels)
    out = io.BytesIO()
    if fmt == "PNG":
        fresh.save(out, format="PNG", optimize=True)
        content_type = PNG
    else:
        fresh.save(out, format="JPEG", quality=85, optimize=True)
        content_type = JPEG
    return out.getvalue(), content_type, fresh.width, fresh.height


def cleaned_file(upload: Upload) -> tuple[ContentFile, str, int, int]:
    """The accepted upload's picture without metadata, ready to be stored."""
    with upload.file.open("rb") as stored:
        data = stored.read()
    content, content_type, width, height = clean_image(data)
    return ContentFile(content, name="photo"), content_type, width, height
