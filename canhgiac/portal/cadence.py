"""Warnings of new tricks on the cadence seed 004 asks (7.2, 7.4: weekly and monthly): when a week
passes without a published warning, the province's Standing Office is told (once per week)."""

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


def check(now=None) -> str | None:
    """The periodic hook: notify the coordinators of each province without a warning this week;
    the dedupe key (province, ISO week) makes a second run in the same week a no-op."""
    from django.urls import reverse

    from canhgiac.accounts import services as accounts
    from canhgiac.core.notify import notify

    now = now or timezone.now()
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
    return f"{sent} nhắc công bố cảnh báo" if sent else None
