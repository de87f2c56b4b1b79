"""Normalised contact keys of subject records: the links the data implies ("same phone", "same bank
account", "same address", "same online account", "same vehicle") are two records sharing a key.

Keys are derived from the record's fields (`FIELDS`), kept in `LinkKey` by `refresh` (called when a
record is saved, and by bulk writers after their batch), never typed by hand. Fields the record
model does not have yet (bank account, online account, plate: added with entity resolution) are
skipped, so their links appear as soon as the fields exist.
"""

from __future__ import annotations

import re

from django.db import transaction

from canhgiac.core.text import fold

_DIGITS = re.compile(r"\D+")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
# An address links two records only when it names a house (a number) and is long enough not to be
# just a commune or a street: "Buôn Ma Thuột" alone would link everyone who lives there.
MIN_ADDRESS = 10


def phone_key(raw: str | None) -> str:
    """ "0912 345 678", "0912.345.678", "+84912345678", "84912345678" → "+84912345678"."""
    digits = _DIGITS.sub("", raw or "")
    if digits.startswith("84") and len(digits) >= 11:
        digits = digits[2:]
    digits = digits.lstrip("0")
    return f"+84{digits}" if 8 <= len(digits) <= 10 else ""


def bank_key(raw: str | None) -> str:
    digits = _DIGITS.sub("", raw or "")
    return digits if len(digits) >= 6 else ""


def address_key(raw: str | None) -> str:
    """Folded (no diacritics, lower case), punctuation dropped: "12 Hẻm Kín, Buôn Ma Thuột" and
    "12 hem kin buon ma thuot" are the same key."""
    text = _NOT_WORD.sub(" ", fold(raw)).strip()
    return text if len(text) >= MIN_ADDRESS and any(ch.isdigit() for ch in text) else ""


def online_key(platform: str | None, handle: str | None, url: str | None = None) -> str:
    handle = fold(handle).lstrip("@").replace(" ", "")
    if handle:
        return f"{fold(platform).replace(' ', '') or '?'}:{handle}"
    url = (url or "").strip().lower()
    url = re.sub(r"^https?://(www\.)?", "", url).rstrip("/")
    return f"url:{url}" if len(url) >= 6 else ""


def plate_key(raw: str | None) -> str:
    text = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    return text if len(text) >= 5 else ""


def keys_for(record) -> set[tuple[str, str]]:
    """The (kind, value) keys of one record, from whichever of the fields it has."""

    def field(name):
        return getattr(record, name, "") or ""

    found = {
        ("phone", phone_key(field("phone"))),
        ("bank_account", bank_key(field("bank_account"))),
        ("address", address_key(field("address"))),
        ("online_account", online_key(field("platform"), field("handle"), field("url"))),
        ("vehicle", plate_key(field("plate"))),
    }
    return {(kind, value[:200]) for kind, value in found if value}


# the record fields keys_for reads
KEY_FIELDS = ("phone", "bank_account", "address", "platform", "handle", "url", "plate")
REFRESH_CHUNK = 2000


def refresh(subject_ids) -> None:
    """Recompute the keys of these records (one batch: a delete and one insert)."""
    from types import SimpleNamespace

    from canhgiac.subjects.models import LinkKey, Subject

    ids = list(subject_ids)
    if not ids:
        return
    with transaction.atomic():
        rows = []
        # only the fields keys_for reads (no model instances), by chunks of ids
        for start in range(0, len(ids), REFRESH_CHUNK):
            chunk = set(ids[start : start + REFRESH_CHUNK])  # `__any`: no per-item preparation
            LinkKey.objects.filter(subject_id__any=chunk).delete()
            for values in Subject.objects.filter(pk__any=chunk).values("pk", *KEY_FIELDS):
                record = SimpleNamespace(**values)
                rows.extend(
                    LinkKey(subject_id=record.pk, kind=kind, value=value)
                    for kind, value in sorted(keys_for(record))
                )
        LinkKey.objects.bulk_create(rows, batch_size=2000)


def refresh_record(record) -> None:
    """Recompute the keys of one saved record, from the instance in hand."""
    from canhgiac.subjects.models import LinkKey

    wanted = keys_for(record)
    have = set(LinkKey.objects.filter(subject_id=record.pk).values_list("kind", "value"))
    if wanted == have:
        return
    LinkKey.objects.filter(subject_id=record.pk).delete()
    LinkKey.objects.bulk_create(
        [LinkKey(subject_id=record.pk, kind=kind, value=value) for kind, value in sorted(wanted)]
    )


def on_subject_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_record(instance)
