"""Photos people upload are re-encoded from their pixels alone, so no metadata (EXIF GPS
position, camera serial, time, XMP, ICC comments) is ever stored."""

import io
import struct

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format -> (content type, file extension)
PHOTO_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}
# A photo of more pixels is refused from its header, before a single pixel is decoded: a 300 KB
# PNG can declare 10,000 × 10,000 pixels and take 300 MB to decode (docs/security.md, "Uploads").
MAX_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own guard, for any other caller


class NotAPhoto(ValueError):
    """The bytes are not an image Pillow can read."""


class UnsupportedPhoto(ValueError):
    """An image, but not JPEG, PNG or WebP."""


class PhotoTooLarge(ValueError):
    """More than MAX_PIXELS pixels; str() is the Vietnamese refusal naming the limit."""

    def __init__(self, width: int | None = None, height: int | None = None):
        limit = MAX_PIXELS // 1_000_000
        if width is None:
            message = _("Ảnh quá lớn: tối đa %(limit)s triệu điểm ảnh.") % {"limit": limit}
        else:
            message = _("Ảnh quá lớn: %(w)s × %(h)s điểm ảnh, tối đa %(limit)s triệu điểm ảnh.") % {
                "w": width,
                "h": height,
                "limit": limit,
            }
        super().__init__(message)


def _check_size(data: bytes) -> None:
    """Read only the header (Image.open decodes nothing) and refuse too many pixels."""
    try:
        with Image.open(io.BytesIO(data)) as header:
            width, height = header.size
    except Image.DecompressionBombError:  # Pillow's own check, at twice MAX_PIXELS, in open()
        raise PhotoTooLarge()
    if width * height > MAX_PIXELS:
        raise PhotoTooLarge(width, height)


def clean_photo(data: bytes, quality: int = 88) -> tuple[bytes, str, str]:
    """Return (clean bytes, content type, extension) or raise NotAPhoto / UnsupportedPhoto /
    PhotoTooLarge."""
    try:
        _check_size(data)
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        fmt = image.format
        image.load()
    except PhotoTooLarge:
        raise
    # Pillow reports a damaged PNG chunk (bad checksum) as SyntaxError and some truncated
    # headers as struct.error: all mean "not a photo we can take", never a server error.
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        struct.error,
        Image.DecompressionBombError,
    ) as exc:
        raise NotAPhoto(str(exc)) from exc
    if fmt not in PHOTO_FORMATS:
        raise UnsupportedPhoto(fmt)
    # Turn the pixels the way the camera meant, then write a new file from the pixels only.
    image = ImageOps.exif_transpose(image)
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    clean = Image.frombytes(image.mode, image.size, image.tobytes())  # fresh image: empty .info
    if image.mode == "P" and image.getpalette():
        clean.putpalette(image.getpalette())
    out = io.BytesIO()
    clean.save(out, format=fmt, **({"quality": quality} if fmt in ("JPEG", "WEBP") else {}))
    content_type, ext = PHOTO_FORMATS[fmt]
    return out.getvalue(), content_type, ext
