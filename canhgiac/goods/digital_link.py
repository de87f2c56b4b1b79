"""GS1 Digital Link URIs (issue 13, item 3): parse a URI into its GS1 element string and AIs.

No maintained Python library parses DL URIs the way GS1's own syntax engine does (biip 5.2 gets
13 of the 100 conformance cases wrong: it pads short GTINs in the path, accepts AIs in the query
that belong in the path, duplicates, empty values and mixed-case schemes). So the URI rules are
written here, after the GS1 Digital Link standard as GS1's syntax engine applies them under its
default options, and the application identifier table (lengths, character sets, whether a
separator follows) comes from biip's GS1 table. The rules:

- the scheme is `http://` or `https://` (all lower or all upper case); every character is a URI
  character; the domain is not empty and holds none of ``_~?#@!$&'()*+,;=%``;
- the path is read backwards in `/AI/value` pairs until an AI that is a primary key (01, 00, 414,
  8004 …); what lies before it is the stem, whatever it holds. The AIs of the path must form one
  of the key's qualifier sequences (01 [22] [10] [21], or 01 235; 414 [254] …);
- query parameters whose name is all digits must be known AIs with a value; other parameters
  (and names without `=`) are ignored; `+` is a space in the query; an AI may appear once, and an
  AI of the query that would fit the path's qualifier sequence must be in the path; a GTIN is 14
  digits wherever it appears (the engine's zero-suppressed GTIN option is off by default);
- a percent escape that decodes to NUL is refused; values are checked against their AI's format
  and check digit (GS1 mod-10).

The element string is printed as GS1's engine prints it: `^` (FNC1) first, and again after each
value whose AI has no predefined length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from biip.gs1_application_identifiers import _GS1_APPLICATION_IDENTIFIERS as AI_TABLE
from django.utils.translation import gettext as _

URI_CHARACTERS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%"
)
BAD_DOMAIN_CHARACTERS = frozenset("_~?#@!$&'()*+,;=%")


def _sequences(key: str, *alternatives: str) -> set[tuple[str, ...]]:
    """Every valid path AI sequence of a primary key: each alternative is a comma-separated list
    of optional qualifiers kept in their order (GS1 DL standard, "key qualifiers")."""
    out = {(key,)}
    for alternative in alternatives:
        seqs = [(key,)]
        for qualifier in alternative.split(","):
            seqs += [s + (qualifier,) for s in seqs]
        out.update(seqs)
    return out


# Primary keys of GS1 Digital Link and their qualifier sequences.
PATH_SEQUENCES: set[tuple[str, ...]] = set().union(
    _sequences("01", "22,10,21", "235"),
    _sequences("00"),
    _sequences("253"),
    _sequences("255"),
    _sequences("401"),
    _sequences("402"),
    _sequences("414", "254", "7040"),
    _sequences("417", "7040"),
    _sequences("8003"),
    _sequences("8004", "7040"),
    _sequences("8006", "22,10,21"),
    _sequences("8010", "8011"),
    _sequences("8013"),
    _sequences("8017", "8019"),
    _sequences("8018", "8019"),
)
PRIMARY_KEYS = {seq[0] for seq in PATH_SEQUENCES}

# AIs whose value carries a GS1 mod-10 check digit: AI -> (start, end) of the checked digits.
CHECK_DIGITS = {
    "00": (0, 18),
    "01": (0, 14),
    "02": (0, 14),
    "03": (0, 14),
    "253": (0, 13),
    "255": (0, 13),
    **{str(ai): (0, 13) for ai in range(410, 418)},
    "8003": (1, 14),
    "8006": (0, 14),
    "8017": (0, 18),
    "8018": (0, 18),
    "8026": (0, 14),
}


class DigitalLinkError(ValueError):
    """A URI that is not a valid GS1 Digital Link; str() is the reason, in Vietnamese."""


@dataclass
class DigitalLink:
    ais: list[tuple[str, str]] = field(default_factory=list)  # (AI, value), path first, then query
    stem: str = ""

    @property
    def element_string(self) -> str:
        out, fnc1 = [], True
        for ai, value in self.ais:
            if fnc1:
                out.append("^")
            out.append(ai + value)
            fnc1 = AI_TABLE[ai].separator_required
        return "".join(out)

    def ais_list(self) -> list[dict]:
        return [{"ai": ai, "value": value} for ai, value in self.ais]

    def get(self, ai: str) -> str | None:
        return next((v for a, v in self.ais if a == ai), None)


def gs1_check_digit_ok(digits: str) -> bool:
    """GS1 mod-10: weights 3 and 1 from the right, the last digit included, sum ≡ 0 (mod 10)."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(reversed(digits)))
    return total % 10 == 0


def _unescape(text: str, query: bool) -> str:
    if query:
        text = text.replace("+", " ")
    raw = unquote_to_bytes(text)
    if b"\x00" in raw:
        raise DigitalLinkError(_("Giá trị chứa ký tự NUL sau khi giải mã phần trăm."))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DigitalLinkError(_("Giá trị không phải văn bản UTF-8 hợp lệ.")) from None


def _check_value(ai: str, value: str) -> None:
    entry = AI_TABLE[ai]
    if not re.match(entry.pattern, ai + value):
        raise DigitalLinkError(
            _("Giá trị “%(value)s” của AI (%(ai)s) không đúng định dạng %(format)s.")
            % {"value": value[:40], "ai": ai, "format": entry.format}
        )
    span = CHECK_DIGITS.get(ai)
    if span and not gs1_check_digit_ok(value[span[0] : span[1]]):
        raise DigitalLinkError(
            _("Sai số kiểm tra GS1 trong giá trị “%(value)s” của AI (%(ai)s).")
            % {"value": value[:40], "ai": ai}
        )


def parse(uri: str) -> DigitalLink:
    """The AIs of a GS1 Digital Link URI; DigitalLinkError (Vietnamese reason) when invalid."""
    uri = uri or ""
    if not URI_CHARACTERS.issuperset(uri):
        raise DigitalLinkError(_("URI chứa ký tự không hợp lệ."))
    for scheme in ("https://", "HTTPS://", "http://", "HTTP://"):
        if uri.startswith(scheme):
            rest = uri[len(scheme) :]
            break
    else:
        raise DigitalLinkError(_("URI phải bắt đầu bằng http:// hoặc https://."))
    slash = rest.find("/")
    if slash < 1:
        raise DigitalLinkError(_("URI thiếu tên miền hoặc đường dẫn."))
    if not BAD_DOMAIN_CHARACTERS.isdisjoint(rest[:slash]):
        raise DigitalLinkError(_("Tên miền chứa ký tự không hợp lệ."))
    path = rest[slash:].split("#", 1)[0]
    path, _sep, query = path.partition("?")

    segments = path.split("/")[1:]
    start = None
    i = len(segments) - 2
    while i >= 0:
        ai = segments[i]
        if ai not in AI_TABLE:
            break
        if ai in PRIMARY_KEYS:
            start = i
            break
        i -= 2
    if start is None:
        raise DigitalLinkError(_("Đường dẫn không có khóa chính GS1 (ví dụ /01/<GTIN>)."))
    link = DigitalLink(stem="/".join(segments[:start]))
    for k in range(start, len(segments), 2):
        ai, raw = segments[k], segments[k + 1]
        if raw == "":
            raise DigitalLinkError(_("AI (%(ai)s) trong đường dẫn không có giá trị.") % {"ai": ai})
        value = _unescape(raw, query=False)
        _check_value(ai, value)
        link.ais.append((ai, value))
    path_ais = tuple(ai for ai, _v in link.ais)

    attributes = []
    for param in query.split("&"):
        if param == "" or "=" not in param:
            continue  # separators and singletons are not AI data
        name, _eq, raw = param.partition("=")
        if not (name.isdigit() or name == ""):
            continue  # non-numeric parameters are not AIs
        if name not in AI_TABLE:
            raise DigitalLinkError(_("Tham số truy vấn “%(ai)s” không phải AI của GS1.") % {"ai": name[:10]})
        if raw == "":
            raise DigitalLinkError(_("AI (%(ai)s) trong tham số truy vấn không có giá trị.") % {"ai": name})
        value = _unescape(raw, query=True)
        _check_value(name, value)
        link.ais.append((name, value))
        attributes.append(name)

    if path_ais not in PATH_SEQUENCES:
        raise DigitalLinkError(
            _("Thứ tự các AI trong đường dẫn (%(seq)s) không phải một chuỗi khóa – thuộc tính hợp lệ.")
            % {"seq": ", ".join(path_ais)}
        )
    seen = set(path_ais)
    for ai in attributes:
        if ai in seen:
            raise DigitalLinkError(_("AI (%(ai)s) xuất hiện hơn một lần.") % {"ai": ai})
        seen.add(ai)
        for j in range(1, len(path_ais) + 1):
            if path_ais[:j] + (ai,) + path_ais[j:] in PATH_SEQUENCES:
                raise DigitalLinkError(
                    _("AI (%(ai)s) phải nằm trong đường dẫn, không phải tham số truy vấn.") % {"ai": ai}
                )
    return link
