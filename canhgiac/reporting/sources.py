"""Where pre-filled figures come from: a registry of indicator code -> source function.

A source takes a `Scope` (data window and whose figures) and returns a `Figure`, or None when the
system has no figure for it (the app holding the data is not installed, or has no such service).
"No figure" is shown as such and never turned into a 0.

Other apps are reached only through their services modules, imported lazily:
cases.services.summary / inspection_figures, tips.services.stats, plans.services.status_counts.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from canhgiac.core.compare import shift_year


@dataclass
class Figure:
    value: int
    breakdown: dict[str, int] | None = None


@dataclass
class Scope:
    """Whose figures, for which window. agency_code None and unit_code None = the whole province."""

    date_from: dt.date
    date_to: dt.date
    agency_code: str | None = None
    unit_code: str | None = None
    user: object | None = None  # None = system scope (the contracts' convention)
    province_code: str | None = None  # the province whose figures count (agency codes repeat)
    _memo: dict = field(default_factory=dict, repr=False)

    def memo(self, key, fn):
        if key not in self._memo:
            self._memo[key] = fn()
        return self._memo[key]

    def shifted_years(self, years: int = -1) -> Scope:
        return Scope(
            shift_year(self.date_from, years),
            shift_year(self.date_to, years),
            self.agency_code,
            self.unit_code,
            self.user,
            self.province_code,
        )


SOURCES: dict[str, Callable[[Scope], Figure | None]] = {}


def _province(scope: Scope) -> dict:
    # Only passed when set, so a source service without the argument keeps working.
    return {"province_code": scope.province_code} if scope.province_code else {}


def register_source(indicator_code: str, fn: Callable[[Scope], Figure | None]) -> None:
    """Later registrations replace earlier ones (tests and future apps may override)."""
    SOURCES[indicator_code] = fn


def unregister_source(indicator_code: str) -> None:
    SOURCES.pop(indicator_code, None)


def has_source(indicator_code: str) -> bool:
    return indicator_code in SOURCES


def figure_for(indicator_code: str, scope: Scope) -> Figure | None:
    fn = SOURCES.get(indicator_code)
    if fn is None:
        return None
    return fn(scope)


def system_figures(codes, scope: Scope) -> dict[str, Figure | None]:
    return {code: figure_for(code, scope) for code in codes}


def service(module: str, name: str):
    """The named function of another app's services module, or None if it is not there (yet)."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            return None
        raise
    return getattr(mod, name, None)


# --- the built-in sources -------------------------------------------------------------------


def _cases_summary(scope: Scope):
    summary = service("canhgiac.cases.services", "summary")
    if summary is None:
        return None
    return scope.memo(
        "cases.summary",
        lambda: summary(
            scope.user,
            scope.date_from,
            scope.date_to,
            agency_code=scope.agency_code,
            unit_code=scope.unit_code,
            **_province(scope),
        ),
    )


def _from_cases(key: str, breakdown_key: str | None = None):
    def source(scope: Scope) -> Figure | None:
        data = _cases_summary(scope)
        if data is None or key not in data.get("totals", {}):
            return None
        totals = data["totals"]
        parts = dict(totals.get(breakdown_key) or {}) if breakdown_key else None
        return Figure(int(totals[key] or 0), parts)

    return source


def _from_inspections(key: str):
    def source(scope: Scope) -> Figure | None:
        fn = service("canhgiac.cases.services", "inspection_figures")
        if fn is None:
            return None
        data = scope.memo(
            "cases.inspections",
            lambda: fn(
                scope.user, scope.date_from, scope.date_to, agency_code=scope.agency_code, **_province(scope)
            ),
        )
        return Figure(int(data[key] or 0)) if key in data else None

    return source


def _from_tips(key: str):
    def source(scope: Scope) -> Figure | None:
        fn = service("canhgiac.tips.services", "stats")
        if fn is None:
            return None
        data = scope.memo(
            "tips.stats",
            lambda: fn(
                scope.user,
                scope.date_from,
                scope.date_to,
                agency_code=scope.agency_code,
                groups=False,
                **_province(scope),
            ),
        )
        return Figure(int(data[key] or 0)) if key in data else None

    return source


def _from_plans(key: str):
    def source(scope: Scope) -> Figure | None:
        fn = service("canhgiac.plans.services", "status_counts")
        if fn is None:
            return None
        data = scope.memo(
            "plans.status",
            lambda: fn(scope.user, agency_code=scope.agency_code, as_of=scope.date_to, **_province(scope)),
        )
        return Figure(int(data[key] or 0)) if key in data else None

    return source


def _from_online():
    """Commitments signed in the window (online app): the whole province's, or for an agency the
    kinds of signer it is in charge of; no figure for an agency in charge of none."""

    def source(scope: Scope) -> Figure | None:
        fn = service("canhgiac.online.services", "commitments_signed_figure")
        if fn is None:
            return None
        data = scope.memo(
            "online.commitments",
            lambda: fn(scope.date_from, scope.date_to, agency_code=scope.agency_code, **_province(scope)),
        )
        if data is None:
            return None
        return Figure(int(data["total"]), {k: int(v) for k, v in data.items() if k != "total"})

    return source


def _from_online_reviews(key: str):
    """The online app's review figures (listings reviewed, flagged, false claims, takedowns,
    warnings, cases from listings) of the agency (or province) and window."""

    def source(scope: Scope) -> Figure | None:
        fn = service("canhgiac.online.services", "review_figures")
        if fn is None:
            return None
        data = scope.memo(
            "online.reviews",
            lambda: fn(scope.date_from, scope.date_to, agency_code=scope.agency_code, **_province(scope)),
        )
        if data is None or key not in data:
            return None
        return Figure(int(data[key]))

    return source


def register_builtin_sources() -> None:
    register_source("cases", _from_cases("cases", "cases_by_violation_type"))
    register_source("goods_value_vnd", _from_cases("goods_value_vnd"))
    register_source("fines_vnd", _from_cases("fines_vnd"))
    register_source("budget_revenue_vnd", _from_cases("budget_revenue_vnd"))
    register_source("other_revenue_vnd", _from_cases("other_revenue_vnd"))
    register_source("criminal_cases", _from_cases("criminal_cases"))
    register_source("defendants", _from_cases("defendants"))
    register_source("inspections_planned", _from_inspections("planned"))
    register_source("inspections_done", _from_inspections("done"))
    register_source("tips_received", _from_tips("received"))
    register_source("tips_accepted", _from_tips("accepted"))
    register_source("tips_resolved", _from_tips("resolved"))
    register_source("plan_tasks_total", _from_plans("total"))
    register_source("plan_tasks_done_on_time", _from_plans("done_on_time"))
    register_source("plan_tasks_done_late", _from_plans("done_late"))
    register_source("plan_tasks_in_progress", _from_plans("in_progress"))
    register_source("plan_tasks_overdue", _from_plans("overdue"))
    register_source("commitments_signed", _from_online())
    for key in ("reviewed", "flagged", "false_claims", "takedowns", "warnings", "cases"):
        register_source(f"online_{key}", _from_online_reviews(key))
