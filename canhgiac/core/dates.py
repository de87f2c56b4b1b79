"""Dates as people exchange them (DESIGN.md, interchange contracts): YYYY-MM-DD or dd/mm/yyyy."""

import datetime as dt

FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def parse_date(value) -> dt.date | None:
    """None for empty; dates from XLSX arrive as date objects; ValueError(text) when unreadable."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)
