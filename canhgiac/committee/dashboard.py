"""The committee's part of the leaders' dashboard (canhgiac.dashboard.leaders.add_commune_part,
registered in CommitteeConfig.ready): each commune committee's activity, from
`services.committee_activity` (one query whatever the number of committees)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from canhgiac.core import policy

LIMIT = 30


def commune_committees(user) -> dict | None:
    """The communes' committees of the user's (first) province: how many are active, and those
    needing attention first (not active, then the longest without a meeting)."""
    from canhgiac.committee import services
    from canhgiac.core.templatetags.cg import vndate

    if not policy.is_staff_member(user):
        return None
    province = services.province_of(user)
    if province is None:
        return None
    rows = [r for r in services.committee_activity(user, province) if r["unit"] is not None]
    if not rows:
        return None
    active = sum(1 for r in rows if r["active"])
    rows.sort(
        key=lambda r: (r["active"], r["last_meeting"] is not None, r["last_meeting"] or 0, r["unit"].name)
    )
    return {
        "key": "commune-committees",
        "title": _("Ban Chỉ đạo 389 xã, phường"),
        "summary": _(
            "%(active)s/%(total)s Ban Chỉ đạo xã, phường đang hoạt động; các ban chưa hoạt động hoặc lâu chưa họp xếp trước."
        )
        % {"active": active, "total": len(rows)},
        "columns": [
            _("Xã, phường"),
            _("Tình trạng"),
            _("Thành viên"),
            _("Số cuộc họp"),
            _("Họp gần nhất"),
        ],
        "rows": [
            [
                r["unit"].name,
                _("Đang hoạt động") if r["active"] else _("Chưa hoạt động"),
                r["members"],
                r["meetings"],
                vndate(r["last_meeting"]) if r["last_meeting"] else "—",
            ]
            for r in rows[:LIMIT]
        ],
        "url": reverse("committee:membership") if policy.is_coordinator(user) else "",
    }
