import datetime as dt

import pytest
from django.utils import timezone

from canhgiac.tips import services
from canhgiac.tips.models import Tip

pytestmark = pytest.mark.django_db
KEYS = {
    "received",
    "accepted",
    "to_resolve",
    "resolved",
    "resolution_rate",
    "resolved_on_time",
    "acceptance_rate",
    "on_time_resolution_rate",
    "open",
    "overdue",
}


def at(day: dt.date, hour=9):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def history(make_tip, ward, tip_handler_qltt, make_user, agency):
    """Five QLTT tips received in March 2026 and one in April, with known outcomes; one SYT tip."""
    from canhgiac.core import policy

    march = dt.date(2026, 3, 2)
    tips = [
        make_tip(
            unit_code=ward.code,
            goods_category="fuel",
            description=f"Tin báo số {i} về xăng giả ở trạm {i}.",
            online_url=f"https://example.vn/{i}",
        )
        for i in range(6)
    ]
    syt = make_tip(unit_code=ward.code, goods_category="drugs", description="Thuốc giả bán ở chợ.")
    for i, tip in enumerate(tips[:5]):
        received = at(march + dt.timedelta(days=i))
        Tip.objects.filter(pk=tip.pk).update(
            received_at=received,
            accept_due=received + dt.timedelta(days=3),
            resolve_due=received + dt.timedelta(days=20),
        )
    Tip.objects.filter(pk=tips[5].pk).update(received_at=at(dt.date(2026, 4, 10)))
    Tip.objects.filter(pk=syt.pk).update(
        received_at=at(march),
        accept_due=at(march) + dt.timedelta(days=3),
        resolve_due=at(march) + dt.timedelta(days=20),
        channel=Tip.Channel.HOTLINE,
    )

    def set_(tip, **values):
        Tip.objects.filter(pk=tip.pk).update(**values)

    d = march
    # 0: accepted day 1, resolved on time (day 10)
    set_(
        tips[0],
        status="resolved",
        outcome="substantiated",
        accepted_at=at(d, 12),
        closed_at=at(d + dt.timedelta(days=10)),
    )
    # 1: accepted, resolved late (day 25 from receipt on 3/3)
    set_(
        tips[1],
        status="resolved",
        outcome="not_substantiated",
        accepted_at=at(d + dt.timedelta(days=1), 12),
        closed_at=at(d + dt.timedelta(days=26)),
    )
    # 2: accepted, still verifying, past its resolution deadline
    set_(tips[2], status="verifying", accepted_at=at(d + dt.timedelta(days=2), 12))
    # 3: never accepted, rejected as out of scope
    set_(tips[3], status="rejected", outcome="out_of_scope", closed_at=at(d + dt.timedelta(days=4), 12))
    # 4: never accepted, still open (overdue for acceptance)
    user = make_user("u", "QLTT", policy.TIP_HANDLER)
    return {"march": (dt.date(2026, 3, 1), dt.date(2026, 3, 31)), "user": user}


def test_figures_follow_their_definitions(history):
    # QLTT: 3 accepted, 2 of them resolved (1 on time, 1 late), 1 still open past its deadline ->
    # resolution 2 / 3, on time 1 / 3 (tip 4, never accepted, is overdue for acceptance instead).
    figures = services.stats(None, *history["march"], now=at(dt.date(2026, 6, 1)))
    assert KEYS <= set(figures) and set(figures) == KEYS | {"by_agency", "by_channel"}
    assert figures["received"] == 6
    qltt = figures["by_agency"]["QLTT"]
    assert qltt == {
        "received": 5,
        "accepted": 3,
        "to_resolve": 3,
        "resolved": 2,
        "resolved_on_time": 1,
        "acceptance_rate": 60.0,
        "resolution_rate": 66.7,
        "on_time_resolution_rate": 33.3,
        "open": 2,
        "overdue": 2,
    }
    assert figures["by_agency"]["SYT"]["overdue"] == 1
    assert (
        figures["by_channel"]["hotline"]["received"] == 1 and figures["by_channel"]["online"]["received"] == 5
    )


def test_figures_stand_as_at_the_end_of_the_period(history):
    # On 15/3 tip 1 (closed 28/3) was still open; tip 0 (closed 12/3) resolved.
    figures = services.stats(None, dt.date(2026, 3, 1), dt.date(2026, 3, 15), now=at(dt.date(2026, 6, 1)))
    qltt = figures["by_agency"]["QLTT"]
    assert qltt["received"] == 5 and qltt["resolved"] == 1 and qltt["open"] == 3


def test_an_agency_filter_and_empty_periods(history):
    figures = services.stats(None, *history["march"], agency_code="SYT", now=at(dt.date(2026, 6, 1)))
    assert figures["received"] == 1 and set(figures["by_agency"]) == {"SYT"}
    empty = services.stats(None, dt.date(2020, 1, 1), dt.date(2020, 1, 31))
    assert (
        empty["received"] == 0
        and empty["acceptance_rate"] is None
        and empty["on_time_resolution_rate"] is None
    )
    assert empty["by_agency"] == {} and empty["by_channel"] == {}


def test_a_tip_accepted_earlier_and_resolved_in_the_period_counts_as_resolved_in_it(make_tip, ward):
    """Seed 004's resolution rate: resolved ÷ tips to resolve, those carried over included."""
    tip = make_tip(unit_code=ward.code, goods_category="fuel", description="Tin báo cũ về xăng giả.")
    Tip.objects.filter(pk=tip.pk).update(
        received_at=at(dt.date(2026, 2, 20)),
        accept_due=at(dt.date(2026, 2, 23)),
        resolve_due=at(dt.date(2026, 3, 20)),
        accepted_at=at(dt.date(2026, 2, 21)),
        status="resolved",
        outcome="substantiated",
        closed_at=at(dt.date(2026, 3, 5)),
    )
    march = services.stats(None, dt.date(2026, 3, 1), dt.date(2026, 3, 31), now=at(dt.date(2026, 6, 1)))
    assert (march["received"], march["accepted"], march["acceptance_rate"]) == (0, 0, None)
    assert (march["to_resolve"], march["resolved"], march["resolution_rate"]) == (1, 1, 100.0)
    assert march["on_time_resolution_rate"] == 100.0
    february = services.stats(None, dt.date(2026, 2, 1), dt.date(2026, 2, 28), now=at(dt.date(2026, 6, 1)))
    assert (february["received"], february["accepted"], february["to_resolve"], february["resolved"]) == (
        1,
        1,
        1,
        0,
    )
