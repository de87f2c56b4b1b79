"""Reminders N days before a due date and on the day it becomes overdue, and the daily digest."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from canhgiac.core import policy
from canhgiac.core.models import Notification
from canhgiac.plans import reminders


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, 8, 0))


@pytest.fixture
def officer_syt(make_user):
    return make_user("officer_syt", "SYT", policy.OFFICER, email="syt@example.vn")


def test_lead_agency_users_are_reminded_seven_days_before_and_once(officer_syt, officer_qltt, task, plan):
    reminders.run(_at(dt.date(2026, 2, 21)))
    titles = list(Notification.objects.filter(user=officer_syt).values_list("title", flat=True))
    assert "Nhắc hạn: nhiệm vụ 1.2 còn 7 ngày (hạn 28/02/2026)" in titles
    assert any(m.to == ["syt@example.vn"] and "1.2" in m.subject for m in mail.outbox)
    count = Notification.objects.count()
    reminders.run(_at(dt.date(2026, 2, 21)))
    reminders.run(_at(dt.date(2026, 2, 22)))
    assert Notification.objects.count() == count  # deduplicated
    assert not Notification.objects.filter(user=officer_qltt, title__contains="nhiệm vụ 1.2 ").exists()


def test_a_second_reminder_the_day_before(officer_syt):
    reminders.run(_at(dt.date(2026, 2, 27)))
    assert Notification.objects.filter(
        user=officer_syt, title__startswith="Nhắc hạn: nhiệm vụ 1.2 còn 1 ngày"
    ).exists()


def test_overdue_notice_on_the_first_overdue_day_but_not_when_done(officer_syt, task, agency, report):
    report(officer_syt, task("7.7"), agency("SYT"), dt.date(2026, 2, 28), on=dt.date(2026, 2, 27))
    reminders.run(_at(dt.date(2026, 3, 1)))
    overdue = set(
        Notification.objects.filter(user=officer_syt, kind="plans.overdue").values_list("title", flat=True)
    )
    assert "Quá hạn: nhiệm vụ 1.2 (hạn 28/02/2026) chưa hoàn thành" in overdue
    assert not any("7.7" in t for t in overdue)


def test_the_standing_office_gets_a_daily_digest_of_what_became_overdue(coordinator_sct, officer_ca):
    reminders.run(_at(dt.date(2026, 3, 1)))
    digest = Notification.objects.get(user=coordinator_sct, kind="plans.digest")
    assert digest.title.startswith("Tổng hợp ngày 01/03/2026")
    assert "Nhiệm vụ 1.2: Sở Y tế" in digest.body and "Nhiệm vụ 1.6: Công an tỉnh" in digest.body
    assert not Notification.objects.filter(user=officer_ca, kind="plans.digest").exists()
    reminders.run(_at(dt.date(2026, 3, 1)))
    assert Notification.objects.filter(kind="plans.digest").count() == 1


def test_reminders_run_from_the_periodic_registry():
    from canhgiac.core.registry import PERIODIC_HOOKS

    assert "plans.reminders" in [name for name, _fn in PERIODIC_HOOKS]
