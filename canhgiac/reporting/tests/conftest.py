import datetime as dt

import pytest

from canhgiac.reporting import services, sources
from canhgiac.reporting.models import Period

NARRATIVE = {
    "situation": "Tình hình ổn định.",
    "results": "Đã kiểm tra 12 cơ sở.",
    "shortcomings": "Thiếu phương tiện.",
    "next_tasks": "Tăng cường kiểm tra.",
    "proposals": "",
}


@pytest.fixture
def fixed_figures():
    """A registered test source for every indicator with a system figure: fixed numbers per
    agency, so pre-fill can be checked without the cases/tips/plans apps."""
    saved = dict(sources.SOURCES)
    table = {
        "QLTT": {
            "cases": (10, {"smuggling": 4, "counterfeit": 3, "trade_fraud": 3}),
            "goods_value_vnd": 500_000_000,
            "fines_vnd": 120_000_000,
            "budget_revenue_vnd": 30_000_000,
            "criminal_cases": 2,
            "defendants": 3,
            "inspections_planned": 20,
            "inspections_done": 18,
            "tips_received": 9,
            "tips_accepted": 8,
            "tips_resolved": 6,
        },
        "CA": {
            "cases": (5, {"smuggling": 5}),
            "goods_value_vnd": 200_000_000,
            "fines_vnd": 0,
            "budget_revenue_vnd": 0,
            "criminal_cases": 4,
            "defendants": 6,
            "inspections_planned": 0,
            "inspections_done": 0,
            "tips_received": 3,
            "tips_accepted": 3,
            "tips_resolved": 3,
        },
    }
    calls = []

    def make(code):
        def source(scope):
            calls.append((code, scope.agency_code, scope.date_from, scope.date_to))
            if scope.agency_code is None:  # province scope: the sum of both agencies
                values = [table[a].get(code) for a in table]
                if isinstance(values[0], tuple):
                    parts = {}
                    for _v, p in values:
                        for k, n in p.items():
                            parts[k] = parts.get(k, 0) + n
                    return sources.Figure(sum(v for v, _p in values), parts)
                return sources.Figure(sum(values))
            row = table.get(scope.agency_code, {})
            if code not in row:
                return None
            value = row[code]
            return sources.Figure(*value) if isinstance(value, tuple) else sources.Figure(value)

        return source

    sources.SOURCES.clear()
    for code in table["QLTT"]:
        sources.register_source(code, make(code))
    yield {"table": table, "calls": calls}
    sources.SOURCES.clear()
    sources.SOURCES.update(saved)


@pytest.fixture
def no_figures():
    saved = dict(sources.SOURCES)
    sources.SOURCES.clear()
    yield
    sources.SOURCES.update(saved)


@pytest.fixture
def make_period(db, agency, commune_agency):
    def make(deadline=None, codes=("QLTT", "CA"), commune=True, expiry_days=10, **kw):
        today = services.today()
        deadline = deadline or today + dt.timedelta(days=10)
        submitters = [agency(c) for c in codes] + ([commune_agency] if commune else [])
        return services.create_period(
            None,
            kind=kw.pop("kind", Period.Kind.QUARTERLY),
            name=kw.pop("name", "Quý kiểm thử"),
            data_from=kw.pop("data_from", deadline - dt.timedelta(days=95)),
            data_to=kw.pop("data_to", deadline - dt.timedelta(days=3)),
            deadline=deadline,
            office_deadline=deadline + dt.timedelta(days=3),
            submitters=submitters,
            expiry_days=expiry_days,
            **kw,
        )

    return make


def fill(user, sub, **overrides):
    """Complete, valid figures and narrative (system figures kept, or zeros when none)."""
    values = {i.code: (sub.prefill or {}).get(i.code) or 0 for i in sub.form.indicators.all()}
    values.update(overrides.pop("values", {}))
    return services.save_submission(
        user,
        sub,
        values=values,
        breakdown=overrides.pop("breakdown", sub.breakdown),
        reasons=overrides.pop("reasons", {}),
        narrative=overrides.pop("narrative", NARRATIVE),
    )
