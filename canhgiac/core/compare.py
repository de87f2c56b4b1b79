"""'So với cùng kỳ': the same period last year and the change against it, one definition for all."""

import datetime as dt


def shift_year(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (negative: earlier); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def change_pct(current, previous) -> float | None:
    """(current − previous) / previous × 100, one decimal; None when there is nothing to compare."""
    if current is None or not previous:
        return None
    return round((current - previous) * 100 / previous, 1)
