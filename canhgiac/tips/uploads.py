"""Checks and cleans files a tipster attaches: type by content (not by name), size limits, and
photos re-encoded without their metadata (EXIF GPS position, camera serial, time)."""

import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from canhgiac.tips import conf

PHOTO_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
Image.MAX_IMAGE_PIXELS = 60_000_000  # refuse decompression bombs


def _video_type(head: bytes) -> tuple[str, str] | None:
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        return ("mov", "video/quicktime") if brand == b"qt  " else ("mp4", "video/mp4")
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm", "video/webm"
    return None


def clean_photo(data: bytes, name: str) -> tuple[ContentFile, str]:
    try:
        image = Image.open(io.BytesIO(data))
        fmt = image.format
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(_("Tệp “%(name)s” không phải ảnh hợp lệ.") % {"name": name})
    if fmt not in PHOTO_FORMATS:
        raise ValidationError(_("Ảnh “%(name)s” phải là JPEG, PNG hoặc WebP.") % {"name": name})
    # Turn the pixels the way the camera meant, then write a new file from the pixels only:
    # no EXIF, no XMP, no ICC comments survive.
    image = ImageOps.exif_transpose(image)
    ext, content_type = PHOTO_FORMATS[fmt]
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    clean = Image.frombytes(image.mode, image.size, image.tobytes())  # fresh image: empty .info
    if image.mode == "P" and image.getpalette():
        clean.putpalette(image.getpalette())
    out = io.BytesIO()
    save_args = {"quality": 88} if fmt in ("JPEG", "WEBP") else {}
    clean.save(out, format=fmt, **save_args)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{ext}"), content_type


def check_upload(upload) -> dict:
    """Validate one uploaded file; returns {"kind", "content", "content_type", "size"}."""
    name = getattr(upload, "name", "tệp")
    size = upload.size
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    video = _video_type(head)
    if video:
        limit = conf.get("TIP_MAX_VIDEO_MB")
        if size > limit * 1024 * 1024:
            raise ValidationError(_("Video “%(name)s” vượt quá %(mb)s MB.") % {"name": name, "mb": limit})
        content = ContentFile(upload.read(), name=f"{uuid.uuid4().hex}.{video[0]}")
        return {"kind": "video", "content": content, "content_type": video[1], "size": size}
    limit = conf.get("TIP_MAX_PHOTO_MB")
    if size > limit * 1024 * 1024:
        raise ValidationError(_("Ảnh “%(name)s” vượt quá %(mb)s MB.") % {"name": name, "mb": limit})
    content, content_type = clean_photo(upload.read(), name)
    return {"kind": "photo", "content": content, "content_type": content_type, "size": content.size}


def check_uploads(files) -> list[dict]:
    files = [f for f in files or [] if f]
    limit = conf.get("TIP_MAX_FILES")
    if len(files) > limit:
        raise ValidationError(_("Chỉ được gửi tối đa %(n)s tệp.") % {"n": limit})
    return [check_upload(f) for f in files]
