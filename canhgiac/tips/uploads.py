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


# --- Files kept across a validation error ------------------------------------------------------
# A form shown again with an error must not make a tipster (or the officer at the phone) pick the
# photo again. Files that pass the checks are kept in a private staging folder for a day, named by
# a random token; the form carries the tokens signed, so nobody can point it at another file.

_SALT = "tips.kept-uploads"
_KEEP_SECONDS = 24 * 3600


def _staging_dir():
    from pathlib import Path

    path = Path(conf.private_media_dir()) / "staging"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sweep(folder) -> None:
    import time

    cutoff = time.time() - _KEEP_SECONDS
    for item in folder.iterdir():
        if item.stat().st_mtime < cutoff:
            item.unlink(missing_ok=True)


def stage(files) -> tuple[str, list[str]]:
    """Keep the files that pass the checks; returns (signed token for the form, their names)."""
    import json

    from django.core import signing

    folder = _staging_dir()
    _sweep(folder)
    tokens, names = [], []
    for upload in [f for f in files or [] if f][: conf.get("TIP_MAX_FILES")]:
        try:
            check_upload(upload)
        except ValidationError:
            continue
        token = uuid.uuid4().hex
        upload.seek(0)
        (folder / token).write_bytes(upload.read())
        name = str(getattr(upload, "name", "tệp"))[:120]
        (folder / f"{token}.json").write_text(json.dumps({"name": name}), encoding="utf-8")
        tokens.append(token)
        names.append(name)
    return (signing.dumps(tokens, salt=_SALT) if tokens else ""), names


def unstage(signed: str) -> list:
    """The files kept by `stage`, as uploaded files again (an unknown or forged token gives none)."""
    import json

    from django.core import signing
    from django.core.files.uploadedfile import SimpleUploadedFile

    if not signed:
        return []
    try:
        tokens = signing.loads(signed, salt=_SALT, max_age=_KEEP_SECONDS)
    except signing.BadSignature:
        return []
    folder = _staging_dir()
    files = []
    for token in tokens if isinstance(tokens, list) else []:
        if not (isinstance(token, str) and token.isalnum()):
            continue
        data, meta = folder / token, folder / f"{token}.json"
        if data.exists() and meta.exists():
            name = json.loads(meta.read_text(encoding="utf-8")).get("name", "tệp")
            files.append(SimpleUploadedFile(name, data.read_bytes()))
    return files


def discard(signed: str) -> None:
    """Remove kept files once the tip is saved."""
    from django.core import signing

    try:
        tokens = signing.loads(signed, salt=_SALT) if signed else []
    except signing.BadSignature:
        return
    folder = _staging_dir()
    for token in tokens if isinstance(tokens, list) else []:
        if isinstance(token, str) and token.isalnum():
            (folder / token).unlink(missing_ok=True)
            (folder / f"{token}.json").unlink(missing_ok=True)
