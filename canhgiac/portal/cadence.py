"""Warnings of new tricks on the cadence seed 004 asks (7.2: propagate the new tricks "đều đặn hàng
tuần, hàng tháng" — regularly every week and every month). Two checks, each telling the province's
Standing Office (its coordinators):

- weekly: seven days have passed without a published warning — once per ISO week;
- monthly: a calendar month (the one just ended) had no warning published in it — once, in the
  following month. A warning published later does not fill the gap of a month already over, so
  the monthly notice is sent even if the weekly one has since been satisfied."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

WEEK = dt.timedelta(days=7)


def overdue_provinces(now=None) -> list[tuple[object, dt.datetime | None]]:
    """(province, last publication) for each loaded province with no warning published in the
    last seven days."""
    from canhgiac.accounts import services as accounts
    from canhgiac.cases import services as cases

    now = now or timezone.now()
    out = []
    for province in accounts.loaded_provinces():
        last = cases.last_warning_published(province)
        if last is None or now - last > WEEK:
            out.append((province, last))
    return out


def previous_month(now=None) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the calendar month before the one of `now`, as aware local datetimes."""
    today = timezone.localdate(now or timezone.now())
    end_day = today.replace(day=1)
    start_day = (end_day - dt.timedelta(days=1)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(dt.datetime.combine(start_day, dt.time.min), tz),
        timezone.make_aware(dt.datetime.combine(end_day, dt.time.min), tz),
    )


def silent_month_provinces(now=None) -> list:
    """The loaded provinces that published no warning in the previous calendar month."""
    from canhgiac.accounts import services as accounts
    from canhgiac.cases import services as cases

    start, end = previous_month(now)
    return [p for p in accounts.loaded_provinces() if not cases.warnings_published_between(p, start, end)]


def _weekly(now) -> int:
    from django.urls import reverse

    from canhgiac.accounts import services as accounts
    from canhgiac.core.notify import notify

    year, week, _day = timezone.localdate(now).isocalendar()
    sent = 0
    for province, last in overdue_provinces(now):
        body = (
            _("Cảnh báo gần nhất công bố ngày %(d)s.") % {"d": timezone.localtime(last).strftime("%d/%m/%Y")}
            if last
            else _("Chưa công bố cảnh báo nào.")
        )
        sent += notify(
            accounts.province_coordinators(province),
            kind="portal.warning_cadence",
            title=_("Đã quá một tuần chưa công bố cảnh báo phương thức, thủ đoạn mới"),
            body=body + " " + _("Kế hoạch yêu cầu cảnh báo định kỳ hằng tuần, hằng tháng (mục 7.2, 7.4)."),
            url=reverse("cases:warnings_manage"),
            dedupe_key=f"portal.warning_cadence:{province.code}:{year}-W{week:02d}",
        )
    return sent


def _monthly(now) -> int:
    from django.urls import reverse

    from canhgiac.accounts import services as accounts
    from canhgiac.core.notify import notify

    start, _end = previous_month(now)
    month = timezone.localtime(start)
    sent = 0
    for province in silent_month_provinces(now):
        sent += notify(
            accounts.province_coordinators(province),
            kind="portal.warning_cadence_monthly",
            title=_("Tháng %(m)s không công bố cảnh báo phương thức, thủ đoạn mới nào")
            % {"m": month.strftime("%m/%Y")},
            body=_("Kế hoạch yêu cầu cảnh báo định kỳ hằng tuần, hằng tháng (mục 7.2, 7.4)."),
            url=reverse("cases:warnings_manage"),
            dedupe_key=f"portal.warning_cadence_monthly:{province.code}:{month:%Y-%m}",
        )
    return sent


def check(now=None) -> str | None:
    """The periodic hook: the weekly and the monthly check. The dedupe keys (province, ISO week)
    and (province, month missed) make a second run in the same week or month a no-op."""
    now = now or timezone.now()
    weekly = _weekly(now)
    monthly = _monthly(now)
    parts = []
    if weekly:
        parts.append(f"{weekly} nhắc công bố cảnh báo")
    if monthly:
        parts.append(f"{monthly} nhắc cảnh báo hằng tháng")
    return ", ".join(parts) or None
