"""/api/v1/reporting: periods, submissions and their workflow, on-time board, consolidated figures."""

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from canhgiac.api import ApiError
from canhgiac.core import policy
from canhgiac.core.api import JobStarted, accepted, error_answers
from canhgiac.core.policy import require, visible_to
from canhgiac.directory.models import Agency
from canhgiac.directory.services import home_province
from canhgiac.reporting import consolidation, services, snapshots
from canhgiac.reporting.models import Period, Submission

try:
    from ninja.responses import Status
except ImportError:  # django-ninja < 1.5 returns (status, body) tuples

    def Status(code, body):  # noqa: N802
        return code, body


router = Router(tags=["reporting"])
prefix = "/reporting"


class PeriodIn(Schema):
    kind: Period.Kind
    year: int | None = None
    number: int | None = None
    name: str = ""
    data_from: dt.date | None = None
    data_to: dt.date | None = None
    deadline: dt.date | None = None
    office_deadline: dt.date | None = None
    expiry_days: int = 10
    submitters: list[str] | None = None
    form: str = ""  # a report form's code (the current version is used); "" = the standard form
    # the agency code the reports are sent to; "" = the form's (the Standing Office unless it names one)
    recipient: str = ""


class PeriodOut(Schema):
    id: int
    kind: str
    name: str
    campaign: str
    form: str
    form_version: int
    recipient: str  # the agency code the reports go to; "" = the Standing Office
    data_from: dt.date
    data_to: dt.date
    deadline: dt.date
    office_deadline: dt.date
    expiry_days: int
    locked_after: dt.date


class SubmissionOut(Schema):
    id: int
    period_id: int
    agency: str
    agency_name: str
    status: str
    values: dict
    breakdown: dict
    prefill: dict
    prefill_breakdown: dict
    reasons: dict
    narrative: dict
    submitted_at: dt.datetime | None
    sent_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    comment: str
    locked: bool
    errors: list[dict]


class SubmissionIn(Schema):
    values: dict[str, int | str | None]
    breakdown: dict[str, dict[str, int | str | None]] = {}
    reasons: dict[str, str] = {}
    narrative: dict[str, str] | None = None


class OpenIn(Schema):
    agency: str


class CommentIn(Schema):
    comment: str


def _period_out(p: Period) -> dict:
    return {
        "id": p.pk,
        "kind": p.kind,
        "name": p.name,
        "campaign": p.campaign,
        "form": p.form.code,
        "form_version": p.form.version,
        "recipient": p.recipient.code if p.recipient_id else "",
        "data_from": p.data_from,
        "data_to": p.data_to,
        "deadline": p.deadline,
        "office_deadline": p.office_deadline,
        "expiry_days": p.expiry_days,
        "locked_after": services.lock_date(p),
    }


def _sub_out(s: Submission) -> dict:
    return {
        "id": s.pk,
        "period_id": s.period_id,
        "agency": s.agency.code,
        "agency_name": s.agency.name,
        "status": s.status,
        "values": s.values,
        "breakdown": s.breakdown,
        "prefill": s.prefill,
        "prefill_breakdown": s.prefill_breakdown,
        "reasons": s.reasons,
        "narrative": s.narrative,
        "submitted_at": s.submitted_at,
        "sent_at": s.sent_at,
        "reviewed_at": s.reviewed_at,
        "comment": s.comment,
        "locked": services.is_locked(s.period, s.agency, s.status),
        "errors": services.validate(s) if s.status in services.EDITABLE else [],
    }


def _fail(exc: services.ReportingError, status=422):
    raise ApiError(status, exc.detail, exc.errors)


def _period(request, pk) -> Period:
    return get_object_or_404(
        visible_to(request.user, Period.objects.select_related("form", "recipient")), pk=pk
    )


def _submission(request, pk) -> Submission:
    return get_object_or_404(
        visible_to(request.user, Submission.objects.select_related("period", "agency", "form")), pk=pk
    )


@router.get("/periods", response=list[PeriodOut])
def list_periods(request, kind: str = ""):
    qs = services.visible_periods(request.user).order_by("-deadline")
    if kind:
        qs = qs.filter(kind=kind)
    return [_period_out(p) for p in qs[:500]]


@router.post("/periods", response={201: PeriodOut})
def create_period(request, payload: PeriodIn):
    require(request.user, "add", Period)
    defaults = None
    if payload.kind != Period.Kind.CAMPAIGN and payload.year:
        try:
            defaults = services.period_defaults(payload.kind, payload.year, payload.number or 1)
        except ValueError as exc:
            raise ApiError(422, "Dữ liệu không hợp lệ.", [{"field": "kind", "message": str(exc)}])
    dates = {}
    for name in ("data_from", "data_to", "deadline", "office_deadline"):
        value = getattr(payload, name) or (getattr(defaults, name) if defaults else None)
        if value is None:
            raise ApiError(
                422,
                "Dữ liệu không hợp lệ.",
                [{"field": name, "message": "Cần nhập ngày (hoặc năm để lấy ngày mặc định)."}],
            )
        dates[name] = value
    submitters = None
    if payload.submitters is not None:
        submitters = list(
            Agency.objects.filter(
                code__in=payload.submitters, is_active=True, province=home_province(request.user)
            )
        )
        unknown = sorted(set(payload.submitters) - {a.code for a in submitters})
        if unknown:
            raise ApiError(
                422,
                "Dữ liệu không hợp lệ.",
                [{"field": "submitters", "message": "Không có cơ quan: " + ", ".join(unknown)}],
            )
    name = payload.name or (defaults.name if defaults else "")
    if not name:
        raise ApiError(422, "Dữ liệu không hợp lệ.", [{"field": "name", "message": "Cần tên kỳ báo cáo."}])
    custom = defaults is None or any(getattr(payload, n) for n in ("data_from", "data_to"))
    form = None
    if payload.form:
        form = {f.code: f for f in services.current_forms()}.get(payload.form)
        if form is None:
            raise ApiError(
                422, "Dữ liệu không hợp lệ.", [{"field": "form", "message": "Không có biểu mẫu mã này."}]
            )
    recipient = None
    if payload.recipient:
        recipient = Agency.objects.filter(
            code=payload.recipient.strip().upper(), is_active=True, province=home_province(request.user)
        ).first()
        if recipient is None:
            raise ApiError(
                422,
                "Dữ liệu không hợp lệ.",
                [{"field": "recipient", "message": "Không có cơ quan mã này trong tỉnh."}],
            )
    try:
        period = services.create_period(
            request.user,
            kind=payload.kind,
            name=name,
            submitters=submitters,
            expiry_days=payload.expiry_days,
            cutoff=Period.Cutoff.CUSTOM if custom else Period.Cutoff.DECREE_09,
            form=form,
            recipient=recipient,
            **dates,
        )
    except services.ReportingError as exc:
        _fail(exc)
    return Status(201, _period_out(period))


@router.get("/periods/{pk}", response=PeriodOut)
def get_period(request, pk: int):
    return _period_out(_period(request, pk))


@router.get("/periods/{pk}/board")
def period_board(request, pk: int):
    """Completeness and timeliness of the period (DHIS2 definitions) and each submitter's state."""
    period = _period(request, pk)
    board = services.period_board(period)
    see_all = policy.can(request.user, "reporting.oversee", province=period.province)
    mine = policy.agency_ids(request.user)
    rows = [
        {
            "agency": r["agency"].code,
            "agency_name": r["agency"].name,
            "is_commune": r["is_commune"],
            "status": r["status"] or "not_started",
            "reported": r["reported"],
            "on_time": r["on_time"],
            "days_late": r["days_late"],
            "sent_at": r["submission"].sent_at if r["reported"] else None,
        }
        for r in board["rows"]
        if see_all or r["agency"].pk in mine
    ]
    return {
        "period": _period_out(period),
        "totals": board["totals"],
        "agencies": board["agencies"],
        "communes": board["communes"],
        "rows": rows,
    }


@router.get("/periods/{pk}/submissions", response=list[SubmissionOut])
def list_submissions(request, pk: int, status: str = ""):
    period = _period(request, pk)
    qs = visible_to(request.user, period.submissions.select_related("period", "agency", "form"))
    if status:
        qs = qs.filter(status=status)
    return [_sub_out(s) for s in qs]


@router.post("/periods/{pk}/submissions", response={200: SubmissionOut, 201: SubmissionOut})
def open_submission(request, pk: int, payload: OpenIn):
    period = _period(request, pk)
    agency = Agency.objects.filter(code=payload.agency, province=period.province).first()
    if agency is None:
        raise ApiError(
            422, "Dữ liệu không hợp lệ.", [{"field": "agency", "message": "Không có cơ quan này."}]
        )
    existed = Submission.objects.filter(period=period, agency=agency).exists()
    try:
        sub = services.open_submission(request.user, period, agency)
    except services.ReportingError as exc:
        _fail(exc, 409)
    return Status(200 if existed else 201, _sub_out(sub))


@router.get("/submissions/{pk}", response=SubmissionOut)
def get_submission(request, pk: int):
    return _sub_out(_submission(request, pk))


@router.put("/submissions/{pk}", response=SubmissionOut)
def update_submission(request, pk: int, payload: SubmissionIn):
    sub = _submission(request, pk)
    try:
        services.save_submission(
            request.user,
            sub,
            values=payload.values,
            breakdown=payload.breakdown,
            reasons=payload.reasons,
            narrative=payload.narrative,
        )
    except services.ReportingError as exc:
        _fail(exc)
    return _sub_out(sub)


def _act(request, pk, fn, *args):
    sub = _submission(request, pk)
    try:
        fn(request.user, sub, *args)
    except services.ReportingError as exc:
        _fail(exc, 422 if exc.errors else 409)
    return _sub_out(sub)


@router.post("/submissions/{pk}/submit", response=SubmissionOut)
def submit(request, pk: int):
    return _act(request, pk, services.submit)


@router.post("/submissions/{pk}/approve", response=SubmissionOut)
def approve(request, pk: int):
    return _act(request, pk, services.approve)


@router.post("/submissions/{pk}/send-back", response=SubmissionOut)
def send_back(request, pk: int, payload: CommentIn):
    return _act(request, pk, services.send_back, payload.comment)


@router.post("/submissions/{pk}/accept", response=SubmissionOut)
def accept(request, pk: int):
    return _act(request, pk, services.accept)


@router.post("/submissions/{pk}/return", response=SubmissionOut)
def return_submission(request, pk: int, payload: CommentIn):
    return _act(request, pk, services.return_submission, payload.comment)


def _rows(rows):
    return [
        {
            "code": r.code,
            "label": r.label,
            "unit": r.unit,
            "value": r.value,
            "same_period_last_year": r.last_year,
            "change_pct": r.change_pct,
        }
        for r in rows
    ]


def _report_json(report: consolidation.Consolidated, snapshot=None) -> dict:
    return {
        # when the figures were computed (they are served from a snapshot: reporting/snapshots.py)
        "computed_at": snapshot.computed_at if snapshot is not None else None,
        "title": report.title,
        "province": report.province,
        "date_from": report.date_from,
        "date_to": report.date_to,
        "accepted_submissions": report.accepted_count,
        "reported": _rows(report.reported),
        "system": _rows(report.system),
        "groups": _rows(report.groups),
        "groups_source": report.groups_source,
        "by_violation_type": _rows(report.by_violation),
        "narrative": report.narrative,
        "plan_status": report.plan_status,
        "board": report.board
        and {
            "totals": report.board["totals"],
            "agencies": report.board["agencies"],
            "communes": report.board["communes"],
        },
    }


@router.get("/periods/{pk}/consolidated")
def period_consolidated(request, pk: int):
    """The province report of the period: accepted submissions added up, the system's figures, each
    with the same period last year and the change in %, and the national groups."""
    return _report_json(*snapshots.period_report(request.user, _period(request, pk)))


@router.get("/consolidated")
def window_consolidated(request, date_from: dt.date, date_to: dt.date):
    """The province's figures for any window, from the system's records (kept for an hour:
    `computed_at` says when they were computed)."""
    if date_to < date_from:
        raise ApiError(
            422, "Dữ liệu không hợp lệ.", [{"field": "date_to", "message": "“Đến ngày” phải sau “Từ ngày”."}]
        )
    return _report_json(*snapshots.window_report(request.user, date_from, date_to))


class ExceptionIn(Schema):
    agency: str
    until: dt.date
    reason: str


@router.post("/periods/{pk}/exceptions", response={201: dict})
def grant_exception(request, pk: int, payload: ExceptionIn):
    """Coordinator: re-open a locked period for one submitter until a date (audited)."""
    period = _period(request, pk)
    agency = Agency.objects.filter(code=payload.agency, province=period.province).first()
    if agency is None:
        raise ApiError(
            422, "Dữ liệu không hợp lệ.", [{"field": "agency", "message": "Không có cơ quan này."}]
        )
    try:
        exc = services.grant_exception(
            request.user, period, agency, until=payload.until, reason=payload.reason
        )
    except services.ReportingError as err:
        _fail(err)
    return Status(201, {"id": exc.pk, "agency": agency.code, "until": exc.until, "reason": exc.reason})


def _format():
    # A plain string checked by the service, so a wrong value gets the Vietnamese message (an enum
    # would get pydantic's English one); the schema names the two values.
    return Query("docx", description="Định dạng tệp: `docx` hoặc `xlsx`.", examples=["docx", "xlsx"])


EXPORT_ANSWERS = error_answers(
    {
        "401": "Chưa xác thực: cần đăng nhập hoặc mã truy cập API.",
        "403": "Không có quyền tổng hợp báo cáo của tỉnh (hoặc của kỳ này).",
        "404": "Không có kỳ báo cáo này trong phạm vi của bạn.",
        "422": "Tham số không hợp lệ: `format` chỉ nhận docx hoặc xlsx; `date_to` phải sau `date_from`.",
    }
)
EXPORT_ANSWERS["responses"][202] = {  # int: merged into ninja's own 202
    "description": "Đã tạo công việc xuất tệp: theo dõi ở `url` (cũng là header Location) cho đến khi "
    "`status` là `done` (có `download_url`) hoặc `failed` (`message` nói lý do)."
}


@router.post("/periods/{pk}/export", response={202: JobStarted}, openapi_extra=EXPORT_ANSWERS)
def export_period(request, response: HttpResponse, pk: int, format: str = _format()):  # noqa: A002
    """Start building the consolidated report of the period as DOCX or XLSX in the background:
    202 with the job's id and status URL (`GET /api/v1/jobs/{id}`: state, percent, message, then
    the download URL). The export and each download are audited."""
    try:
        job = services.start_report_export(request.user, fmt=format, period=_period(request, pk))
    except services.ReportingError as exc:
        _fail(exc)
    return accepted(response, job)


@router.post("/export", response={202: JobStarted}, openapi_extra=EXPORT_ANSWERS)
def export_window(
    request,
    response: HttpResponse,
    date_from: dt.date,
    date_to: dt.date,
    format: str = _format(),  # noqa: A002
):
    """Start building the province's report for any window, from the system's figures (as
    `canhgiac report-export`), in the background: 202 with the job's id and status URL."""
    try:
        job = services.start_report_export(request.user, fmt=format, date_from=date_from, date_to=date_to)
    except services.ReportingError as exc:
        _fail(exc)
    return accepted(response, job)
