"""Vietnamese text folding: every search and every match in the system goes through `fold`."""

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_COMBINING = re.compile("[\u0300-\u036f]")  # combining diacritical marks (all of them Mn)


def fold(s: str | None) -> str:
    """Lower case, Vietnamese diacritics removed, đ→d, whitespace collapsed and trimmed.

    >>> fold("  Phường  Buôn Ma Thuột ")
    'phuong buon ma thuot'
    """
    if not s:
        return ""
    s = str(s)
    if s.isascii():  # nothing to decompose or strip (most codes, links, numbers)
        return _SPACE.sub(" ", s.lower()).strip()
    decomposed = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "d"))
    stripped = _COMBINING.sub("", decomposed)  # the marks Vietnamese uses, in C
    if not stripped.isascii():  # other scripts: every other nonspacing mark too
        stripped = "".join(ch for ch in stripped if unicodedata.category(ch) != "Mn")
    return _SPACE.sub(" ", stripped.lower()).strip()


def clean_name(s: str) -> str:
    """Collapse runs of whitespace in a display name, keeping case and diacritics (NFC)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", s or "")).strip()


def shorten(s: str | None, limit: int) -> str:
    """At most `limit` characters, cut at a space (never inside a word) and marked with "…".

    >>> shorten("Tăng cường kiểm tra, kiểm soát thị trường", 24)
    'Tăng cường kiểm tra, …'
    """
    text = _SPACE.sub(" ", str(s or "")).strip()
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 1)]
    head = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return head.rstrip(" ,;:.-") + " …" if " " in cut else head + "…"
