"""Checks and cleans files a tipster attaches: type by content (not by name), size limits, and
photos re-encoded without their metadata (EXIF GPS position, camera serial, time)."""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from canhgiac.core import photos
from canhgiac.tips import conf


def _video_type(head: bytes) -> tuple[str, str] | None:
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        return ("mov", "video/quicktime") if brand == b"qt  " else ("mp4", "video/mp4")
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm", "video/webm"
    return None


def clean_photo(data: bytes, name: str) -> tuple[ContentFile, str]:
    try:
        clean, content_type, ext = photos.clean_photo(data)
    except photos.PhotoTooLarge as exc:
        raise ValidationError(_("Tệp “%(name)s”: %(reason)s") % {"name": name, "reason": exc})
    except photos.NotAPhoto:
        raise ValidationError(_("Tệp “%(name)s” không phải ảnh hợp lệ.") % {"name": name})
    except photos.UnsupportedPhoto:
        raise ValidationError(_("Ảnh “%(name)s” phải là JPEG, PNG hoặc WebP.") % {"name": name})
    return ContentFile(clean, name=f"{uuid.uuid4().hex}{ext}"), content_type


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
