"""The leaders' dashboard: targets against results, trends, communes' hot spots and what needs
doing today. Every figure comes from the owning app's services (tips, cases, reporting, plans,
subjects); this module only arranges them, so no number is computed twice."""

from __future__ import annotations

import datetime as dt
import statistics as stats_lib
from collections.abc import Callable

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.core import policy

# Other apps add rows (online: commitments signed by kind; takedowns overdue; flagged listings;
# product checks) without this module knowing them.
TARGET_PROVIDERS: list[Callable] = []  # fn(user, date_from, date_to) -> list[dict] (rows as below)
TODAY_PROVIDERS: list[Callable] = []  # fn(user) -> list[dict] ({"label", "count", "url"})
HOTSPOT_SOURCES: list[
    tuple[str, object, Callable]
] = []  # (key, label, fn(user, date_from, date_to) -> {unit_id: n})
# Parts of the "Communes" section added by other apps (committee: each commune committee's
# activity): fn(user) -> None or {"key", "title", "summary", "columns": [label], "rows":
# [[cell, ...]] (first cell: the commune), "url"}. Each must ask a constant number of queries.
COMMUNE_PARTS: list[Callable] = []


def add_target(fn: Callable) -> None:
    if fn not in TARGET_PROVIDERS:
        TARGET_PROVIDERS.append(fn)


def add_today(fn: Callable) -> None:
    if fn not in TODAY_PROVIDERS:
        TODAY_PROVIDERS.append(fn)


def add_hotspot_source(key: str, label, fn: Callable) -> None:
    if not any(k == key for k, _l, _f in HOTSPOT_SOURCES):
        HOTSPOT_SOURCES.append((key, label, fn))


def add_commune_part(fn: Callable) -> None:
    if fn not in COMMUNE_PARTS:
        COMMUNE_PARTS.append(fn)


def commune_parts(user) -> list[dict]:
    """The parts other apps add to the communes' section, for this user (those it has none for
    are left out)."""
    parts = [part for part in (fn(user) for fn in COMMUNE_PARTS) if part]
    for part in parts:
        part["rows"] = [list(zip(part["columns"], row, strict=True)) for row in part["rows"]]
    return parts


def window(year: int | None = None, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """1 January to today for the current year; the whole year for a past one."""
    today = today or timezone.localdate()
    year = year or today.year
    end = today if year == today.year else dt.date(year, 12, 31)
    return dt.date(year, 1, 1), end


def _rate(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def _row(key, label, target, definition, part, whole, url, value="__rate__"):
    return {
        "key": key,
        "label": label,
        "target": target,
        "definition": definition,
        "part": part,
        "whole": whole,
        "value": _rate(part, whole) if value == "__rate__" else value,
        "url": url,
    }


def _link(user, view_name: str, query: str = "") -> str:
    """The list behind a figure; for a figures-only user (national viewer) only figures pages."""
    if policy.is_figures_only(user):
        if view_name == "cases:list":
            return reverse("cases:figures")
        if not policy.is_figures_page(view_name):
            return ""
    return reverse(view_name) + query


def targets(user, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """Each target of seed 002 §III and seed 004 with its definition and the figure now."""
    from canhgiac.plans import services as plans
    from canhgiac.reporting import services as reporting
    from canhgiac.tips import services as tips

    rows = []
    t = tips.targets(user, date_from, date_to, groups=False)
    tips_url = _link(user, "tips:stats", f"?date_from={date_from.isoformat()}&date_to={date_to.isoformat()}")
    cases_url = _link(user, "cases:list", f"?detected_from={date_from.isoformat()}&outcome=criminal")
    for r in t["rows"]:
        if r["key"] == "on_time_resolution_rate":
            continue
        url = cases_url if r["key"] == "prosecution_rate" else tips_url
        rows.append(
            {
                **_row(r["key"], r["label"], r["target"], r["formula"], r["part"], r["whole"], url),
                "value": r["value"],
            }
        )
    rep = reporting.timeliness_summary(user, date_from, date_to)
    rep_url = _link(user, "reporting:timeliness")
    definition = _(
        "số báo cáo gửi Cơ quan Thường trực đúng hạn ÷ số báo cáo phải gửi, các kỳ có hạn trong năm"
    )
    rows.append(
        {
            **_row(
                "reports_agencies",
                _("Báo cáo đúng hạn — cơ quan thành viên"),
                _("100%"),
                definition,
                rep["agencies"]["on_time"],
                rep["agencies"]["expected"],
                rep_url,
            ),
            "value": rep["agencies"]["timeliness"],
        }
    )
    rows.append(
        {
            **_row(
                "reports_communes",
                _("Báo cáo đúng hạn — xã, phường"),
                _("100%"),
                definition,
                rep["communes"]["on_time"],
                rep["communes"]["expected"],
                rep_url,
            ),
            "value": rep["communes"]["timeliness"],
        }
    )
    rows.append(
        {
            **_row(
                "reports_office",
                _("Báo cáo của Cơ quan Thường trực đúng hạn"),
                _("100%"),
                _("số kỳ Cơ quan Thường trực ban hành báo cáo của tỉnh đúng hạn ÷ số kỳ đã đến hạn"),
                rep["office"]["on_time"],
                rep["office"]["expected"],
                rep_url,
            ),
            "value": rep["office"]["timeliness"],
        }
    )
    counts = plans.status_counts(user)
    rows.append(
        _row(
            "plan_tasks_on_time",
            _("Phần việc kế hoạch hoàn thành đúng hạn"),
            _("100%"),
            _("số mốc phần việc (theo cơ quan chủ trì) hoàn thành đúng hạn ÷ số mốc đã đến hạn"),
            counts["done_on_time"],
            counts["total"],
            _link(user, "plans:scorecard"),
        )
    )
    issued = agencies = 0
    for plan in plans.visible_plans(user).filter(parent=None):
        c = plans.agency_plan_counts(user, plan)
        issued, agencies = issued + c["issued"], agencies + c["agencies"]
    rows.append(
        _row(
            "agency_plans_issued",
            _("Cơ quan, địa phương đã ban hành kế hoạch"),
            _("100%"),
            _("số cơ quan, xã đã ban hành kế hoạch triển khai ÷ số cơ quan, xã phải ban hành"),
            issued,
            agencies,
            _link(user, "plans:list"),
        )
    )
    for provider in TARGET_PROVIDERS:
        rows.extend(provider(user, date_from, date_to))
    for r in rows:
        r["met"] = _met(r)
    return rows


def _met(row) -> bool | None:
    """100 % targets are met at 100; "trên 90%" above 90; None without a figure."""
    value = row["value"]
    if value is None:
        return None
    return value > 90 if "90" in str(row["target"]) else value >= 100


MONTHS = [f"{m:02d}" for m in range(1, 13)]


def _chart(key, title, kind, categories, series, unit=""):
    """A chart and the table it is drawn from (rows: category, then one value per series)."""
    rows = [[cat, *(s["data"][i] for s in series)] for i, cat in enumerate(categories)]
    return {
        "id": f"chart-{key}",
        "key": key,
        "title": title,
        "kind": kind,
        "categories": categories,
        "series": series,
        "unit": unit,
        "rows": rows,
    }


def trends(user, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """Charts (each with the table it is drawn from): cases, goods value, fines and budget revenue
    by month with "cùng kỳ"; cases by national group, by agency, by goods category (high-risk
    first), online against offline."""
    from canhgiac.cases import services as cases
    from canhgiac.directory.models import Agency, GoodsCategory
    from canhgiac.reporting import services as reporting

    year = date_from.year
    monthly = cases.monthly_figures(user, year, until=date_to)
    months = [f"{m['month']:02d}/{year}" for m in monthly["months"]]
    this_year, last_year = str(year), _("Cùng kỳ %(y)s") % {"y": year - 1}
    charts = []
    for key, title, unit in (
        ("cases", _("Số vụ việc theo tháng"), _("vụ")),
        ("goods_value_vnd", _("Trị giá hàng vi phạm theo tháng"), _("đồng")),
        ("fines_vnd", _("Tiền phạt theo tháng"), _("đồng")),
        ("budget_revenue_vnd", _("Thu nộp ngân sách theo tháng"), _("đồng")),
    ):
        charts.append(
            _chart(
                key,
                title,
                "bar",
                months,
                [
                    {"name": this_year, "data": [m["current"][key] for m in monthly["months"]]},
                    {"name": last_year, "data": [m["previous"][key] for m in monthly["months"]]},
                ],
                unit,
            )
        )
    prev_from, prev_to = date_from.replace(year=year - 1), _shift(date_to, -1)
    groups = reporting.by_national_group(cases.by_violation_type(user, date_from, date_to))
    groups_before = reporting.by_national_group(cases.by_violation_type(user, prev_from, prev_to))
    charts.append(
        _chart(
            "groups",
            _("Số vụ việc theo ba nhóm báo cáo quốc gia"),
            "bar",
            [f"({g['number']}) {g['name']}" for g in groups],
            [
                {"name": this_year, "data": [g.get("cases", 0) for g in groups]},
                {"name": last_year, "data": [g.get("cases", 0) for g in groups_before]},
            ],
            _("vụ"),
        )
    )
    summary = cases.summary(user, date_from, date_to)
    now, before = summary["totals"], summary["same_period_last_year"]
    names = (
        dict(policy.scope(user, Agency.objects.all(), "province").values_list("code", "name"))
        if not policy.is_national_admin(user)
        else dict(Agency.objects.values_list("code", "name"))
    )
    agency_codes = sorted(
        set(now["cases_by_agency"]) | set(before["cases_by_agency"]),
        key=lambda c: -now["cases_by_agency"].get(c, 0),
    )
    charts.append(
        _chart(
            "agencies",
            _("Số vụ việc theo cơ quan chủ trì"),
            "bar",
            [names.get(c, c) for c in agency_codes],
            [
                {"name": this_year, "data": [now["cases_by_agency"].get(c, 0) for c in agency_codes]},
                {"name": last_year, "data": [before["cases_by_agency"].get(c, 0) for c in agency_codes]},
            ],
            _("vụ"),
        )
    )
    cats = {c.code: c for c in GoodsCategory.objects.all()}
    cat_codes = sorted(
        set(now["cases_by_goods_category"]) | set(before["cases_by_goods_category"]),
        key=lambda c: (
            not getattr(cats.get(c), "high_risk", False),
            -now["cases_by_goods_category"].get(c, 0),
            c,
        ),
    )
    charts.append(
        _chart(
            "categories",
            _("Số vụ việc theo nhóm hàng (nhóm rủi ro cao trước)"),
            "bar",
            [(cats[c].name + (" ⚠" if cats[c].high_risk else "")) if c in cats else c for c in cat_codes],
            [
                {"name": this_year, "data": [now["cases_by_goods_category"].get(c, 0) for c in cat_codes]},
                {"name": last_year, "data": [before["cases_by_goods_category"].get(c, 0) for c in cat_codes]},
            ],
            _("vụ"),
        )
    )
    split = cases.online_split(user, date_from, date_to)
    charts.append(
        _chart(
            "online",
            _("Vụ việc trên không gian mạng và ngoài thực địa"),
            "pie",
            [_("Trên không gian mạng"), _("Ngoài thực địa")],
            [
                {"name": _("Số vụ"), "data": [split["online"]["cases"], split["offline"]["cases"]]},
                {
                    "name": _("Trị giá hàng vi phạm (đồng)"),
                    "data": [split["online"]["goods_value_vnd"], split["offline"]["goods_value_vnd"]],
                },
            ],
            _("vụ"),
        )
    )
    return charts


def _shift(day: dt.date, years: int) -> dt.date:
    from canhgiac.core.compare import shift_year

    return shift_year(day, years)


def hotspots(user, date_from: dt.date, date_to: dt.date, limit: int = 20) -> dict:
    """Communes ranked by cases, tips (and what other apps add: flagged listings, suspicious
    product checks) in the period, against the province median of the same total."""
    from canhgiac.cases import services as cases
    from canhgiac.directory import services as directory
    from canhgiac.tips import services as tips

    units = list(directory.units_for(user).select_related("parent"))
    sources = [
        ("cases", _("Vụ việc"), cases.cases_by_unit(user, date_from, date_to)),
        ("tips", _("Tin báo"), tips.received_by_unit(user, date_from, date_to)),
    ] + [(key, label, fn(user, date_from, date_to)) for key, label, fn in HOTSPOT_SOURCES]
    rows = []
    for unit in units:
        counts = {key: values.get(unit.pk, 0) for key, _label, values in sources}
        rows.append({"unit": unit, "counts": counts, "total": sum(counts.values())})
    median = stats_lib.median([r["total"] for r in rows]) if rows else 0
    for r in rows:
        r["vs_median"] = round(r["total"] / median, 1) if median else None
        r["cells"] = [(label, r["counts"][key]) for key, label, _v in sources]
        r["above"] = r["total"] > median
    rows.sort(key=lambda r: (-r["total"], r["unit"].name))
    return {
        "columns": [(key, label) for key, label, _v in sources],
        "rows": [r for r in rows if r["total"]][:limit],
        "median": median,
        "communes": len(rows),
        "above": sum(1 for r in rows if r["above"]),
    }


def today_list(user) -> list[dict]:
    """What needs doing today for this user, from each app's services, per the user's rights."""
    from canhgiac.plans import services as plans
    from canhgiac.reporting import services as reporting
    from canhgiac.subjects import services as subjects
    from canhgiac.tips import services as tips

    items = []
    if policy.can(user, "tips.list"):
        c = tips.open_counts(user)
        items.append(
            {
                "label": _("Tin báo quá hạn"),
                "count": c["overdue"],
                "url": reverse("tips:list") + "?overdue=on",
            }
        )
    waiting = reporting.waiting_for(user)
    if policy.agency_ids(user, policy.LEADER):
        items.append(
            {
                "label": _("Báo cáo chờ lãnh đạo duyệt"),
                "count": waiting["to_approve"],
                "url": reverse("reporting:index"),
            }
        )
    if policy.can(user, "reporting.consolidate"):
        items.append(
            {
                "label": _("Báo cáo chờ Cơ quan Thường trực tiếp nhận"),
                "count": waiting["to_accept"],
                "url": reverse("reporting:index"),
            }
        )
    if policy.is_active_user(user):
        due = plans.due_lists(user, soon_days=7)
        items.append(
            {
                "label": _("Phần việc kế hoạch đến hạn trong tuần"),
                "count": len(due["soon"]),
                "url": reverse("plans:due") + "?tab=soon",
            }
        )
        items.append(
            {
                "label": _("Phần việc kế hoạch quá hạn"),
                "count": len(due["overdue"]),
                "url": reverse("plans:due") + "?tab=overdue",
            }
        )
    if policy.can(user, "subjects.review"):
        items.append(
            {
                "label": _("Cặp hồ sơ đối tượng chờ xem xét"),
                "count": subjects.review_queue(user, limit=1000).count(),
                "url": reverse("subjects:review"),
            }
        )
    for provider in TODAY_PROVIDERS:
        items.extend(provider(user))
    return items
