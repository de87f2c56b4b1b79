"""The case figures: one service used by the dashboard, the reports, the CLI and the API.

Definitions are written in docs/cases.md; `summary`'s docstring repeats them.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case as Choose
from django.db.models import Count, F, Q, Sum, Value, When

from canhgiac.cases.models import Case, CaseGoods, Inspection
from canhgiac.core import policy
from canhgiac.core.compare import change_pct, shift_year
from canhgiac.directory.models import Agency, GoodsCategory, ViolationType


def scoped_cases(user):
    """Cases `user` may see; every case in system scope (user=None)."""
    qs = Case.objects.all()
    return qs if user is None else policy.visible_to(user, qs)


def _counts_everything(user) -> bool:
    """System scope, national administrators, and national viewers (who read de-identified
    aggregates only, never a case) count every case."""
    return (
        user is None
        or policy.is_national_admin(user)
        or (policy.is_national_viewer(user) and not policy.agency_ids(user))
    )


TOTAL_KEYS = (
    "cases",
    "goods_value_vnd",
    "fines_vnd",
    "budget_revenue_vnd",
    "other_revenue_vnd",
    "criminal_cases",
    "defendants",
)
BREAKDOWN_KEYS = ("cases_by_violation_type", "cases_by_agency", "cases_by_goods_category")


def _period_totals(qs, period: tuple, scoped: bool) -> dict:
    """One grouped scan of the cases in `period` (by violation type × lead agency, summed in Python)
    and one of the first goods line of each category per case; codes come from the small reference
    tables. `scoped` when `qs` is narrower than every case (a user's scope, an agency, a unit)."""
    qs = qs.filter(detected_on__range=period)
    rows = (
        qs.order_by()
        .values("violation_type_id", "lead_agency_id")
        .annotate(
            cases=Count("pk"),
            # revenue other than fines, case by case (before the Sum named budget_revenue_vnd shadows the column)
            other_revenue_vnd=Sum(
                Choose(
                    When(budget_revenue_vnd__gt=F("fine_vnd"), then=F("budget_revenue_vnd") - F("fine_vnd")),
                    default=Value(0),
                )
            ),
            goods_value_vnd=Sum("goods_value_vnd"),
            fines_vnd=Sum("fine_vnd"),
            budget_revenue_vnd=Sum("budget_revenue_vnd"),
            defendants=Sum("defendants"),
            criminal_cases=Count("pk", filter=Q(outcome=Case.Outcome.CRIMINAL)),
        )
    )
    type_codes = dict(ViolationType.objects.values_list("pk", "code"))
    agency_codes = dict(Agency.objects.values_list("pk", "code"))
    totals = dict.fromkeys(TOTAL_KEYS, 0)
    by_type: dict[str, int] = {}
    by_agency: dict[str, int] = {}
    for row in rows:
        for key in TOTAL_KEYS:
            totals[key] += int(row[key] or 0)
        code = type_codes[row["violation_type_id"]]
        by_type[code] = by_type.get(code, 0) + row["cases"]
        code = agency_codes[row["lead_agency_id"]]
        by_agency[code] = by_agency.get(code, 0) + row["cases"]
    goods = CaseGoods.objects.filter(counts_category=True, case_detected_on__range=period)
    if scoped:
        goods = goods.filter(case__in=qs.order_by().values("pk"))
    category_counts = goods.order_by().values_list("goods_category_id").annotate(n=Count("pk"))
    category_codes = dict(GoodsCategory.objects.values_list("pk", "code"))
    totals["cases_by_violation_type"] = dict(sorted(by_type.items()))
    totals["cases_by_agency"] = dict(sorted(by_agency.items()))
    totals["cases_by_goods_category"] = dict(sorted((category_codes[pk], n) for pk, n in category_counts))
    return totals


def _change(current, previous):
    if isinstance(current, dict):
        return {
            k: _change(current.get(k, 0), previous.get(k, 0)) for k in sorted(set(current) | set(previous))
        }
    return change_pct(current, previous)


def summary(
    user,
    date_from: dt.date,
    date_to: dt.date,
    *,
    agency_code: str | None = None,
    unit_code: str | None = None,
    province_code: str | None = None,
) -> dict:
    """Figures of the cases detected in [date_from, date_to] and in the same period a year earlier.

    Definitions (docs/cases.md): a case counts in a period by its detection date, once, under its
    primary violation type and its lead agency; under each goods category present in its goods lines
    (once per category); goods value is the sum of its goods lines; fines are the recorded fines;
    budget revenue is the case's recorded total paid to the state budget (fines already included,
    never added again); other revenue is, case by case, that total minus the case's fine (never
    below 0): what was paid besides fines (tax arrears, confiscated goods sold …); a criminal case is one whose outcome is criminal prosecution; defendants are
    summed. change_pct is (current - last year) / last year × 100, one decimal; null when last year is 0.
    `user=None` is system scope; otherwise only cases visible to the user count.
    """
    qs = Case.objects.all() if _counts_everything(user) else scoped_cases(user)
    if province_code:  # agency codes repeat in every province
        qs = qs.filter(lead_agency__province__code=province_code)
    if agency_code:
        qs = qs.filter(lead_agency__code=agency_code)
    if unit_code:
        qs = qs.filter(Q(unit__code=unit_code) | Q(unit__parent__code=unit_code))
    sees_all = _counts_everything(user)
    scoped = not sees_all or bool(agency_code) or bool(unit_code) or bool(province_code)
    current = _period_totals(qs, (date_from, date_to), scoped)
    previous = _period_totals(qs, (shift_year(date_from, -1), shift_year(date_to, -1)), scoped)
    return {
        "period": [date_from.isoformat(), date_to.isoformat()],
        "totals": current,
        "same_period_last_year": previous,
        "change_pct": {key: _change(current[key], previous[key]) for key in TOTAL_KEYS + BREAKDOWN_KEYS},
    }


def prosecution_figures(
    user,
    date_from: dt.date,
    date_to: dt.date,
    *,
    agency_code: str | None = None,
    province_code: str | None = None,
) -> dict:
    """Seed 004's prosecution target (100 % of cases with signs of crime prosecuted): of the cases
    detected in the period whose violation or goods were marked as showing signs of crime
    (`signs_of_crime`), those handled as criminal (outcome criminal prosecution).
    prosecution_rate = prosecuted / signs_of_crime × 100, one decimal; None when none was marked."""
    qs = scoped_cases(user).filter(detected_on__range=(date_from, date_to), signs_of_crime=True)
    if province_code:  # agency codes repeat in every province
        qs = qs.filter(lead_agency__province__code=province_code)
    if agency_code:
        qs = qs.filter(lead_agency__code=agency_code)
    row = qs.aggregate(
        signs_of_crime=Count("pk"), prosecuted=Count("pk", filter=Q(outcome=Case.Outcome.CRIMINAL))
    )
    marked, prosecuted = row["signs_of_crime"] or 0, row["prosecuted"] or 0
    rate = round(100.0 * prosecuted / marked, 1) if marked else None
    return {"signs_of_crime": marked, "prosecuted": prosecuted, "prosecution_rate": rate}


def inspection_figures(
    user,
    date_from: dt.date,
    date_to: dt.date,
    *,
    agency_code: str | None = None,
    province_code: str | None = None,
) -> dict:
    """Planned: inspections planned for a day in the period (not cancelled); done: inspections done
    on a day in the period. `user=None` is system scope."""
    qs = Inspection.objects.all() if user is None else policy.visible_to(user, Inspection.objects.all())
    if province_code:
        qs = qs.filter(agency__province__code=province_code)
    if agency_code:
        qs = qs.filter(agency__code=agency_code)
    planned = (
        qs.filter(planned_on__range=(date_from, date_to)).exclude(status=Inspection.Status.CANCELLED).count()
    )
    done = qs.filter(status=Inspection.Status.DONE, done_on__range=(date_from, date_to)).count()
    return {"planned": planned, "done": done}


MONTHLY_KEYS = ("cases", "goods_value_vnd", "fines_vnd", "budget_revenue_vnd")


def _cases_for(user, province_code: str | None):
    qs = Case.objects.all() if _counts_everything(user) else scoped_cases(user)
    if province_code:  # agency codes repeat in every province
        qs = qs.filter(lead_agency__province__code=province_code)
    return qs


def monthly_figures(
    user, year: int, *, province_code: str | None = None, until: dt.date | None = None
) -> dict:
    """Cases, goods value, fines and budget revenue by month of detection, for `year` and the same
    months of the year before ("cùng kỳ"), under the definitions of `summary` (a case counts once,
    in the month it was detected). `until` stops both years at that day of the year (the year so far).
    Returns {"year", "months": [{"month", "current": {...}, "previous": {...}}, ...]}."""
    from django.db.models.functions import ExtractMonth, ExtractYear

    end = until or dt.date(year, 12, 31)
    qs = _cases_for(user, province_code)
    rows = (
        qs.filter(
            Q(detected_on__range=(dt.date(year, 1, 1), end))
            | Q(detected_on__range=(dt.date(year - 1, 1, 1), shift_year(end, -1)))
        )
        .order_by()
        .annotate(y=ExtractYear("detected_on"), m=ExtractMonth("detected_on"))
        .values("y", "m")
        .annotate(
            cases=Count("pk"),
            goods_value_vnd=Sum("goods_value_vnd"),
            fines_vnd=Sum("fine_vnd"),
            budget_revenue_vnd=Sum("budget_revenue_vnd"),
        )
    )
    found = {(r["y"], r["m"]): {k: int(r[k] or 0) for k in MONTHLY_KEYS} for r in rows}
    zero = dict.fromkeys(MONTHLY_KEYS, 0)
    return {
        "year": year,
        "months": [
            {
                "month": m,
                "current": found.get((year, m), dict(zero)),
                "previous": found.get((year - 1, m), dict(zero)),
            }
            for m in range(1, end.month + 1)
        ],
    }


def online_split(
    user,
    date_from: dt.date,
    date_to: dt.date,
    *,
    province_code: str | None = None,
    agency_code: str | None = None,
    unit_code: str | None = None,
) -> dict:
    """Cases detected in the period committed online (an online address or platform recorded on
    the case; a case made from a listing of the online app always carries the listing's platform
    and address) against the others: {"online": {"cases", "goods_value_vnd"}, "offline": {...}}.
    `agency_code` and `unit_code` narrow the cases as `summary` does (lead agency; commune or its
    district). One query whatever the data."""
    qs = _cases_for(user, province_code).filter(detected_on__range=(date_from, date_to))
    if agency_code:
        qs = qs.filter(lead_agency__code=agency_code)
    if unit_code:
        qs = qs.filter(Q(unit__code=unit_code) | Q(unit__parent__code=unit_code))
    online_q = ~Q(online_url="") | ~Q(online_platform="")
    row = qs.aggregate(
        online_cases=Count("pk", filter=online_q),
        online_value=Sum("goods_value_vnd", filter=online_q),
        all_cases=Count("pk"),
        all_value=Sum("goods_value_vnd"),
    )
    online = {"cases": row["online_cases"] or 0, "goods_value_vnd": int(row["online_value"] or 0)}
    return {
        "online": online,
        "offline": {
            "cases": (row["all_cases"] or 0) - online["cases"],
            "goods_value_vnd": int(row["all_value"] or 0) - online["goods_value_vnd"],
        },
    }


def online_split_compared(user, date_from: dt.date, date_to: dt.date, **filters) -> dict:
    """`online_split` of the period and of the same period last year, with the change in % of the
    case counts (as `summary`'s change_pct): {"online": {"cases", "goods_value_vnd", "last_cases",
    "last_goods_value_vnd", "change_pct"}, "offline": {...}}. Two queries."""
    now = online_split(user, date_from, date_to, **filters)
    last = online_split(user, shift_year(date_from, -1), shift_year(date_to, -1), **filters)
    return {
        side: {
            **now[side],
            "last_cases": last[side]["cases"],
            "last_goods_value_vnd": last[side]["goods_value_vnd"],
            "change_pct": _change(now[side]["cases"], last[side]["cases"]),
        }
        for side in ("online", "offline")
    }


def cases_by_unit(user, date_from: dt.date, date_to: dt.date, *, province_code: str | None = None) -> dict:
    """Cases detected in the period per commune (the case's unit): {unit_id: count}."""
    qs = _cases_for(user, province_code).filter(detected_on__range=(date_from, date_to))
    return dict(qs.order_by().values_list("unit_id").annotate(n=Count("pk")))


def by_violation_type(
    user, date_from: dt.date, date_to: dt.date, *, province_code: str | None = None
) -> dict:
    """Cases detected in the period and their goods value per primary violation type code
    ({code: {"cases", "goods_value_vnd"}}), as `summary` counts them."""
    qs = _cases_for(user, province_code).filter(detected_on__range=(date_from, date_to))
    codes = dict(ViolationType.objects.values_list("pk", "code"))
    rows = qs.order_by().values("violation_type_id").annotate(n=Count("pk"), v=Sum("goods_value_vnd"))
    return {
        codes[r["violation_type_id"]]: {"cases": r["n"], "goods_value_vnd": int(r["v"] or 0)} for r in rows
    }
