"""Dates as people exchange them (DESIGN.md, interchange contracts): YYYY-MM-DD or dd/mm/yyyy."""

import datetime as dt

from django.conf import settings

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


def before_day(day: dt.date) -> dt.date:
    """The due date of "trước ngày <day>" ("before <day>"), one reading for plans and reporting.

    By default (CANHGIAC_BEFORE_DAY_INCLUSIVE=true) the printed day itself: officials read
    "trước ngày 30/9" as "by 30/9", the document they hold shows 30/9, and a report sent on the
    printed day must not be marked late. Set it to false for the literal reading (29/9).
    """
    if getattr(settings, "CANHGIAC_BEFORE_DAY_INCLUSIVE", True):
        return day
    return day - dt.timedelta(days=1)
