"""Numbers as Vietnamese people write them: "." or a space groups thousands, "," is the decimal mark.

"25.000.000", "25000000" and "25 000 000" are all 25000000; "1,5" is 1.5; "1.200" is 1200. A point
or a space that does not group exactly three digits ("1.5", "12.34") is refused as ambiguous: it
may be an English decimal point, and guessing would store a figure a thousand times off.
"""

import re
from decimal import Decimal, InvalidOperation

SEPARATORS = re.compile(r"[.\s\u00a0\u202f]")
GROUPED = re.compile(r"^\d{1,3}([.\s\u00a0\u202f]\d{3})+$")
CURRENCY = re.compile(r"\s*(đ|đồng|vnđ|vnd)\s*$", re.IGNORECASE)


class NumberError(ValueError):
    """`ambiguous` is True for "1.5"-like input (a point that is not a thousands separator)."""

    def __init__(self, text, ambiguous=False):
        super().__init__(text)
        self.text = text
        self.ambiguous = ambiguous


def parse_vn_number(value) -> Decimal | None:
    """None for empty; a Decimal otherwise; NumberError when unreadable or ambiguous.

    Numbers that arrive as numbers (XLSX cells, JSON) are taken as they are.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise NumberError(str(value))
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NumberError(str(value))
        return Decimal(str(value))
    text = CURRENCY.sub("", str(value).strip()).strip()
    if text == "":
        return None
    sign = ""
    if text[0] in "-+−":
        sign, text = ("-" if text[0] != "+" else ""), text[1:].strip()
    whole, comma, fraction = text.partition(",")
    if comma and not fraction.isdigit():
        raise NumberError(str(value))
    if not whole.isdigit():
        if GROUPED.match(whole):
            whole = SEPARATORS.sub("", whole)
        elif SEPARATORS.sub("", whole).isdigit() and whole[:1].isdigit() and whole[-1:].isdigit():
            raise NumberError(str(value), ambiguous=True)
        else:
            raise NumberError(str(value))
    try:
        return Decimal(f"{sign}{whole}.{fraction or '0'}")
    except InvalidOperation:
        raise NumberError(str(value)) from None


def parse_vn_int(value) -> int | None:
    """Like parse_vn_number, but a whole number is required (NumberError otherwise)."""
    number = parse_vn_number(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise NumberError(str(value))
    return int(number)


def format_vn_number(value, places: int | None = None) -> str:
    """1234567 -> "1.234.567"; Decimal("1234.50") -> "1.234,5"; places fixes the decimals shown."""
    if value in (None, ""):
        return ""
    number = Decimal(str(value))
    if places is not None:
        text = f"{number:,.{places}f}"
    elif number == number.to_integral_value():
        text = f"{int(number):,}"
    else:
        text = f"{number.normalize():,f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_vn_percent(value, places: int = 1, signed: bool = False) -> str:
    """28.0 -> "28,0%"; signed: 60.5 -> "+60,5%". One percent format for the whole UI and DOCX."""
    if value is None:
        return "—"
    text = f"{value:+.{places}f}" if signed else f"{value:.{places}f}"
    return text.replace(".", ",") + "%"
