"""Identifiers of EPCIS events in one canonical form.

EPCIS 2.0 lets a capture name the same object as an EPC URN (`urn:epc:id:sgtin:4012345.011111.987`)
or as a GS1 Digital Link URI (`https://example.com/01/04012345111118/21/987`). The canonical form
kept in the EPC index (and used by the event hash, as GS1's hash algorithm does) is the Digital Link
on GS1's own domain, `https://id.gs1.org/<key AI>/<key>[/<qualifier AI>/<value>…]`, with the
check digit computed (URN) or verified (Digital Link). Anything else (a `urn:uuid:`, a private
URI) is kept as given.

`canonical(value)` answers the canonical string, or raises IdentifierError with a Vietnamese
message for an identifier that claims to be a GS1 key but is malformed or has a wrong check digit.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote, unquote, urlsplit

from django.utils.translation import gettext as _

DL_BASE = "https://id.gs1.org"


class IdentifierError(ValueError):
    pass


def check_digit(digits: str) -> str:
    """GS1 mod-10 check digit of `digits` (the key without its check digit)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        total += int(ch) * (3 if i % 2 == 0 else 1)
    return str((10 - total % 10) % 10)


def _valid_check(key: str) -> bool:
    return key.isdigit() and check_digit(key[:-1]) == key[-1]


def _parts(body: str, n: int, value: str) -> list[str]:
    parts = body.split(".")
    if len(parts) != n:
        raise IdentifierError(_("“%(v)s”: không đúng dạng mã EPC (cần %(n)s phần).") % {"v": value, "n": n})
    return parts


def _digits(s: str, value: str) -> str:
    if not s.isdigit():
        raise IdentifierError(_("“%(v)s”: phần “%(p)s” phải là chữ số.") % {"v": value, "p": s})
    return s


def _gtin14(cp: str, ir: str, value: str) -> str:
    _digits(cp, value)
    _digits(ir, value)
    body = ir[:1] + cp + ir[1:]
    if len(body) != 13:
        raise IdentifierError(_("“%(v)s”: mã công ty và mã mặt hàng phải đủ 13 chữ số.") % {"v": value})
    return body + check_digit(body)


def _q(s: str) -> str:
    return quote(unquote(s), safe="")


def _urn(value: str) -> str:
    """An EPC URN (pure identity, class or id pattern) as a canonical Digital Link."""
    m = re.match(r"^urn:epc:(id|class|idpat):([a-z0-9]+):(.*)$", value)
    if not m:
        return value
    kind, scheme, body = m.groups()
    if kind == "idpat":
        if scheme == "sgtin":
            cp, ir, _serial = _parts(body, 3, value)
            return f"{DL_BASE}/01/{_gtin14(cp, ir, value)}"
        if scheme == "itip":
            cp, ir, piece, total, serial = _parts(body, 5, value)
            if serial != "*":
                return value
            return f"{DL_BASE}/8006/{_gtin14(cp, ir, value)}{_digits(piece, value)}{_digits(total, value)}"
        if scheme in ("grai", "gdti", "sgcn", "cpi"):
            cp, ref, serial = _parts(body, 3, value)
            if serial != "*" or "*" in cp + ref:
                return value
            full = _urn(f"urn:epc:id:{scheme}:{cp}.{ref}.0")
            return full[: -len("/8011/0")] if scheme == "cpi" else full[:-1]
        return value
    if kind == "class":
        if scheme == "lgtin":
            cp, ir, lot = _parts(body, 3, value)
            return f"{DL_BASE}/01/{_gtin14(cp, ir, value)}/10/{_q(lot)}"
        return value
    if scheme == "sgtin":
        cp, ir, serial = _parts(body, 3, value)
        return f"{DL_BASE}/01/{_gtin14(cp, ir, value)}/21/{_q(serial)}"
    if scheme == "sscc":
        cp, sr = _parts(body, 2, value)
        key = sr[:1] + _digits(cp, value) + _digits(sr, value)[1:]
        if len(key) != 17:
            raise IdentifierError(_("“%(v)s”: SSCC phải đủ 17 chữ số trước số kiểm tra.") % {"v": value})
        return f"{DL_BASE}/00/{key}{check_digit(key)}"
    if scheme in ("sgln", "pgln"):
        parts = _parts(body, 3 if scheme == "sgln" else 2, value)
        key = _digits(parts[0], value) + _digits(parts[1], value)
        if len(key) != 12:
            raise IdentifierError(_("“%(v)s”: GLN phải đủ 12 chữ số trước số kiểm tra.") % {"v": value})
        gln = key + check_digit(key)
        if scheme == "pgln":
            return f"{DL_BASE}/417/{gln}"
        ext = parts[2]
        return f"{DL_BASE}/414/{gln}" + (f"/254/{_q(ext)}" if ext and ext != "0" else "")
    if scheme == "grai":
        cp, at, serial = _parts(body, 3, value)
        key = "0" + _digits(cp, value) + _digits(at, value)
        if len(key) != 13:
            raise IdentifierError(_("“%(v)s”: GRAI phải đủ 13 chữ số.") % {"v": value})
        return f"{DL_BASE}/8003/{key}{check_digit(key)}{_q(serial)}"
    if scheme == "giai":
        cp, ref = _parts(body, 2, value)
        return f"{DL_BASE}/8004/{_digits(cp, value)}{_q(ref)}"
    if scheme in ("gsrn", "gsrnp"):
        cp, ref = _parts(body, 2, value)
        key = _digits(cp, value) + _digits(ref, value)
        if len(key) != 17:
            raise IdentifierError(_("“%(v)s”: GSRN phải đủ 17 chữ số.") % {"v": value})
        return f"{DL_BASE}/{'8018' if scheme == 'gsrn' else '8017'}/{key}{check_digit(key)}"
    if scheme in ("gdti", "sgcn"):
        cp, ref, serial = _parts(body, 3, value)
        key = _digits(cp, value) + _digits(ref, value)
        if len(key) != 12:
            raise IdentifierError(_("“%(v)s”: mã phải đủ 12 chữ số trước số kiểm tra.") % {"v": value})
        ai = "253" if scheme == "gdti" else "255"
        return f"{DL_BASE}/{ai}/{key}{check_digit(key)}{_q(serial)}"
    if scheme == "ginc":
        cp, ref = _parts(body, 2, value)
        return f"{DL_BASE}/401/{_digits(cp, value)}{_q(ref)}"
    if scheme == "gsin":
        cp, ref = _parts(body, 2, value)
        key = _digits(cp, value) + _digits(ref, value)
        if len(key) != 16:
            raise IdentifierError(_("“%(v)s”: GSIN phải đủ 16 chữ số trước số kiểm tra.") % {"v": value})
        return f"{DL_BASE}/402/{key}{check_digit(key)}"
    if scheme == "itip":
        cp, ir, piece, total, serial = _parts(body, 5, value)
        return f"{DL_BASE}/8006/{_gtin14(cp, ir, value)}{_digits(piece, value)}{_digits(total, value)}/21/{_q(serial)}"
    if scheme == "upui":
        cp, ir, tpx = _parts(body, 3, value)
        return f"{DL_BASE}/01/{_gtin14(cp, ir, value)}/235/{_q(tpx)}"
    if scheme == "cpi":
        cp, ref, serial = _parts(body, 3, value)
        return f"{DL_BASE}/8010/{_digits(cp, value)}{_q(ref)}/8011/{_q(serial)}"
    return value


# Primary keys of a Digital Link path and the digits that carry a GS1 check digit.
_CHECKED = {"01": 14, "00": 18, "414": 13, "417": 13, "8018": 18, "8017": 18}
_KEYS = (
    "01",
    "00",
    "414",
    "417",
    "8003",
    "8004",
    "8006",
    "8010",
    "8013",
    "8017",
    "8018",
    "253",
    "255",
    "401",
    "402",
)
_QUALIFIERS = {"22", "10", "21", "235", "254", "7040", "8011", "8019"}


def _digital_link(value: str) -> str | None:
    """A Digital Link URI (any domain) canonical, None if `value` is not one."""
    parts = urlsplit(value)
    segments = [s for s in parts.path.split("/")]
    for i in range(len(segments) - 1):
        ai = segments[i]
        if ai not in _KEYS:
            continue
        rest = segments[i:]
        if len(rest) % 2 or any(a not in _QUALIFIERS for a in rest[2::2]):
            continue
        key = unquote(rest[1])
        if ai in _CHECKED:
            if ai == "01" and key.isdigit() and len(key) in (8, 12, 13):
                key = key.zfill(14)
            if len(key) != _CHECKED[ai] or not _valid_check(key):
                raise IdentifierError(
                    _("“%(v)s”: mã %(ai)s “%(k)s” sai số kiểm tra hoặc độ dài.")
                    % {"v": value, "ai": ai, "k": key}
                )
        out = f"{DL_BASE}/{ai}/{_q(key)}"
        for q_ai, q_value in zip(rest[2::2], rest[3::2], strict=True):
            out += f"/{q_ai}/{_q(q_value)}"
        return out
    return None


@lru_cache(maxsize=65536)
def canonical(value: str) -> str:
    """The canonical form of an EPC, class, location or party identifier (cached: a capture
    checks each identifier, then indexes it)."""
    if value.startswith("urn:epc:"):
        return _urn(value)
    if value.startswith(("http://", "https://")):
        found = _digital_link(value)
        if found is not None:
            return found
    return value


def gtin_of(canonical_id: str) -> str | None:
    """The GTIN (14 digits) of a canonical identifier of a trade item, item or lot, else None."""
    prefix = DL_BASE + "/01/"
    if canonical_id.startswith(prefix):
        return canonical_id[len(prefix) : len(prefix) + 14]
    return None


def lot_class(canonical_id: str) -> str | None:
    """`https://id.gs1.org/01/<gtin>/10/<lot>` of an item or lot identifier that names its lot."""
    m = re.match(r"^(https://id\.gs1\.org/01/\d{14})(?:/22/[^/]+)?/10/([^/]+)", canonical_id)
    return f"{m.group(1)}/10/{m.group(2)}" if m else None
