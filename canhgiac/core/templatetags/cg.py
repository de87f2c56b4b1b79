"""Template helpers: Vietnamese number/money/date formats and small UI bits."""

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.core.numbers import format_vn_number, format_vn_percent

register = template.Library()


@register.filter
def startswith(value, prefix):
    return str(value).startswith(str(prefix))


@register.filter
def vnd(value):
    """1234567 -> '1.234.567 đ' (Vietnamese thousands separator)."""
    if value in (None, ""):
        return "—"
    return f"{int(value):,}".replace(",", ".") + " " + _("đ")


@register.filter
def vnnum(value):
    if value in (None, ""):
        return "—"
    if isinstance(value, str):
        return value
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"{int(value):,}".replace(",", ".")


@register.filter
def vncompact(value):
    """Large figures for cards: 47737991000 -> '47,7 tỷ'; 3764438 -> '3,8 triệu'; else vnnum."""
    if isinstance(value, str) or value in (None, ""):
        return value if value not in (None, "") else "—"
    for size, unit in ((1_000_000_000, _("tỷ")), (1_000_000, _("triệu"))):
        if abs(value) >= size:
            return f"{value / size:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".") + f" {unit}"
    return vnnum(value)


@register.filter
def tel(number):
    """The tel: link of a phone number as printed ("0262 3852 389" → "tel:02623852389")."""
    import re

    return "tel:" + re.sub(r"[^\d+]", "", str(number or ""))


@register.filter
def shorten(value, limit):
    """Like truncatechars, but never cuts inside a word."""
    from canhgiac.core.text import shorten as _shorten

    return _shorten(value, int(limit))


@register.filter
def vndate(value):
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


@register.filter
def vnnum_input(value):
    """A number for an input box: 1234567 -> '1.234.567'; what the user typed (a str) stays as typed."""
    if value in (None, "") or isinstance(value, str):
        return "" if value is None else value
    return format_vn_number(value)


@register.filter
def vnpct(value):
    """28.04 -> '28,0%' (one percent format, comma decimal, UI and documents alike)."""
    return format_vn_percent(value)


@register.filter
def vnpct_signed(value):
    """60.5 -> '+60,5%' (changes against a comparison period)."""
    return format_vn_percent(value, signed=True)
