"""Default data windows and deadlines of reporting periods.

Data cut-off (Decree 09/2019/NĐ-CP, Art. 12): monthly reports count from the 15th of the previous
month to the 14th of the reporting month; quarterly from the 15th of the month before the quarter to
the 14th of its last month; six-monthly from 15/12 of the previous year to 14/6; yearly from 15/12
of the previous year to 14/12. Other regimes set their own window (Art. 12, point đ).

The 389 plans in the seeds set their own yearly regime: agencies and communes report before 30/9
and the Standing Office before 5/10 ("trước ngày": due on the day itself unless
CANHGIAC_BEFORE_DAY_INCLUSIVE is false, see core.dates.before_day); so a yearly 389 period keeps the decree's "15th to 14th"
convention but closes on 14/9 (window 15/9 of the previous year to 14/9). Mid-term (sơ kết) and
final (tổng kết) reports of the 2026–2030 plan are due from the Standing Office before 5/1/2028 and
5/1/2031. All of this is only the default: every date stays editable on the period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from canhgiac.core.dates import before_day

D = dt.date


@dataclass
class PeriodDates:
    data_from: dt.date
    data_to: dt.date
    deadline: dt.date
    office_deadline: dt.date
    name: str


def _month_back(year: int, month: int, n: int = 1) -> tuple[int, int]:
    index = year * 12 + (month - 1) - n
    return index // 12, index % 12 + 1


def _calendar_month_end(year: int, month: int) -> dt.date:
    y, m = _month_back(year, month, -1)
    return D(y, m, 1) - dt.timedelta(days=1)


def monthly(year: int, month: int, cutoff: str = "decree09") -> PeriodDates:
    if cutoff == "calendar":
        start, end = D(year, month, 1), _calendar_month_end(year, month)
    else:
        py, pm = _month_back(year, month)
        start, end = D(py, pm, 15), D(year, month, 14)
    return PeriodDates(start, end, *_deadlines_after(end), name=f"Tháng {month:02d}/{year}")


def quarterly(year: int, quarter: int, cutoff: str = "decree09") -> PeriodDates:
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    if cutoff == "calendar":
        start, end = D(year, first_month, 1), _calendar_month_end(year, last_month)
    else:
        py, pm = _month_back(year, first_month)
        start, end = D(py, pm, 15), D(year, last_month, 14)
    roman = ["I", "II", "III", "IV"][quarter - 1]
    return PeriodDates(start, end, *_deadlines_after(end), name=f"Quý {roman}/{year}")


def six_monthly(year: int, cutoff: str = "decree09") -> PeriodDates:
    if cutoff == "calendar":
        start, end = D(year, 1, 1), D(year, 6, 30)
    else:
        start, end = D(year - 1, 12, 15), D(year, 6, 14)
    return PeriodDates(start, end, *_deadlines_after(end), name=f"6 tháng đầu năm {year}")


def yearly(year: int, cutoff: str = "decree09") -> PeriodDates:
    """The 389 plan's yearly regime: agencies before 30/9, the Standing Office before 5/10."""
    if cutoff == "calendar":
        start, end = D(year, 1, 1), D(year, 12, 31)
        return PeriodDates(start, end, *_deadlines_after(end), name=f"Năm {year}")
    return PeriodDates(
        D(year - 1, 9, 15),
        D(year, 9, 14),
        before_day(D(year, 9, 30)),
        before_day(D(year, 10, 5)),
        name=f"Năm {year}",
    )


def mid_term(plan_start: int = 2026) -> PeriodDates:
    """Sơ kết of the 2026–2030 plan: the Standing Office reports before 5/1/2028."""
    return PeriodDates(
        D(plan_start - 1, 12, 15),
        D(2027, 12, 14),
        D(2027, 12, 20),
        before_day(D(2028, 1, 5)),
        name="Sơ kết giai đoạn 2026–2027",
    )


def final(plan_start: int = 2026, plan_end: int = 2030) -> PeriodDates:
    """Tổng kết of the 2026–2030 plan: the Standing Office reports before 5/1/2031."""
    return PeriodDates(
        D(plan_start - 1, 12, 15),
        D(plan_end, 12, 14),
        D(plan_end, 12, 20),
        before_day(D(plan_end + 1, 1, 5)),
        name=f"Tổng kết giai đoạn {plan_start}–{plan_end}",
    )


def campaign(
    start: dt.date, end: dt.date, every_days: int = 7, submit_after: int = 1, office_after: int = 2
) -> list[PeriodDates]:
    """A peak campaign's own regime: one report every `every_days` (weekly by default) over the
    campaign, the last one closing on its final day, each due `submit_after` days after its
    window and the Standing Office's summary `office_after` days after."""
    if end < start:
        raise ValueError("end before start")
    rows, day, n = [], start, 1
    while day <= end:
        to = min(day + dt.timedelta(days=every_days - 1), end)
        rows.append(
            PeriodDates(
                day,
                to,
                to + dt.timedelta(days=submit_after),
                to + dt.timedelta(days=office_after),
                name=f"Kỳ {n} ({day:%d/%m}–{to:%d/%m/%Y})",
            )
        )
        day, n = to + dt.timedelta(days=1), n + 1
    return rows


def _deadlines_after(end: dt.date) -> tuple[dt.date, dt.date]:
    """Submitters report three days after the cut-off; the Standing Office six days after (the 20th
    of the month for a cut-off on the 14th)."""
    return end + dt.timedelta(days=3), end + dt.timedelta(days=6)


def defaults(kind: str, year: int, number: int = 1, cutoff: str = "decree09") -> PeriodDates:
    """number = month (1–12) for monthly, quarter (1–4) for quarterly; ignored otherwise."""
    if kind == "monthly":
        return monthly(year, number, cutoff)
    if kind == "quarterly":
        return quarterly(year, number, cutoff)
    if kind == "six_monthly":
        return six_monthly(year, cutoff)
    if kind == "yearly":
        return yearly(year, cutoff)
    if kind == "mid_term":
        return mid_term()
    if kind == "final":
        return final()
    raise ValueError(f"no default dates for {kind}")
