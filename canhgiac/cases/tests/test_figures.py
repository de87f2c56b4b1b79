"""The figures, checked against numbers computed here independently from the same file."""

import datetime as dt
import io
import json
import random
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command

from canhgiac.cases import imports, services

pytestmark = pytest.mark.django_db

TYPES = ["counterfeit", "smuggling", "trade_fraud", "unknown_origin"]
CATEGORIES = ["cosmetics", "milk", "alcohol_tobacco", "drugs"]
AGENCIES = ["QLTT", "CA", "BDBP"]
HANDLING = ["administrative", "criminal", "transferred", "pending", "no_violation", ""]


def _random_rows(units, seed=7, cases=60):
    rng = random.Random(seed)
    rows = []
    for i in range(cases):
        year = rng.choice([2025, 2026])
        day = dt.date(year, rng.randint(1, 6), rng.randint(1, 28))
        handling = rng.choice(HANDLING)
        case = {
            "case_ref": f"R-{i}",
            "agency_code": rng.choice(AGENCIES),
            "detected_on": day.strftime("%d/%m/%Y"),
            "unit_code": rng.choice(units).code,
            "violation_type": rng.choice(TYPES),
            "summary": f"Vụ {i}",
            "handling": handling,
            "fine_vnd": str(rng.randint(0, 50) * 1_000_000),
            "budget_revenue_vnd": str(rng.randint(0, 90) * 1_000_000),
            "defendants": str(rng.randint(1, 5)) if handling == "criminal" else "0",
        }
        for _line in range(rng.randint(0, 3)):
            rows.append(
                dict(
                    case,
                    goods_category=rng.choice(CATEGORIES),
                    goods_description="Hàng",
                    quantity="1",
                    goods_value_vnd=str(rng.randint(0, 10_000) * 1000),
                )
            )
        if not any(r["case_ref"] == case["case_ref"] for r in rows):
            rows.append(case)
    return rows


def _expected(rows, start, end, agency=None):
    """Independent computation straight from the CSV rows."""
    cases = {}
    goods = defaultdict(list)
    for r in rows:
        key = (r["agency_code"], r["case_ref"])
        cases[key] = r
        if r.get("goods_category"):
            goods[key].append((r["goods_category"], int(r["goods_value_vnd"])))
    picked = {
        k: r
        for k, r in cases.items()
        if start <= dt.datetime.strptime(r["detected_on"], "%d/%m/%Y").date() <= end
        and (agency is None or r["agency_code"] == agency)
    }
    by_category = Counter()
    for key in picked:
        for category in {c for c, _v in goods[key]}:
            by_category[category] += 1
    return {
        "cases": len(picked),
        "goods_value_vnd": sum(v for k in picked for _c, v in goods[k]),
        "fines_vnd": sum(int(r["fine_vnd"]) for r in picked.values()),
        "budget_revenue_vnd": sum(int(r["budget_revenue_vnd"]) for r in picked.values()),
        "other_revenue_vnd": sum(
            max(int(r["budget_revenue_vnd"]) - int(r["fine_vnd"]), 0) for r in picked.values()
        ),
        "criminal_cases": sum(1 for r in picked.values() if r["handling"] == "criminal"),
        "defendants": sum(int(r["defendants"]) for r in picked.values()),
        "cases_by_violation_type": dict(Counter(r["violation_type"] for r in picked.values())),
        "cases_by_agency": dict(Counter(r["agency_code"] for r in picked.values())),
        "cases_by_goods_category": dict(by_category),
    }


@pytest.fixture
def loaded(units, csv_bytes):
    rows = _random_rows(units)
    result = imports.import_cases(csv_bytes(rows), "figures.csv")
    assert result.ok, result.errors[:5]
    return rows


def test_the_summary_matches_figures_computed_from_the_file(loaded):
    start, end = dt.date(2026, 1, 1), dt.date(2026, 6, 30)
    figures = services.summary(None, start, end)
    assert figures["period"] == ["2026-01-01", "2026-06-30"]
    assert figures["totals"] == _expected(loaded, start, end)
    assert figures["same_period_last_year"] == _expected(loaded, dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    now, before = figures["totals"]["cases"], figures["same_period_last_year"]["cases"]
    assert figures["change_pct"]["cases"] == round((now - before) * 100 / before, 1)


def test_the_summary_of_one_agency_and_one_quarter(loaded):
    start, end = dt.date(2026, 1, 1), dt.date(2026, 3, 31)
    figures = services.summary(None, start, end, agency_code="CA")
    assert figures["totals"] == _expected(loaded, start, end, agency="CA")


def test_budget_revenue_is_the_recorded_total_not_fines_added_again(make_case):
    make_case(
        detected_on="2026-02-01", outcome="administrative", fine_vnd=10_000_000, budget_revenue_vnd=12_000_000
    )
    totals = services.summary(None, dt.date(2026, 1, 1), dt.date(2026, 12, 31))["totals"]
    assert (totals["fines_vnd"], totals["budget_revenue_vnd"]) == (10_000_000, 12_000_000)
    assert totals["other_revenue_vnd"] == 2_000_000


def test_other_revenue_is_never_negative_when_a_fine_is_not_yet_paid(make_case):
    make_case(detected_on="2026-02-01", outcome="administrative", fine_vnd=10_000_000, budget_revenue_vnd=0)
    make_case(
        detected_on="2026-02-02", outcome="administrative", fine_vnd=1_000_000, budget_revenue_vnd=5_000_000
    )
    totals = services.summary(None, dt.date(2026, 1, 1), dt.date(2026, 12, 31))["totals"]
    assert (totals["fines_vnd"], totals["budget_revenue_vnd"], totals["other_revenue_vnd"]) == (
        11_000_000,
        5_000_000,
        4_000_000,
    )


def test_change_is_null_when_last_year_had_nothing(make_case):
    make_case(detected_on="2026-02-01")
    change = services.summary(None, dt.date(2026, 1, 1), dt.date(2026, 12, 31))["change_pct"]
    assert change["cases"] is None


def test_the_command_prints_the_same_json(loaded):
    out = io.StringIO()
    call_command("cases-summary", "--from", "2026-01-01", "--to", "30/06/2026", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed == json.loads(
        json.dumps(services.summary(None, dt.date(2026, 1, 1), dt.date(2026, 6, 30)))
    )


def test_the_api_gives_the_callers_figures(loaded, signed_in, coordinator_sct):
    client = signed_in(coordinator_sct)
    response = client.get("/api/v1/cases/summary", {"from": "2026-01-01", "to": "2026-06-30"})
    assert response.status_code == 200
    assert response.json()["totals"] == _expected(loaded, dt.date(2026, 1, 1), dt.date(2026, 6, 30))


def test_the_api_rejects_a_bad_date_with_field_errors(signed_in, coordinator_sct):
    response = signed_in(coordinator_sct).get(
        "/api/v1/cases/summary", {"from": "2026-13-01", "to": "2026-06-30"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "from"


def test_changing_a_cases_date_or_goods_moves_it_in_the_figures(make_case):
    case = make_case(
        detected_on="2026-02-01",
        goods=[
            {"goods_category": "milk", "description": "Sữa 1", "value_vnd": 100},
            {"goods_category": "milk", "description": "Sữa 2", "value_vnd": 50},
        ],
    )
    year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert services.summary(None, *year)["totals"]["cases_by_goods_category"] == {"milk": 1}
    services.update_case(
        None,
        case,
        {
            "goods": [
                {"goods_category": "drugs", "description": "Thuốc", "value_vnd": 7},
                {"goods_category": "milk", "description": "Sữa", "value_vnd": 1},
            ]
        },
    )
    totals = services.summary(None, *year)["totals"]
    assert totals["cases_by_goods_category"] == {"drugs": 1, "milk": 1} and totals["goods_value_vnd"] == 8
    services.update_case(None, case, {"detected_on": "2025-03-01"})
    figures = services.summary(None, *year)
    assert figures["totals"]["cases"] == 0 and figures["totals"]["cases_by_goods_category"] == {}
    assert figures["same_period_last_year"]["cases_by_goods_category"] == {"drugs": 1, "milk": 1}
