"""How source records are compared: names, addresses, identifiers and dates as officers write them.

Everything here is pure (no database) so the import, the case form, the full resolution run and the
incremental matcher compute the same keys. All comparisons start from `core.text.fold`.
"""

from __future__ import annotations

import datetime as dt
import re

from canhgiac.core.text import fold

# ---------------------------------------------------------------- identifiers

CCCD = "cccd"  # citizen ID card, 12 digits
CMND = "cmnd"  # old ID card, 9 digits
PASSPORT = "passport"
TAX_CODE = "mst"  # 10 digits (head office) or 13 with the branch suffix
BRN = "brn"  # business registration number
PHONE = "phone"
EMAIL = "email"
BANK = "bank"
PLATE = "plate"
ACCOUNT = "account"  # an online account: "platform:handle"
OTHER = "other"  # kept as given: fits no known format

# Schemes that name one person, company, vehicle or account: two records sharing one are joined
# before any probabilistic model runs. Phones, e-mails and bank accounts are shared by households
# and change hands, so they are evidence for the model, never a join on their own.
STRONG_SCHEMES = (CCCD, CMND, PASSPORT, TAX_CODE, BRN, PLATE, ACCOUNT)

_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")
_PASSPORT = re.compile(r"^[A-Z]\d{7,8}$")


def compact(value) -> str:
    """Letters and digits only, upper case ("066 190-000.555" → "066190000555")."""
    return _NOT_ALNUM.sub("", str(value or "")).upper()


def document_scheme(value: str) -> str:
    """The scheme of a person's document number as given: CCCD, old ID, passport or as given."""
    c = compact(value)
    if c.isdigit() and len(c) == 12:
        return CCCD
    if c.isdigit() and len(c) == 9:
        return CMND
    if _PASSPORT.match(c):
        return PASSPORT
    return OTHER


def tax_code(value) -> tuple[str, bool] | None:
    """(compact tax code, is a branch) when `value` is a valid Vietnamese tax code (python-stdnum's
    `vn.mst`), else None. "6001234562-001" is the branch 001 of 6001234562, not its head office."""
    from stdnum.vn import mst

    raw = str(value or "").strip()
    if not raw:
        return None
    try:
        code = mst.validate(raw)
    except Exception:
        return None
    return code, len(code) == 13


def phone(value) -> str | None:
    """A Vietnamese phone number as +84 and the subscriber digits, or None when it is not one.

    "0912 345 678", "0912.345.678", "+84912345678" and "84912345678" are all "+84912345678"."""
    digits = re.sub(r"\D", "", str(value or ""))
    if not digits:
        return None
    if digits.startswith("84") and len(digits) in (11, 12):
        rest = digits[2:]
    elif digits.startswith("0") and len(digits) in (10, 11):
        rest = digits[1:]
    elif len(digits) == 9 and digits[0] in "35789":
        rest = digits  # the leading 0 lost by a spreadsheet
    else:
        return None
    return "+84" + rest


def email(value) -> str | None:
    v = str(value or "").strip().lower()
    return v if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v) else None


def plate(value) -> str | None:
    """A number plate compacted: "47A-123.45" → "47A12345"."""
    c = compact(value)
    return c if re.fullmatch(r"\d{2}[A-Z]{1,2}\d{4,6}", c) else None


def account(platform, handle, url="") -> str | None:
    """An online account as "platform:handle", folded ("Facebook", "@Hoa.Shop" → "facebook:hoa.shop")."""
    p = fold(platform).replace(" ", "")
    h = fold(handle).lstrip("@").replace(" ", "")
    if not h and url:
        m = re.match(r"^(?:https?://)?(?:www\.|m\.)?([^/]+)/+(?:@)?([^/?#]+)", str(url).strip().lower())
        if m:
            p = p or m.group(1).split(".")[0]
            h = m.group(2)
    return f"{p}:{h}" if h else None


def identifiers(
    kind: str,
    *,
    id_number="",
    tax="",
    phone_="",
    email_="",
    bank="",
    plate_="",
    platform="",
    handle="",
    url="",
) -> list[tuple[str, str, str]]:
    """(scheme, normalised value, as given) of every identifier in a record's fields."""
    out: list[tuple[str, str, str]] = []

    def add(scheme, value, given):
        if value and (scheme, value) not in {(s, v) for s, v, _g in out}:
            out.append((scheme, value, str(given).strip()[:120]))

    if id_number:
        if kind == "person":
            scheme = document_scheme(id_number)
            add(scheme, compact(id_number), id_number)
        else:
            # an organisation's number: its tax code when valid, else its registration number
            t = tax_code(id_number)
            add(TAX_CODE if t else BRN, t[0] if t else compact(id_number), id_number)
    if tax:
        t = tax_code(tax)
        add(TAX_CODE if t else OTHER, t[0] if t else compact(tax), tax)
    for raw in re.split(r"[;,/]| - ", str(phone_ or "")):
        if raw.strip():
            p = phone(raw)
            add(PHONE if p else OTHER, p or compact(raw), raw)
    if email_:
        e = email(email_)
        add(EMAIL if e else OTHER, e or str(email_).strip().lower(), email_)
    if bank:
        add(BANK, compact(bank), bank)
    if plate_:
        pl = plate(plate_)
        add(PLATE if pl else OTHER, pl or compact(plate_), plate_)
    acc = account(platform, handle, url)
    if acc:
        add(ACCOUNT, acc, f"{platform} {handle or url}".strip())
    return out


# ---------------------------------------------------------------- names

_PUNCT = re.compile(r"[^a-z0-9 ]+")
_APOSTROPHES = re.compile(r"['’`´‘]")

# Company forms, longest first; each is removed from the name and remembered as the form.
ORG_FORMS = (
    ("cong ty trach nhiem huu han mot thanh vien", "tnhh"),
    ("cong ty trach nhiem huu han", "tnhh"),
    ("cong ty tnhh mot thanh vien", "tnhh"),
    ("cong ty tnhh mtv", "tnhh"),
    ("cty tnhh mtv", "tnhh"),
    ("cong ty tnhh", "tnhh"),
    ("cty tnhh", "tnhh"),
    ("trach nhiem huu han", "tnhh"),
    ("tnhh mtv", "tnhh"),
    ("tnhh", "tnhh"),
    ("cong ty co phan", "cp"),
    ("cty co phan", "cp"),
    ("cong ty cp", "cp"),
    ("cty cp", "cp"),
    ("ctcp", "cp"),
    ("doanh nghiep tu nhan", "dntn"),
    ("dntn", "dntn"),
    ("ho kinh doanh ca the", "hkd"),
    ("ho kinh doanh", "hkd"),
    ("hkd", "hkd"),
    ("hop tac xa", "htx"),
    ("htx", "htx"),
    ("cong ty", "cty"),
    ("cty", "cty"),
)
# Abbreviations of trade words written both ways on documents.
ORG_WORDS = {
    "tm": "thuong mai",
    "dv": "dich vu",
    "tmdv": "thuong mai dich vu",
    "xnk": "xuat nhap khau",
    "sx": "san xuat",
    "xd": "xay dung",
    "mtv": "",
}


def _tokens(text: str) -> list[str]:
    s = fold(text)
    s = _APOSTROPHES.sub("", s)
    s = s.replace("-", " ").replace(".", " ").replace("_", " ")
    return _PUNCT.sub(" ", s).split()


def person_tokens(name: str) -> list[str]:
    """A person's name as folded tokens, with minority-name prefixes joined.

    Ê Đê and other Central Highlands names start with "H" (women) or "Y" (men), written "H'Hen",
    "H' Hen", "H Hen" or "Hhen": all become "hhen" ("Y Blốk Êban" → "yblok eban")."""
    tokens = _tokens(name)
    if len(tokens) >= 2 and tokens[0] in ("h", "y"):
        tokens = [tokens[0] + tokens[1], *tokens[2:]]
    return tokens


def person_key(name: str) -> dict:
    """Keys of a person's name: `name` (all tokens), `skeleton` (first and last token: the family
    name and the given name, which officers keep when they drop or cut middle names) and
    `initials` (first letters of the middle names: "Nguyễn T. Lan" and "Nguyễn Thị Lan" → "t")."""
    tokens = person_tokens(name)
    if not tokens:
        return {"name": "", "skeleton": "", "initials": ""}
    middle = tokens[1:-1]
    return {
        "name": " ".join(tokens),
        "skeleton": f"{tokens[0]} {tokens[-1]}" if len(tokens) > 1 else tokens[0],
        "initials": "".join(t[0] for t in middle),
    }


def org_key(name: str) -> dict:
    """Keys of an organisation's name: `name` without its company form ("Cty", "Công ty TNHH",
    "CÔNG TY TRÁCH NHIỆM HỮU HẠN", "HKD", "Hộ kinh doanh" …) and with trade abbreviations spelt out,
    `form` (tnhh, cp, dntn, hkd, htx, cty or ""), `skeleton` (the last two words: the distinctive
    part of most Vietnamese business names) and no initials."""
    tokens = _tokens(name)
    text = " " + " ".join(tokens) + " "
    form = ""
    for phrase, code in ORG_FORMS:
        padded = f" {phrase} "
        if padded in text:
            text = text.replace(padded, " ", 1)
            form = form or code
    words = []
    for t in text.split():
        words.extend(ORG_WORDS.get(t, t).split())
    core = " ".join(words)
    return {"name": core, "form": form, "skeleton": " ".join(words[-2:]), "initials": ""}


# Trade words officers keep or leave out of the same company's name ("Cty TNHH Thương mại Phú Quý"
# and "Cty Phú Quý" are one company): compared without them (`org_core`).
TRADE_WORDS = ("thuong mai", "dich vu", "xuat nhap khau", "san xuat", "xay dung")


def org_core(name: str) -> str:
    """An organisation's name key (form removed, abbreviations spelt out) without its trade words:
    "thuong mai dich vu kim ngan" → "kim ngan". A name made only of trade words is kept whole."""
    text = f" {name} "
    for phrase in TRADE_WORDS:
        text = text.replace(f" {phrase} ", " ")
    core = " ".join(text.split())
    return core or name


def name_key(kind: str, name: str) -> dict:
    if kind in ("organisation", "organization"):
        return org_key(name)
    if kind == "person":
        return person_key(name)
    tokens = _tokens(name)
    return {"name": " ".join(tokens), "skeleton": " ".join(tokens[-2:]), "initials": ""}


# ---------------------------------------------------------------- addresses

ADDRESS_WORDS = {
    "p": "phuong",
    "x": "xa",
    "tt": "thi tran",
    "tp": "thanh pho",
    "q": "quan",
    "h": "huyen",
    "tdp": "to dan pho",
    "kp": "khu pho",
    "ql": "quoc lo",
    "so": "",
    "dc": "",
    "thon": "thon",
    "buon": "buon",
}


def address_key(address: str) -> str:
    """A folded address with its usual abbreviations spelt out ("P. Tân Lợi" → "phuong tan loi")."""
    words = []
    for t in _tokens(address):
        words.extend(ADDRESS_WORDS.get(t, t).split())
    return " ".join(words)


# ---------------------------------------------------------------- dates

_YEAR = re.compile(r"(?:sinh\s*nam|sn|nam)?\s*(\d{4})$")


def birth(value) -> tuple[dt.date | None, int | None]:
    """(date, year) of a birth date written YYYY-MM-DD, dd/mm/yyyy, d-m-yyyy or a year alone
    ("1985", "sinh năm 1985"): a year alone gives (None, year). Raises ValueError otherwise."""
    if value in (None, ""):
        return None, None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value, value.year
    if isinstance(value, int) and 1900 <= value <= 2100:
        return None, value
    text = fold(str(value)).strip()
    m = _YEAR.fullmatch(text)
    if m:
        year = int(m.group(1))
        if 1900 <= year <= dt.date.today().year:
            return None, year
        raise ValueError(value)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            d = dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if d.year < 1900 or d > dt.date.today():
            raise ValueError(value)
        return d, d.year
    raise ValueError(value)
