"""The Standing Office's own report timeliness per period (issue 11, item 11; seed 003)."""

import datetime as dt

from django.utils import timezone

from canhgiac.core.models import Notification
from canhgiac.reporting import consolidation, services


def _now(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(8)))


def test_each_period_records_whether_the_office_issued_its_report_on_time(
    make_period, coordinator_sct, signed_in
):
    today = services.today()
    on_time = make_period(deadline=today - dt.timedelta(days=20), codes=("QLTT",), commune=False, name="Kỳ A")
    late = make_period(deadline=today - dt.timedelta(days=15), codes=("QLTT",), commune=False, name="Kỳ B")
    missing = make_period(deadline=today - dt.timedelta(days=10), codes=("QLTT",), commune=False, name="Kỳ C")
    consolidation.save_province_report(
        coordinator_sct, on_time, narrative={}, number="1/BC-SCT", issued_on=on_time.office_deadline
    )
    consolidation.save_province_report(
        coordinator_sct,
        late,
        narrative={},
        number="2/BC-SCT",
        issued_on=late.office_deadline + dt.timedelta(days=4),
    )
    rows = {r["period"].name: r for r in services.office_record([on_time, late, missing], today)}
    assert (rows["Kỳ A"]["status"], rows["Kỳ A"]["days_late"]) == ("on_time", 0)
    assert (rows["Kỳ B"]["status"], rows["Kỳ B"]["days_late"]) == ("late", 4)
    assert rows["Kỳ C"]["status"] == "late" and rows["Kỳ C"]["issued_on"] is None
    assert rows["Kỳ C"]["days_late"] == (today - missing.office_deadline).days
    assert services.office_rates(rows.values()) == {"expected": 3, "issued": 2, "on_time": 1}
    page = signed_in(coordinator_sct).get(f"/reporting/timeliness/?year={today.year}").content.decode()
    if all(p.office_deadline.year == today.year for p in (on_time, late, missing)):
        assert 'data-testid="office-record"' in page
        assert page.count('data-office-status="late"') == 2 and "Chậm 4 ngày" in page


def test_the_committee_leaders_hear_when_the_office_is_late(
    make_period, coordinator_sct, make_user, settings
):
    from canhgiac.core import policy

    director = make_user("giam_doc_sct", "SCT", policy.LEADER)
    deputy = make_user("pho_chu_tich", "QLTT", policy.VIEWER)
    settings.CANHGIAC_COMMITTEE_LEADERS = ["pho_chu_tich"]
    today = services.today()
    period = make_period(deadline=today - dt.timedelta(days=5), codes=("QLTT",), commune=False)
    period.office_deadline = today - dt.timedelta(days=1)
    period.save()
    services.send_reminders(_now(today))
    told = set(Notification.objects.filter(kind="reporting.office_overdue").values_list("user", flat=True))
    assert {director.pk, deputy.pk, coordinator_sct.pk} <= told


def test_the_named_leaders_hear_when_the_office_is_late_and_the_setting_is_the_fallback(
    make_period, make_user, settings, signed_in
):
    from canhgiac.core import policy

    director_sct = make_user("giam_doc_sct", "SCT", policy.LEADER)
    head = make_user("pho_chu_tich_ubnd")
    from_setting = make_user("ten_trong_cau_hinh")
    settings.CANHGIAC_COMMITTEE_LEADERS = ["ten_trong_cau_hinh"]
    today = services.today()

    def late_period(name):
        period = make_period(deadline=today - dt.timedelta(days=5), codes=("QLTT",), commune=False, name=name)
        period.office_deadline = today - dt.timedelta(days=1)
        period.save()
        return period

    now = timezone.make_aware(dt.datetime.combine(today, dt.time(8)))
    first = late_period("Kỳ chưa có danh sách")
    services.send_reminders(now)
    told = set(Notification.objects.filter(kind="reporting.office_overdue").values_list("user", flat=True))
    assert from_setting.pk in told and director_sct.pk in told and head.pk not in told

    signed_in(director_sct).post("/accounts/committee/", {"user": head.pk, "position": "1_head"})
    Notification.objects.all().delete()
    first.delete()
    late_period("Kỳ đã có danh sách")
    services.send_reminders(now)
    told = set(Notification.objects.filter(kind="reporting.office_overdue").values_list("user", flat=True))
    assert head.pk in told and director_sct.pk in told and from_setting.pk not in told
