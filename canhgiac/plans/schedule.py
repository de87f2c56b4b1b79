"""Checkpoints of a task schedule (docs/plan-format.md, "Schedules")."""

from __future__ import annotations

import calendar
import datetime as dt

from canhgiac.core.dates import before_day

KINDS = ("once", "yearly", "quarterly", "monthly", "regular")


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def checkpoints(
    kind: str,
    *,
    due: dt.date | None = None,
    start: dt.date | None = None,
    initial_due: dt.date | None = None,
    checkpoint_day: str = "",
    plan_end: dt.date,
) -> list[tuple[dt.date | None, dt.date]]:
    """(period start, due date) of every checkpoint, in date order.

    once: the deadline (the window's start as period start); monthly/quarterly: the last day of
    every month/quarter from the one holding `start` to the one holding the plan end; yearly and
    regular with a checkpoint day: that day each year from `start` to the plan end; regular without
    one: the plan end. `initial_due` adds a one-off deadline before the recurrence."""
    if kind == "once":
        return [(start, due)]
    out: list[tuple[dt.date | None, dt.date]] = []
    if initial_due:
        out.append((None, initial_due))
    if kind in ("monthly", "quarterly"):
        step = 1 if kind == "monthly" else 3
        y, m = start.year, start.month
        if kind == "quarterly":
            m = ((m - 1) // 3) * 3 + 1
        while True:
            period_start = dt.date(y, m, 1)
            d = _month_end(y, m + step - 1)
            out.append((max(period_start, start), d))
            if d >= plan_end:
                break
            m += step
            if m > 12:
                y, m = y + 1, m - 12
        return out
    if kind == "regular" and not checkpoint_day:
        return out + [(start, plan_end)]
    mm, dd = map(int, checkpoint_day.split("-"))
    previous = start
    for y in range(start.year, plan_end.year + 1):
        # the checkpoint day is the day printed after "trước ngày" (the plans' report days)
        d = before_day(dt.date(y, mm, dd))
        if start <= d <= plan_end:
            out.append((previous, d))
            previous = d + dt.timedelta(days=1)
    return out
