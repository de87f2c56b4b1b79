"""The province's consolidated report.

For a period: the accepted submissions added up (figure by figure), compared with the accepted
submissions of the same kind of period one year earlier; the system's own case, inspection and
tip figures for the province with the same window one year earlier; the case figures rolled up
into the national groups; the narrative gathered from the submissions (or as the coordinator
edited it). For a bare window (the `report-export` command): the system's figures only.

"So với cùng kỳ" = (this period - same period last year) / same period last year x 100, rounded
to one decimal; no comparison when last year's figure is missing or 0.

Both consolidations take an optional `steps` (core.progress.Steps) and report the gathering as it
goes: one unit per accepted report added up (this period's and last year's), per system figure
(this window and last year's), per plan figure, and the board and the narrative.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from canhgiac.core import policy
from canhgiac.core.compare import change_pct
from canhgiac.core.policy import require, visible_to
from canhgiac.core.progress import Steps
from canhgiac.directory.models import AdministrativeUnit, Agency, ViolationType
from canhgiac.directory.services import home_province
from canhgiac.directory.services import standing_office as directory_standing_office
from canhgiac.reporting import sources
from canhgiac.reporting.models import Indicator, NationalGroup, Period, ProvinceReport, Submission
from canhgiac.reporting.standard import STANDARD_INDICATORS, STANDARD_SECTIONS

# Figures the system itself holds for the whole province (shown for every report).
SYSTEM_CODES = [
    "cases",
    "goods_value_vnd",
    "fines_vnd",
    "budget_revenue_vnd",
    "other_revenue_vnd",
    "criminal_cases",
    "defendants",
    "inspections_planned",
    "inspections_done",
    "tips_received",
    "tips_accepted",
    "tips_resolved",
]
_STANDARD = {code: (label, unit) for code, label, unit, *_rest in STANDARD_INDICATORS}


@dataclass
class Row:
    code: str
    label: str
    unit: str
    value: int | None
    last_year: int | None
    indent: bool = False
    group: int | None = None  # for a violation type: the number of its national group

    @property
    def change_pct(self) -> float | None:
        return change_pct(self.value, self.last_year)


def grouped_rows(report) -> list[Row]:
    """Each national group followed by its violation types (the annex order)."""
    rows = []
    for g in report.groups:
        rows.append(g)
        rows.extend(r for r in report.by_violation if f"group_{r.group}" == g.code)
    rows.extend(r for r in report.by_violation if r.group is None)
    return rows


@dataclass
class Consolidated:
    title: str
    date_from: dt.date
    date_to: dt.date
    province: str
    period: Period | None = None
    province_unit: AdministrativeUnit | None = None  # whose Standing Office issues the report
    reported: list[Row] = field(default_factory=list)  # accepted submissions added up
    system: list[Row] = field(default_factory=list)  # the system's own figures
    groups: list[Row] = field(default_factory=list)
    by_violation: list[Row] = field(default_factory=list)
    groups_source: str = ""
    by_agency: list[dict] = field(default_factory=list)
    agency_columns: list[tuple[str, str]] = field(default_factory=list)
    board: dict | None = None
    sections: list[tuple[str, str]] = field(default_factory=list)
    narrative: dict = field(default_factory=dict)
    number: str = ""
    issued_on: dt.date | None = None
    signer_title: str = ""
    signer_name: str = ""
    recipients: str = ""
    accepted_count: int = 0
    plan_status: dict | None = None  # province-wide plan checkpoints by status at the window's end


def province_name(province: AdministrativeUnit | None = None) -> str:
    unit = province or home_province()
    return unit.name if unit else ""


def _sum_submissions(
    submissions, steps: Steps | None = None
) -> tuple[dict[str, int | None], dict[str, dict[str, int]]]:
    totals: dict[str, int | None] = {}
    parts: dict[str, dict[str, int]] = {}
    for sub in submissions:
        if steps is not None:
            steps.tick()
        for code, value in (sub.values or {}).items():
            if value is not None:
                totals[code] = (totals.get(code) or 0) + int(value)
        for code, breakdown in (sub.breakdown or {}).items():
            bucket = parts.setdefault(code, {})
            for part, value in breakdown.items():
                bucket[part] = bucket.get(part, 0) + int(value or 0)
    return totals, parts


def previous_period(period: Period) -> Period | None:
    """The same kind of period one year earlier (matched on its data window)."""
    return (
        Period.objects.filter(
            kind=period.kind,
            data_from=sources.shift_year(period.data_from, -1),
            data_to=sources.shift_year(period.data_to, -1),
        )
        .exclude(pk=period.pk)
        .order_by("-pk")
        .first()
    )


def _system_rows(scope: sources.Scope, steps: Steps | None = None) -> tuple[list[Row], dict, dict]:
    steps = steps or Steps.quiet()
    last = scope.shifted_years(-1)
    rows, now_parts, last_parts = [], {}, {}
    for code in SYSTEM_CODES:
        now_fig = sources.figure_for(code, scope)
        steps.tick()
        last_fig = sources.figure_for(code, last)
        steps.tick()
        if now_fig is None and last_fig is None:
            continue
        label, unit = _STANDARD.get(code, (code, "count"))
        rows.append(
            Row(
                code,
                label,
                unit,
                now_fig.value if now_fig else None,
                last_fig.value if last_fig else None,
                indent=code in ("criminal_cases", "tips_accepted", "tips_resolved"),
            )
        )
        if code == "cases":
            now_parts = (now_fig.breakdown or {}) if now_fig else {}
            last_parts = (last_fig.breakdown or {}) if last_fig else {}
    return rows, now_parts, last_parts


PLAN_KEYS = ("total", "done_on_time", "done_late", "in_progress", "overdue")


def plan_status(scope: sources.Scope, steps: Steps | None = None) -> dict | None:
    """The province's plan tasks by status at the end of the window (the plan tracker's counts),
    or None when the system has no plan figures."""
    steps = steps or Steps.quiet()
    figures = {}
    for key in PLAN_KEYS:
        figures[key] = sources.figure_for(f"plan_tasks_{key}", scope)
        steps.tick()
    if any(f is None for f in figures.values()):
        return None
    return {key: f.value for key, f in figures.items()}


def _group_rows(now_parts: dict, last_parts: dict | None) -> tuple[list[Row], list[Row]]:
    names = dict(ViolationType.objects.values_list("code", "name"))
    groups = []
    for group in NationalGroup.objects.order_by("number"):
        value = sum(int(now_parts.get(c, 0)) for c in group.violation_types)
        last = (
            sum(int(last_parts.get(c, 0)) for c in group.violation_types) if last_parts is not None else None
        )
        groups.append(Row(f"group_{group.number}", f"({group.number}) {group.name}", "count", value, last))
    group_of = {c: g.number for g in NationalGroup.objects.all() for c in g.violation_types}
    by_violation = [
        Row(
            code,
            names.get(code, code),
            "count",
            int(now_parts.get(code, 0)),
            int(last_parts.get(code, 0)) if last_parts is not None else None,
            indent=True,
            group=group_of.get(code),
        )
        for code in names
        if now_parts.get(code) or (last_parts or {}).get(code)
    ]
    by_violation.sort(key=lambda r: (r.group is None, r.group or 0))
    return groups, by_violation


SYSTEM_UNITS = 2 * len(SYSTEM_CODES) + len(PLAN_KEYS)  # gathering units of the system's figures


def consolidate_window(
    user,
    date_from: dt.date,
    date_to: dt.date,
    title: str = "",
    province: AdministrativeUnit | None = None,
    steps: Steps | None = None,
) -> Consolidated:
    """The province's figures for any window, straight from the system (no submissions);
    `province` is the user's own by default."""
    steps = steps or Steps.quiet()
    province = province or home_province(user)
    if user is not None:
        policy.require(user, "reporting.consolidate", province=province)
    steps.start("gather", _("Bước 1/4: đang tổng hợp số liệu của hệ thống…"), units=SYSTEM_UNITS)
    scope = sources.Scope(date_from, date_to, province_code=province.code if province else None)
    report = Consolidated(
        title=title
        or _("Từ ngày %(a)s đến ngày %(b)s")
        % {"a": date_from.strftime("%d/%m/%Y"), "b": date_to.strftime("%d/%m/%Y")},
        date_from=date_from,
        date_to=date_to,
        province=province_name(province),
        province_unit=province,
        sections=_sections(None),
    )
    report.system, now_parts, last_parts = _system_rows(scope, steps)
    report.plan_status = plan_status(scope, steps)
    if any(r.code == "cases" for r in report.system):
        report.groups, report.by_violation = _group_rows(now_parts, last_parts)
        report.groups_source = "system"
    return report


def _sections(period: Period | None) -> list[tuple[str, str]]:
    if period is None:
        return [(code, title) for code, title, _req in STANDARD_SECTIONS]
    return list(period.form.sections.values_list("code", "title"))


COMMUNES_LISTED = 12


def gather_narrative(submissions, sections) -> dict[str, str]:
    """Each section, for the coordinator to edit: one paragraph per member agency, then the
    communes' paragraphs with identical texts merged ("UBND xã A, UBND xã B: ..."), at most
    COMMUNES_LISTED of them with a count of the rest."""
    members = [s for s in submissions if s.agency.kind != Agency.Kind.COMMUNE]
    communes = [s for s in submissions if s.agency.kind == Agency.Kind.COMMUNE]
    gathered = {}
    for code, _title in sections:
        lines = []
        for sub in members:
            text = (sub.narrative or {}).get(code, "").strip()
            if text:
                lines.append(f"{sub.agency}: {text}")
        by_text: dict[str, list[str]] = {}
        for sub in communes:
            text = (sub.narrative or {}).get(code, "").strip()
            if text:
                by_text.setdefault(text, []).append(str(sub.agency))
        groups = sorted(by_text.items(), key=lambda item: -len(item[1]))
        for text, names in groups[:COMMUNES_LISTED]:
            shown = ", ".join(names[:6]) + (f" và {len(names) - 6} xã, phường khác" if len(names) > 6 else "")
            lines.append(f"{shown}: {text}")
        if len(groups) > COMMUNES_LISTED:
            rest = sum(len(n) for _t, n in groups[COMMUNES_LISTED:])
            lines.append(f"(Ý kiến của {rest} xã, phường khác: xem báo cáo của từng đơn vị.)")
        gathered[code] = "\n".join(lines)
    return gathered


def consolidate_period(user, period: Period, steps: Steps | None = None) -> Consolidated:
    """The period's report as `user` may see it, computed now (the exports' path), with the
    Standing Office's saved narrative, number and signer over the gathered ones. `user` None:
    the system's view (every accepted report of the period), as the snapshots are computed."""
    if user is not None:
        require(user, "consolidate", period)
    report = gather_period(user, period, steps)
    apply_saved(report, ProvinceReport.objects.filter(period=period).first())
    return report


def _accepted(user, period: Period):
    qs = period.submissions.filter(status=Submission.Status.ACCEPTED)
    return qs if user is None else visible_to(user, qs)


def gather_period(user, period: Period, steps: Steps | None = None) -> Consolidated:
    """Everything of the period's report that comes from the data (no saved narrative): what a
    snapshot holds."""
    steps = steps or Steps.quiet()
    from canhgiac.reporting.services import period_board

    accepted = sorted(
        _accepted(user, period).select_related("agency"),
        key=lambda s: (s.agency.kind == Agency.Kind.COMMUNE, s.agency.kind, s.agency.code),
    )
    prev = previous_period(period)
    last_accepted = list(_accepted(user, prev)) if prev is not None else []
    steps.start(
        "gather",
        _("Bước 1/4: đang tổng hợp số liệu của %(n)s báo cáo đã tiếp nhận và của hệ thống…")
        % {"n": len(accepted)},
        units=len(accepted) + len(last_accepted) + SYSTEM_UNITS + 2,
    )
    totals, parts = _sum_submissions(accepted, steps)
    last_totals, last_parts = (None, None)
    if prev is not None:
        last_totals, last_parts = _sum_submissions(last_accepted, steps)
    indicators = list(period.form.indicators.all())
    report = Consolidated(
        title=period.name,
        date_from=period.data_from,
        date_to=period.data_to,
        province=province_name(period.province),
        province_unit=period.province,
        period=period,
        accepted_count=len(accepted),
        sections=_sections(period),
    )
    report.reported = [
        Row(
            i.code,
            i.label,
            i.unit,
            totals.get(i.code),
            (last_totals or {}).get(i.code) if last_totals is not None else None,
            indent=bool(i.parent_code),
        )
        for i in indicators
    ]
    province_code = period.province.code if period.province_id else None
    window = sources.Scope(period.data_from, period.data_to, province_code=province_code)
    report.system, sys_parts, sys_last_parts = _system_rows(window, steps)
    report.plan_status = plan_status(
        sources.Scope(period.data_from, period.data_to, province_code=province_code), steps
    )
    if "cases" in parts:
        report.groups, report.by_violation = _group_rows(
            parts.get("cases", {}), (last_parts or {}).get("cases", {}) if prev else None
        )
        report.groups_source = "submissions"
    elif any(r.code == "cases" for r in report.system):
        report.groups, report.by_violation = _group_rows(sys_parts, sys_last_parts)
        report.groups_source = "system"
    main = [i for i in indicators if not i.parent_code][:6]
    report.agency_columns = [(i.code, i.label) for i in main]
    report.by_agency = [
        {"agency": s.agency, "values": [(s.values or {}).get(i.code) for i in main]} for s in accepted
    ]
    report.board = period_board(period)
    steps.tick()
    report.narrative = gather_narrative(accepted, report.sections)
    steps.tick()
    return report


def apply_saved(report: Consolidated, saved: ProvinceReport | None) -> Consolidated:
    """Put the Standing Office's saved narrative (section by section, the gathered text where a
    section was left empty), number, date and signer over the gathered report."""
    if saved is not None:
        gathered = report.narrative
        report.narrative = {
            code: saved.narrative.get(code) or gathered.get(code, "") for code, _t in report.sections
        }
        report.number, report.issued_on = saved.number, saved.issued_on
        report.signer_title, report.signer_name, report.recipients = (
            saved.signer_title,
            saved.signer_name,
            saved.recipients,
        )
    return report


@transaction.atomic
def save_province_report(
    user,
    period: Period,
    *,
    narrative: dict,
    number: str = "",
    issued_on=None,
    signer_title: str = "",
    signer_name: str = "",
    recipients: str = "",
) -> ProvinceReport:
    require(user, "consolidate", period)
    report, _created = ProvinceReport.objects.get_or_create(period=period)
    codes = {code for code, _t in _sections(period)}
    report.narrative = {k: (v or "").strip() for k, v in narrative.items() if k in codes}
    report.number, report.issued_on = number.strip(), issued_on
    report.signer_title, report.signer_name, report.recipients = (
        signer_title.strip(),
        signer_name.strip(),
        recipients.strip(),
    )
    report.save()
    return report


def standing_office(province: AdministrativeUnit | None = None) -> Agency | None:
    """The Standing Office of `province` (reference.yaml names it per province)."""
    return directory_standing_office(province or home_province())


def unit_label(unit: str) -> str:
    return _("đồng") if unit == Indicator.Unit.VND else _("vụ/lượt")
