"""Photos people upload are re-encoded from their pixels alone, so no metadata (EXIF GPS
position, camera serial, time, XMP, ICC comments) is ever stored."""

import io

from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format -> (content type, file extension)
PHOTO_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}
Image.MAX_IMAGE_PIXELS = 60_000_000  # refuse decompression bombs


class NotAPhoto(ValueError):
    """The bytes are not an image Pillow can read."""


class UnsupportedPhoto(ValueError):
    """An image, but not JPEG, PNG or WebP."""


def clean_photo(data: bytes, quality: int = 88) -> tuple[bytes, str, str]:
    """Return (clean bytes, content type, extension) or raise NotAPhoto / UnsupportedPhoto."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        fmt = image.format
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
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
