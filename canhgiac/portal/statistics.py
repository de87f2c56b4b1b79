"""The public statistics (aggregates only, with definitions), rebuilt once a day from the owning
apps' services in system scope and stored as a snapshot the portal reads."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from canhgiac.portal.models import PublicStatistics

DEFINITIONS = [
    (
        _("Vụ việc"),
        _(
            "Số vụ buôn lậu, gian lận thương mại, hàng giả do các lực lượng chức năng trên địa bàn tỉnh "
            "phát hiện, tính theo ngày phát hiện; mỗi vụ tính một lần, theo hành vi vi phạm chính."
        ),
    ),
    (
        _("Trị giá hàng vi phạm"),
        _("Tổng trị giá hàng hóa vi phạm ghi trong hồ sơ các vụ việc phát hiện trong tháng (đồng)."),
    ),
    (
        _("Cùng kỳ"),
        _("Cùng tháng của năm trước, tính theo cùng định nghĩa."),
    ),
    (
        _("Nhóm báo cáo"),
        _(
            "Ba nhóm theo báo cáo của Ban Chỉ đạo 389 quốc gia: buôn lậu, vận chuyển trái phép hàng hóa "
            "qua biên giới; gian lận thương mại; hàng giả, hàng kém chất lượng, xâm phạm sở hữu trí tuệ."
        ),
    ),
    (
        _("Tin báo tiếp nhận, thụ lý, giải quyết"),
        _(
            "Tin báo của người dân, doanh nghiệp nhận trong năm; số tin đã được cơ quan chức năng thụ lý; "
            "số tin đã giải quyết xong (kể cả tin của năm trước chuyển sang)."
        ),
    ),
    (
        _("Yêu cầu gỡ bỏ tin đăng"),
        _(
            "Số yêu cầu cơ quan chức năng gửi nền tảng mạng (sàn thương mại điện tử, mạng xã hội) gỡ bỏ "
            "tin đăng bán hàng vi phạm trên địa bàn tỉnh, tính theo ngày gửi yêu cầu trong năm."
        ),
    ),
    (
        _("Gỡ bỏ đúng hạn"),
        _("Số yêu cầu mà nền tảng đã gỡ bỏ tin đăng không muộn hơn thời hạn phải gỡ (mặc định 24 giờ)."),
    ),
    (
        _("Gỡ bỏ quá hạn"),
        _("Số yêu cầu đã quá thời hạn mà tin đăng chưa được gỡ, hoặc được gỡ sau thời hạn."),
    ),
]


def build(province, on: dt.date) -> dict:
    """The figures of `province` for the year of `on`, up to `on`."""
    from canhgiac.cases import services as cases
    from canhgiac.online import services as online
    from canhgiac.reporting import services as reporting
    from canhgiac.tips import services as tips

    start = on.replace(month=1, day=1)
    code = province.code
    monthly = cases.monthly_figures(None, on.year, province_code=code, until=on)
    tip = tips.stats(None, start, on, province_code=code, groups=False)
    groups = reporting.by_national_group(cases.by_violation_type(None, start, on, province_code=code))
    return {
        "months": [
            {
                "month": m["month"],
                "cases": m["current"]["cases"],
                "goods_value_vnd": m["current"]["goods_value_vnd"],
                "previous_cases": m["previous"]["cases"],
                "previous_goods_value_vnd": m["previous"]["goods_value_vnd"],
            }
            for m in monthly["months"]
        ],
        "groups": [
            {
                "number": g["number"],
                "name": g["name"],
                "cases": g.get("cases", 0),
                "goods_value_vnd": g.get("goods_value_vnd", 0),
            }
            for g in groups
        ],
        "tips": {k: tip[k] for k in ("received", "accepted", "resolved", "to_resolve")},
        "takedowns": online.province_takedowns(province, start, on),
    }


def refresh(on: dt.date | None = None) -> int:
    """Rebuild every loaded province's snapshot for the year of `on` (default today)."""
    from canhgiac.accounts import services as accounts

    on = on or timezone.localdate()
    n = 0
    for province in accounts.loaded_provinces():
        data = build(province, on)
        with transaction.atomic():
            PublicStatistics.objects.update_or_create(
                province=province, year=on.year, defaults={"as_of": on, "data": data}
            )
        n += 1
    return n


def refresh_if_stale(now=None) -> str | None:
    """The periodic hook: rebuild once a day (when a snapshot is older than today)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not PublicStatistics.objects.filter(year=today.year, as_of=today).exists() or (
        PublicStatistics.objects.filter(year=today.year).exclude(as_of=today).exists()
    ):
        n = refresh(today)
        return f"{n} tỉnh: số liệu công khai cập nhật" if n else None
    return None


def demo(rng, stdout=None) -> None:
    """After the demo's cases and tips: the public statistics, so /so-lieu/ has figures at once."""
    n = refresh()
    if stdout is not None:
        stdout.write(f"  số liệu công khai: {n} tỉnh")
