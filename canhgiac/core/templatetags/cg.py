"""Template helpers: Vietnamese number/money/date formats and small UI bits."""

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def startswith(value, prefix):
    return str(value).startswith(str(prefix))


@register.filter
def vnd(value):
    """1234567 -> '1.234.567 đ' (Vietnamese thousands separator)."""
    if value in (None, ""):
        return "—"
    return f"{int(value):,}".replace(",", ".") + " đ"


@register.filter
def vnnum(value):
    if value in (None, ""):
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"{int(value):,}".replace(",", ".")


@register.filter
def vndate(value):
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")
