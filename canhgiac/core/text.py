"""Vietnamese text folding: every search and every match in the system goes through `fold`."""

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def fold(s: str | None) -> str:
    """Lower case, Vietnamese diacritics removed, đ→d, whitespace collapsed and trimmed.

    >>> fold("  Phường  Buôn Ma Thuột ")
    'phuong buon ma thuot'
    """
    if not s:
        return ""
    s = str(s).replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFD", s)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACE.sub(" ", stripped.lower()).strip()


def clean_name(s: str) -> str:
    """Collapse runs of whitespace in a display name, keeping case and diacritics (NFC)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", s or "")).strip()
