"""Snapshots of the consolidated figures: the page and the API read them, a task computes them.

Adding up a period's accepted reports, last year's, and the system's own figures (cases, tips,
inspections, plans, each for this window and last year's) took 2-10 s in the request at volume.
The result is now stored per period (`ConsolidatedSnapshot`, key "period:<pk>") and served as it
is: the page and `GET /api/v1/reporting/periods/{pk}/consolidated` cost the same few queries
whatever the number of reports or cases.

When it is recomputed (a background task, `refresh_consolidated_task`, with progress on a job):
- a report of the period changes status (sent, accepted, returned …) or the period is created or
  edited: `invalidate(period)` marks the snapshot stale and queues one refresh after commit;
- the system's figures move with cases, tips and plans all the time: the periodic hook refreshes
  the snapshots of periods still in use once they are older than
  CANHGIAC_CONSOLIDATED_MAX_AGE_MINUTES (default 60), and the page has a "Tính lại ngay" button;
- a stale snapshot read while no refresh is queued (a failed job, no worker) queues one.
A period never computed (no snapshot yet) is computed in the request once and stored.

The Standing Office's saved narrative, number and signer are not in the snapshot: they are read
from `ProvinceReport` at each request, so a save shows at once. Exports (DOCX/XLSX) are background
jobs already and compute the report afresh.

Bare windows (`GET /api/v1/reporting/consolidated?date_from&date_to`, system figures only) are
kept under "window:<province>:<from>:<to>" for the same maximum age: a repeated query is served
from the snapshot (an older one is served and refreshed in the background); a window asked for the
first time is computed in the request. The periodic hook deletes window snapshots older than a day.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.core import jobs
from canhgiac.core.models import Job
from canhgiac.core.policy import require
from canhgiac.core.progress import Steps
from canhgiac.reporting import consolidation
from canhgiac.reporting.consolidation import Consolidated, Row
from canhgiac.reporting.models import ConsolidatedSnapshot, Period, ProvinceReport

MAX_AGE_MINUTES = 60  # the default of settings.CANHGIAC_CONSOLIDATED_MAX_AGE_MINUTES
KEEP_PERIODS_DAYS = 60  # periods refreshed by the periodic hook: office deadline at most this long ago
WINDOW_KEEP = dt.timedelta(days=1)
RUNNING = (Job.Status.QUEUED, Job.Status.RUNNING)


def max_age() -> dt.timedelta:
    return dt.timedelta(
        minutes=int(getattr(settings, "CANHGIAC_CONSOLIDATED_MAX_AGE_MINUTES", MAX_AGE_MINUTES))
    )


def period_key(period_id: int) -> str:
    return f"period:{period_id}"


def window_key(province_code: str | None, date_from: dt.date, date_to: dt.date) -> str:
    return f"window:{province_code or '-'}:{date_from.isoformat()}:{date_to.isoformat()}"


# --- the stored form of a report -------------------------------------------------------------


def _row_data(r: Row) -> list:
    return [r.code, r.label, r.unit, r.value, r.last_year, r.indent, r.group]


def _row(data: list) -> Row:
    return Row(*data)


def to_data(report: Consolidated) -> dict:
    """What a snapshot stores: the gathered report, plain JSON (agencies by name and code)."""
    board = report.board and {k: report.board[k] for k in ("totals", "agencies", "communes")}
    return {
        "title": report.title,
        "date_from": report.date_from.isoformat(),
        "date_to": report.date_to.isoformat(),
        "province": report.province,
        "reported": [_row_data(r) for r in report.reported],
        "system": [_row_data(r) for r in report.system],
        "groups": [_row_data(r) for r in report.groups],
        "by_violation": [_row_data(r) for r in report.by_violation],
        "groups_source": report.groups_source,
        "agency_columns": [list(c) for c in report.agency_columns],
        "by_agency": [
            {"code": r["agency"].code, "name": str(r["agency"]), "values": r["values"]}
            for r in report.by_agency
        ],
        "board": board,
        "sections": [list(s) for s in report.sections],
        "narrative": report.narrative,
        "accepted_count": report.accepted_count,
        "plan_status": report.plan_status,
    }


class _AgencyName(str):
    """An agency as a snapshot keeps it: its name (str) and its code."""

    def __new__(cls, name: str, code: str):
        obj = super().__new__(cls, name)
        obj.code = code
        return obj


def from_data(data: dict, period: Period | None = None, province_unit=None) -> Consolidated:
    report = Consolidated(
        title=data["title"],
        date_from=dt.date.fromisoformat(data["date_from"]),
        date_to=dt.date.fromisoformat(data["date_to"]),
        province=data["province"],
        period=period,
        province_unit=province_unit,  # (not read from the period: the pages do not need it)
    )
    report.reported = [_row(r) for r in data["reported"]]
    report.system = [_row(r) for r in data["system"]]
    report.groups = [_row(r) for r in data["groups"]]
    report.by_violation = [_row(r) for r in data["by_violation"]]
    report.groups_source = data["groups_source"]
    report.agency_columns = [tuple(c) for c in data["agency_columns"]]
    report.by_agency = [
        {"agency": _AgencyName(r["name"], r["code"]), "values": r["values"]} for r in data["by_agency"]
    ]
    report.board = data["board"]
    report.sections = [tuple(s) for s in data["sections"]]
    report.narrative = dict(data["narrative"])
    report.accepted_count = data["accepted_count"]
    report.plan_status = data["plan_status"]
    return report


# --- computing ----------------------------------------------------------------------------------


def _compute(snapshot: ConsolidatedSnapshot, steps: Steps | None = None) -> dict:
    if snapshot.period_id:
        period = Period.objects.select_related("form", "province").get(pk=snapshot.period_id)
        return to_data(consolidation.gather_period(None, period, steps))
    from canhgiac.directory.models import AdministrativeUnit

    _kind, province_code, date_from, date_to = snapshot.key.split(":")
    province = AdministrativeUnit.objects.filter(code=province_code).first() if province_code != "-" else None
    report = consolidation.consolidate_window(
        None, dt.date.fromisoformat(date_from), dt.date.fromisoformat(date_to), province=province, steps=steps
    )
    return to_data(report)


def refresh(key: str, steps: Steps | None = None) -> ConsolidatedSnapshot | None:
    """Compute the snapshot `key` now and store it; fresh only if nothing changed meanwhile
    (otherwise it stays stale and one more refresh is queued). None when it no longer exists."""
    snapshot = ConsolidatedSnapshot.objects.filter(key=key).first()
    if snapshot is None:
        return None
    started_version = snapshot.version
    data = _compute(snapshot, steps)
    now = timezone.now()
    stored = ConsolidatedSnapshot.objects.filter(pk=snapshot.pk, version=started_version).update(
        data=data, computed_at=now, stale=False, job=None
    )
    if not stored:  # a change came while computing: keep the figures, still stale, go again
        ConsolidatedSnapshot.objects.filter(pk=snapshot.pk).update(data=data, computed_at=now, job=None)
        snapshot.refresh_from_db()
        queue_refresh(snapshot)
    snapshot.refresh_from_db()
    return snapshot


def _store_now(key: str, period: Period | None) -> ConsolidatedSnapshot:
    """Compute in the request (a snapshot never computed) and store it."""
    snapshot, _created = ConsolidatedSnapshot.objects.get_or_create(key=key, defaults={"period": period})
    return refresh(key) or snapshot


def queue_refresh(snapshot: ConsolidatedSnapshot, owner=None) -> Job:
    """Queue one refresh of the snapshot (a job with progress), after the current transaction
    commits; a refresh already queued or running is reused."""
    from canhgiac.reporting.tasks import refresh_consolidated_task

    if snapshot.job_id:
        job = Job.objects.filter(pk=snapshot.job_id, status__in=RUNNING).first()
        if job is not None:
            return job
    title = _("Tính số liệu tổng hợp: %(what)s") % {"what": _what(snapshot)}
    job = jobs.create_job("reporting.consolidate", title[:200], owner=owner)
    ConsolidatedSnapshot.objects.filter(pk=snapshot.pk).update(job=job)
    snapshot.job, snapshot.job_id = job, job.pk
    job_id, key = str(job.pk), snapshot.key
    transaction.on_commit(lambda: refresh_consolidated_task.enqueue(job_id, key))
    return job


def _what(snapshot: ConsolidatedSnapshot) -> str:
    if snapshot.period_id:
        return str(snapshot.period)
    _kind, _province, date_from, date_to = snapshot.key.split(":")
    return _("từ %(a)s đến %(b)s") % {
        "a": dt.date.fromisoformat(date_from).strftime("%d/%m/%Y"),
        "b": dt.date.fromisoformat(date_to).strftime("%d/%m/%Y"),
    }


def invalidate(period: Period | int, create: bool = True) -> None:
    """Something the period's figures are made of changed (a report's status, the period's
    submitters): mark its snapshot stale and queue one refresh after commit. A snapshot already
    stale gets its version moved (the refresh under way will not store itself as fresh). With
    `create`, a period without a snapshot gets one queued (its first page view is then served
    from it)."""
    period_id = period if isinstance(period, int) else period.pk
    key = period_key(period_id)
    first = ConsolidatedSnapshot.objects.filter(key=key, stale=False).update(
        stale=True, version=F("version") + 1
    )
    if not first:
        moved = ConsolidatedSnapshot.objects.filter(key=key).update(version=F("version") + 1)
        if moved:
            snapshot = ConsolidatedSnapshot.objects.get(key=key)
            if snapshot.job_id and Job.objects.filter(pk=snapshot.job_id, status__in=RUNNING).exists():
                return  # that refresh sees the version moved and goes again
        elif create:
            ConsolidatedSnapshot.objects.get_or_create(key=key, defaults={"period_id": period_id})
        else:
            return
    queue_refresh(ConsolidatedSnapshot.objects.get(key=key))


# --- reading ------------------------------------------------------------------------------------


def _needs_refresh(snapshot: ConsolidatedSnapshot) -> bool:
    running = snapshot.job is not None and snapshot.job.status in RUNNING
    too_old = snapshot.computed_at is not None and timezone.now() - snapshot.computed_at > max_age()
    return (snapshot.stale or too_old) and not running


def period_report(user, period: Period) -> tuple[Consolidated, ConsolidatedSnapshot]:
    """The period's consolidated report from its snapshot (computed now only if it never was),
    with the saved narrative, number and signer; and the snapshot (when computed, whether a
    refresh is under way). A stale or old snapshot with no refresh under way queues one."""
    require(user, "consolidate", period)
    key = period_key(period.pk)
    snapshot = ConsolidatedSnapshot.objects.select_related("job").filter(key=key).first()
    if snapshot is None or snapshot.computed_at is None:
        snapshot = _store_now(key, period)
    elif _needs_refresh(snapshot):
        queue_refresh(snapshot)
    report = from_data(snapshot.data, period)
    consolidation.apply_saved(report, ProvinceReport.objects.filter(period=period).first())
    return report, snapshot


def window_report(user, date_from: dt.date, date_to: dt.date) -> tuple[Consolidated, ConsolidatedSnapshot]:
    """The province's system figures for a bare window: from its snapshot when one was computed
    (refreshed in the background once older than the maximum age), else computed now and kept."""
    from canhgiac.core import policy
    from canhgiac.directory.services import home_province

    province = home_province(user)
    policy.require(user, "reporting.consolidate", province=province)
    key = window_key(province.code if province else None, date_from, date_to)
    snapshot = ConsolidatedSnapshot.objects.select_related("job").filter(key=key).first()
    if snapshot is None or snapshot.computed_at is None:
        snapshot = _store_now(key, None)
    elif _needs_refresh(snapshot):
        queue_refresh(snapshot)
    return from_data(snapshot.data, province_unit=province), snapshot


def refresh_now(user, period: Period) -> Job:
    """The coordinator's "recompute now": a refresh job owned by the user (a refresh already under
    way is reused, and then belongs to whoever queued it)."""
    require(user, "consolidate", period)
    snapshot, _created = ConsolidatedSnapshot.objects.select_related("job").get_or_create(
        key=period_key(period.pk), defaults={"period": period}
    )
    return queue_refresh(snapshot, owner=user)


def refresh_old(now=None) -> str:
    """The periodic hook: queue a refresh of each period snapshot older than the maximum age
    whose period is still in use (the office's deadline at most KEEP_PERIODS_DAYS ago); delete
    window snapshots older than a day."""
    now = now or timezone.now()
    cutoff = now - max_age()
    in_use = now.date() - dt.timedelta(days=KEEP_PERIODS_DAYS)
    old = ConsolidatedSnapshot.objects.filter(
        period__isnull=False, computed_at__lt=cutoff, period__office_deadline__gte=in_use
    ).select_related("job", "period")
    queued = 0
    for snapshot in old:
        if snapshot.job is None or snapshot.job.status not in RUNNING:
            queue_refresh(snapshot)
            queued += 1
    gone, _kinds = ConsolidatedSnapshot.objects.filter(
        period__isnull=True, computed_at__lt=now - WINDOW_KEEP
    ).delete()
    return f"{queued} kỳ tính lại, {gone} cửa sổ xóa"


def page_url(snapshot: ConsolidatedSnapshot) -> str | None:
    return reverse("reporting:consolidated", args=[snapshot.period_id]) if snapshot.period_id else None
