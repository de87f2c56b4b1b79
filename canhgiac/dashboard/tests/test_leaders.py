"""The leaders' dashboard: every figure on /app/ is the owning app's service figure (no number
computed twice), under the policy, in both provinces."""

import datetime as dt

import pytest
from django.utils import timezone

from canhgiac.dashboard import leaders

pytestmark = pytest.mark.django_db


def _window():
    return leaders.window()


def test_dashboard_targets_equal_the_services_figures(world, coordinator_sct, signed_in):
    from canhgiac.plans import services as plans
    from canhgiac.reporting import services as reporting
    from canhgiac.tips import services as tips

    date_from, date_to = _window()
    response = signed_in(coordinator_sct).get("/app/")
    assert response.status_code == 200
    rows = {r["key"]: r for r in response.context["targets"]}
    expected = {r["key"]: r for r in tips.targets(coordinator_sct, date_from, date_to)["rows"]}
    for key in ("acceptance_rate", "resolution_rate", "prosecution_rate"):
        assert (rows[key]["value"], rows[key]["part"], rows[key]["whole"]) == (
            expected[key]["value"],
            expected[key]["part"],
            expected[key]["whole"],
        )
    assert rows["acceptance_rate"]["whole"] == 1  # the tip of the world, received this year
    rep = reporting.timeliness_summary(coordinator_sct, date_from, date_to)
    assert rows["reports_agencies"]["value"] == rep["agencies"]["timeliness"]
    assert rows["reports_communes"]["whole"] == rep["communes"]["expected"]
    assert rows["reports_office"]["whole"] == rep["office"]["expected"]
    counts = plans.status_counts(coordinator_sct)
    assert (rows["plan_tasks_on_time"]["part"], rows["plan_tasks_on_time"]["whole"]) == (
        counts["done_on_time"],
        counts["total"],
    )
    for row in rows.values():
        assert row["definition"] and row["url"].startswith("/"), row["key"]
    page = response.content.decode()
    assert 'data-testid="targets"' in page and str(rows["acceptance_rate"]["definition"]) in page


def test_dashboard_trends_equal_the_case_services(world, coordinator_sct, signed_in):
    from canhgiac.cases import services as cases

    date_from, date_to = _window()
    charts = {c["key"]: c for c in signed_in(coordinator_sct).get("/app/").context["charts"]}
    summary = cases.summary(coordinator_sct, date_from, date_to)
    monthly = cases.monthly_figures(coordinator_sct, date_from.year, until=date_to)
    for key in ("cases", "goods_value_vnd", "fines_vnd", "budget_revenue_vnd"):
        this_year = charts[key]["series"][0]["data"]
        assert this_year == [m["current"][key] for m in monthly["months"]]
        assert sum(this_year) == summary["totals"][key]  # the months add up to the year's summary
        assert sum(charts[key]["series"][1]["data"]) == summary["same_period_last_year"][key]
    assert sum(charts["cases"]["series"][0]["data"]) == 3
    assert sum(charts["cases"]["series"][1]["data"]) == 1  # "cùng kỳ": last year's case
    assert sum(charts["agencies"]["series"][0]["data"]) == summary["totals"]["cases"]
    assert sum(charts["groups"]["series"][0]["data"]) == summary["totals"]["cases"]
    assert charts["online"]["series"][0]["data"] == [1, 2]
    assert charts["online"]["series"][1]["data"] == [2_000_000, 6_000_000]
    # high-risk goods categories first
    from canhgiac.directory.models import GoodsCategory

    risky = {c.name for c in GoodsCategory.objects.filter(high_risk=True)}
    flags = [name.rstrip(" ⚠") in risky for name in charts["categories"]["categories"]]
    assert flags == sorted(flags, reverse=True)
    # each chart carries its table
    for chart in charts.values():
        assert len(chart["rows"]) == len(chart["categories"])


def test_monthly_figures_add_up_to_the_summary_and_stop_at_the_given_day(world):
    from canhgiac.cases import services as cases

    today = world["today"]
    monthly = cases.monthly_figures(None, today.year, until=today)
    assert len(monthly["months"]) == today.month
    summary = cases.summary(None, today.replace(month=1, day=1), today)
    for key in cases.MONTHLY_KEYS:
        assert sum(m["current"][key] for m in monthly["months"]) == summary["totals"][key]
        assert sum(m["previous"][key] for m in monthly["months"]) == summary["same_period_last_year"][key]


def test_hotspots_rank_communes_against_the_province_median(world, units, coordinator_sct):
    date_from, date_to = _window()
    hot = leaders.hotspots(coordinator_sct, date_from, date_to)
    first = hot["rows"][0]
    assert first["unit"] == units[0]
    assert first["counts"] == {"cases": 2, "tips": 1, "online_flagged": 0, "goods_checks": 0}
    assert hot["median"] == 0  # most communes have nothing
    assert first["above"] and hot["above"] == 2


def test_the_other_province_sees_none_of_dak_laks_figures(world, coordinator_lang_son, signed_in):
    response = signed_in(coordinator_lang_son).get("/app/")
    assert response.status_code == 200
    charts = {c["key"]: c for c in response.context["charts"]}
    assert sum(charts["cases"]["series"][0]["data"]) == 0
    rows = {r["key"]: r for r in response.context["targets"]}
    assert rows["acceptance_rate"]["whole"] == 0
    assert response.context["hotspots"]["rows"] == []
    assert all(r["unit"].parent.code != "66" for r in response.context["hotspots"]["rows"])


def test_what_needs_doing_today_follows_the_role(world, officer_qltt, leader_qltt, coordinator_sct):
    from canhgiac.tips.models import Tip

    tip = world["tip"]
    Tip.objects.filter(pk=tip.pk).update(accept_due=timezone.now() - dt.timedelta(days=1))
    officer = {i["label"]: i["count"] for i in leaders.today_list(officer_qltt)}
    leader = {i["label"]: i["count"] for i in leaders.today_list(leader_qltt)}
    coordinator = {i["label"]: i["count"] for i in leaders.today_list(coordinator_sct)}
    assert "Báo cáo chờ lãnh đạo duyệt" in leader and "Báo cáo chờ lãnh đạo duyệt" not in officer
    assert "Báo cáo chờ Cơ quan Thường trực tiếp nhận" in coordinator
    assert "Phần việc kế hoạch đến hạn trong tuần" in officer
    assert coordinator.get("Tin báo quá hạn") == 1


def test_the_chart_library_is_served_locally_and_each_chart_has_its_table(world, coordinator_sct, signed_in):
    page = signed_in(coordinator_sct).get("/app/").content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in page and "/static/dashboard/charts.js" in page
    assert page.count('class="cg-chart"') == page.count("<caption") == 8
    assert 'id="cg-chart-data" type="application/json"' in page
    assert "http://" not in page.split("<body")[0].replace("http://www.w3.org", "")
