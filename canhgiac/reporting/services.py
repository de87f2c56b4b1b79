"""Periodic reporting: forms, periods, submissions and their workflow, locking, on-time figures,
reminders. Consolidation and exports are in consolidation.py and exports.py.

Workflow of a submission: draft -> submitted (an officer or leader of the agency sends it to the
leader) -> approved (the leader approves: the report is now sent to the Standing Office) ->
accepted (locked) or returned with comments (editable again, then re-submitted). A leader may also
send a submitted report back to draft.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.audit import services as audit
from canhgiac.core import policy
from canhgiac.core.numbers import NumberError, format_vn_number, parse_vn_int
from canhgiac.core.policy import require, visible_to
from canhgiac.directory.models import Agency
from canhgiac.directory.services import home_province
from canhgiac.reporting import regime, sources
from canhgiac.reporting.models import (
    Indicator,
    NationalGroup,
    Period,
    ReportForm,
    Section,
    Submission,
    SubmissionException,
)
from canhgiac.reporting.standard import (
    INDICATOR_HELP,
    NATIONAL_GROUPS,
    STANDARD_FORM_CODE,
    STANDARD_FORM_NAME,
    STANDARD_INDICATORS,
    STANDARD_SECTIONS,
)

S = Submission.Status
EDITABLE = (S.DRAFT, S.RETURNED)


class ReportingError(Exception):
    """A rule of the workflow or of validation is broken; `errors` name the fields."""

    def __init__(self, detail: str, errors: list[dict] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


# --- reference data -------------------------------------------------------------------------


@transaction.atomic
def load_standard_form() -> ReportForm:
    """Create version 1 of the standard 389 form if no version exists (idempotent)."""
    form = ReportForm.objects.filter(code=STANDARD_FORM_CODE).order_by("-version").first()
    if form is not None:
        return form
    form = ReportForm.objects.create(
        code=STANDARD_FORM_CODE, version=1, name=STANDARD_FORM_NAME, note=_("Biểu mẫu chuẩn")
    )
    for order, (code, label, unit, disagg, parent, required) in enumerate(STANDARD_INDICATORS, start=1):
        Indicator.objects.create(
            form=form,
            code=code,
            label=label,
            unit=unit,
            disaggregation=disagg,
            parent_code=parent,
            required=required,
            order=order,
            help_text=INDICATOR_HELP.get(code, ""),
        )
    for order, (code, title, required) in enumerate(STANDARD_SECTIONS, start=1):
        Section.objects.create(form=form, code=code, title=title, required=required, order=order)
    return form


@transaction.atomic
def load_online_review_forms() -> list[ReportForm]:
    """Version 1 of each review form of seed 004 (7.3 quarterly, 7.11 monthly) if no version of it
    exists (idempotent); their indicators are pre-filled by the online app."""
    from canhgiac.reporting.standard import (
        ONLINE_REVIEW_FORMS,
        ONLINE_REVIEW_HELP,
        ONLINE_REVIEW_INDICATORS,
        ONLINE_REVIEW_SECTIONS,
    )

    out = []
    for form_code, name, note, recipient_code in ONLINE_REVIEW_FORMS:
        form = ReportForm.objects.filter(code=form_code).order_by("-version").first()
        if form is None:
            form = ReportForm.objects.create(
                code=form_code, version=1, name=name, note=note, recipient_code=recipient_code
            )
            for order, (code, label, unit, disagg, parent, required) in enumerate(
                ONLINE_REVIEW_INDICATORS, 1
            ):
                Indicator.objects.create(
                    form=form,
                    code=code,
                    label=label,
                    unit=unit,
                    disaggregation=disagg,
                    parent_code=parent,
                    required=required,
                    order=order,
                    help_text=ONLINE_REVIEW_HELP.get(code, ""),
                )
            for order, (code, title, required) in enumerate(ONLINE_REVIEW_SECTIONS, 1):
                Section.objects.create(form=form, code=code, title=title, required=required, order=order)
        out.append(form)
    return out


def current_forms() -> list[ReportForm]:
    """The current version of every report form (the standard form first)."""
    forms = ReportForm.objects.filter(is_current=True).order_by("code", "-version")
    seen, out = set(), []
    for form in forms:
        if form.code not in seen:
            seen.add(form.code)
            out.append(form)
    return sorted(out, key=lambda f: (f.code != STANDARD_FORM_CODE, f.code))


@transaction.atomic
def load_national_groups() -> None:
    for number, name, codes in NATIONAL_GROUPS:
        NationalGroup.objects.get_or_create(number=number, defaults={"name": name, "violation_types": codes})


def current_form(code: str = STANDARD_FORM_CODE) -> ReportForm:
    form = ReportForm.objects.filter(code=code, is_current=True).order_by("-version").first()
    return form or load_standard_form()


def group_mapping() -> list[NationalGroup]:
    return list(NationalGroup.objects.order_by("number"))


@transaction.atomic
def save_group_mapping(user, mapping: dict[int, list[str]]) -> None:
    """mapping: group number -> violation type codes. A code may sit in one group only."""
    # The national groups are shared by every province: any province's coordinators map them.
    require(user, "change", NationalGroup)
    seen: dict[str, int] = {}
    errors = []
    for number, codes in mapping.items():
        for code in codes:
            if code in seen:
                errors.append(
                    {
                        "field": f"group_{number}",
                        "message": _("Loại vi phạm “%(code)s” đã thuộc nhóm (%(other)s).")
                        % {"code": code, "other": seen[code]},
                    }
                )
            seen[code] = number
    if errors:
        raise ReportingError(_("Mỗi loại vi phạm chỉ thuộc một nhóm."), errors)
    for group in NationalGroup.objects.filter(number__in=mapping):
        group.violation_types = list(mapping[group.number])
        group.save()


# --- forms ----------------------------------------------------------------------------------


@transaction.atomic
def new_form_version(
    user, form: ReportForm, *, name: str, indicators: list[dict], sections: list[dict], note: str = ""
) -> ReportForm:
    """Save an edited form as the next version; the old version stays with its periods."""
    require(user, "change", form)
    errors = _check_form_definition(indicators, sections)
    if errors:
        raise ReportingError(_("Biểu mẫu chưa hợp lệ."), errors)
    latest = ReportForm.objects.select_for_update().filter(code=form.code).order_by("-version").first()
    ReportForm.objects.filter(code=form.code, is_current=True).update(is_current=False)
    new = ReportForm.objects.create(
        code=form.code,
        version=latest.version + 1,
        name=name,
        note=note,
        created_by=user,
        is_current=True,
        recipient_code=form.recipient_code,
    )
    helps = dict(form.indicators.values_list("code", "help_text"))
    for order, row in enumerate(indicators, start=1):
        Indicator.objects.create(
            form=new,
            order=order,
            help_text=row.get("help_text") or helps.get(row["code"]) or INDICATOR_HELP.get(row["code"], ""),
            code=row["code"],
            label=row["label"],
            unit=row.get("unit") or Indicator.Unit.COUNT,
            disaggregation=row.get("disaggregation") or "",
            parent_code=row.get("parent_code") or "",
            required=bool(row.get("required")),
        )
    for order, row in enumerate(sections, start=1):
        Section.objects.create(
            form=new, order=order, code=row["code"], title=row["title"], required=bool(row.get("required"))
        )
    return new


def _check_form_definition(indicators, sections) -> list[dict]:
    errors, codes = [], set()
    for i, row in enumerate(indicators, start=1):
        code = (row.get("code") or "").strip()
        if not code or not row.get("label"):
            errors.append(
                {"field": f"indicators.{i}", "message": _("Dòng %(n)s: cần mã và tên chỉ tiêu.") % {"n": i}}
            )
        elif code in codes:
            errors.append(
                {
                    "field": f"indicators.{i}",
                    "message": _("Dòng %(n)s: mã “%(code)s” bị trùng.") % {"n": i, "code": code},
                }
            )
        codes.add(code)
    for i, row in enumerate(indicators, start=1):
        parent = row.get("parent_code") or ""
        if parent and (parent not in codes or parent == row.get("code")):
            errors.append(
                {
                    "field": f"indicators.{i}",
                    "message": _("Dòng %(n)s: chỉ tiêu tổng “%(parent)s” không có trong biểu mẫu.")
                    % {"n": i, "parent": parent},
                }
            )
    section_codes = set()
    for i, row in enumerate(sections, start=1):
        code = (row.get("code") or "").strip()
        if not code or not row.get("title") or code in section_codes:
            errors.append(
                {
                    "field": f"sections.{i}",
                    "message": _("Mục %(n)s: cần mã (không trùng) và tên mục.") % {"n": i},
                }
            )
        section_codes.add(code)
    if not indicators:
        errors.append({"field": "indicators", "message": _("Biểu mẫu cần ít nhất một chỉ tiêu.")})
    return errors


# --- periods --------------------------------------------------------------------------------


def default_submitters(province=None, recipient=None):
    """Every active member agency and commune of `province` (the first province loaded when
    None), except its Standing Office (it consolidates) and the period's recipient agency."""
    province = province or home_province()
    qs = Agency.objects.filter(is_active=True, is_standing_office=False, province=province)
    return qs.exclude(pk=recipient.pk) if recipient is not None else qs


def recipient_code_for(form: ReportForm | None, province) -> str:
    """The short code of the agency the form's reports go to in `province` ("" = the Standing
    Office): the province's own choice in settings.CANHGIAC_REPORT_RECIPIENTS ({province codename:
    {form code: agency code}}), else the form's."""
    from django.conf import settings

    if form is None:
        return ""
    own = getattr(settings, "CANHGIAC_REPORT_RECIPIENTS", {}).get(getattr(province, "codename", ""), {})
    return own.get(form.code, form.recipient_code or "")


def recipient_for(form: ReportForm | None, province) -> Agency | None:
    """The agency the form's reports go to in `province` (None = the Standing Office; None too
    when the province has no agency of that code: `create_period` then asks for one)."""
    from canhgiac.directory import services as directory

    code = recipient_code_for(form, province)
    return directory.agency_by_code(code, province) if code else None


@transaction.atomic
def create_period(
    user,
    *,
    kind: str,
    name: str,
    data_from: dt.date,
    data_to: dt.date,
    deadline: dt.date,
    office_deadline: dt.date,
    submitters=None,
    form: ReportForm | None = None,
    cutoff: str = Period.Cutoff.DECREE_09,
    expiry_days: int = 10,
    campaign: str = "",
    province=None,
    recipient=None,
) -> Period:
    """A reporting period of `province` (the user's own by default); its submitters must be
    agencies of that province (every agency but the Standing Office by default). `recipient`: the
    agency the reports are sent to, by default the form's for the province (`recipient_for`; the
    Standing Office when the form names none)."""
    province = province or home_province(user)
    if user is not None:
        require(user, "add", Period, province=province)
    form = form or current_form()
    errors = []
    if recipient is not None and recipient.is_standing_office and recipient.province_id == province.pk:
        recipient = None  # the Standing Office is every period's recipient by default
    elif recipient is None:
        recipient = recipient_for(form, province)
        code = recipient_code_for(form, province)
        if code and recipient is None:
            errors.append(
                {
                    "field": "recipient",
                    "message": _(
                        "Tỉnh không có cơ quan mã %(code)s nhận báo cáo của biểu mẫu này; chọn cơ quan nhận báo cáo."
                    )
                    % {"code": code},
                }
            )
    elif recipient.province_id != province.pk:
        errors.append(
            {"field": "recipient", "message": _("Cơ quan nhận báo cáo phải thuộc tỉnh của kỳ báo cáo.")}
        )
    submitters = list(submitters) if submitters is not None else list(default_submitters(province, recipient))
    if any(a.province_id != province.pk for a in submitters):
        errors.append({"field": "submitters", "message": _("Đơn vị báo cáo phải thuộc tỉnh của kỳ báo cáo.")})
    if data_to < data_from:
        errors.append({"field": "data_to", "message": _("Ngày kết thúc số liệu phải sau ngày bắt đầu.")})
    if deadline < data_to:
        errors.append({"field": "deadline", "message": _("Hạn gửi của đơn vị phải sau ngày chốt số liệu.")})
    if office_deadline < deadline:
        errors.append(
            {
                "field": "office_deadline",
                "message": _("Hạn của Cơ quan Thường trực phải sau hạn gửi của đơn vị."),
            }
        )
    if errors:
        raise ReportingError(_("Kỳ báo cáo chưa hợp lệ."), errors)
    period = Period.objects.create(
        kind=kind,
        name=name,
        data_from=data_from,
        data_to=data_to,
        deadline=deadline,
        office_deadline=office_deadline,
        form=form,
        cutoff=cutoff,
        expiry_days=expiry_days,
        campaign=campaign,
        province=province,
        recipient=recipient,
        created_by=user if getattr(user, "pk", None) else None,
    )
    period.submitters.set(submitters)
    return period


@transaction.atomic
def update_period(
    user, period: Period, *, name: str, deadline: dt.date, office_deadline: dt.date, expiry_days: int
) -> Period:
    """Move a period's deadlines or its lock (the data window and submitters stay as opened)."""
    require(user, "change", period)
    errors = []
    if deadline < period.data_to:
        errors.append({"field": "deadline", "message": _("Hạn gửi của đơn vị phải sau ngày chốt số liệu.")})
    if office_deadline < deadline:
        errors.append(
            {
                "field": "office_deadline",
                "message": _("Hạn của Cơ quan Thường trực phải sau hạn gửi của đơn vị."),
            }
        )
    if errors:
        raise ReportingError(_("Kỳ báo cáo chưa hợp lệ."), errors)
    period.name, period.deadline, period.office_deadline, period.expiry_days = (
        name.strip(),
        deadline,
        office_deadline,
        expiry_days,
    )
    period.save()
    from canhgiac.reporting import snapshots

    snapshots.invalidate(period, create=False)  # title, deadline (timeliness) of the stored figures
    return period


@transaction.atomic
def create_campaign(
    user,
    *,
    name: str,
    start: dt.date,
    end: dt.date,
    every_days: int = 7,
    submitters=None,
    expiry_days: int = 3,
) -> list[Period]:
    """A peak campaign's periods (weekly by default) with their own deadlines."""
    if start > end:
        raise ReportingError(
            _("Đợt cao điểm chưa hợp lệ."),
            [{"field": "end", "message": _("Ngày kết thúc đợt phải sau ngày bắt đầu.")}],
        )
    submitters = list(submitters) if submitters is not None else list(default_submitters(home_province(user)))
    return [
        create_period(
            user,
            kind=Period.Kind.CAMPAIGN,
            name=f"{name} — {d.name}",
            data_from=d.data_from,
            data_to=d.data_to,
            deadline=d.deadline,
            office_deadline=d.office_deadline,
            submitters=submitters,
            cutoff=Period.Cutoff.CUSTOM,
            expiry_days=expiry_days,
            campaign=name,
        )
        for d in regime.campaign(start, end, every_days)
    ]


def period_defaults(kind: str, year: int, number: int = 1, cutoff: str = "decree09") -> regime.PeriodDates:
    return regime.defaults(kind, year, number, cutoff)


# --- locking --------------------------------------------------------------------------------


def today() -> dt.date:
    return timezone.localdate()


def lock_date(period: Period) -> dt.date:
    """The last day the period's forms are open (DHIS2's expiry days, counted from the deadline)."""
    return period.deadline + dt.timedelta(days=period.expiry_days)


def active_exception(period: Period, agency, on: dt.date | None = None) -> SubmissionException | None:
    on = on or today()
    return (
        SubmissionException.objects.filter(period=period, agency=agency, until__gte=on)
        .order_by("-until")
        .first()
    )


def is_locked(period: Period, agency, status: str | None = None, on: dt.date | None = None) -> bool:
    """Accepted reports are locked for good. Returned reports stay open until re-sent (the Standing
    Office asked for the correction). Otherwise a period locks `expiry_days` after its deadline,
    unless a coordinator granted this submitter an exception."""
    on = on or today()
    if status == S.ACCEPTED:
        return True
    if status == S.RETURNED:
        return False
    if on <= lock_date(period):
        return False
    return active_exception(period, agency, on) is None


@transaction.atomic
def grant_exception(user, period: Period, agency, *, until: dt.date, reason: str) -> SubmissionException:
    require(user, "grant_exception", period)
    errors = []
    if not (reason or "").strip():
        errors.append({"field": "reason", "message": _("Cần ghi lý do gia hạn.")})
    if until < today():
        errors.append({"field": "until", "message": _("Ngày gia hạn phải từ hôm nay trở đi.")})
    if not period.submitters.filter(pk=agency.pk).exists():
        errors.append({"field": "agency", "message": _("Đơn vị này không phải báo cáo trong kỳ.")})
    if errors:
        raise ReportingError(_("Không thể gia hạn."), errors)
    exc = SubmissionException.objects.create(
        period=period, agency=agency, until=until, reason=reason.strip(), granted_by=user
    )
    audit.record(
        "reporting.exception_granted",
        obj=period,
        actor=user,
        changes={"agency": agency.code, "until": until.isoformat(), "reason": reason.strip()},
    )
    return exc


# --- submissions ----------------------------------------------------------------------------


def scope_for(period: Period, agency) -> sources.Scope:
    """Pre-fill scope: the figures recorded by the submitting agency (a commune's own People's
    Committee included), for the period's data window, counted in system scope."""
    return sources.Scope(
        period.data_from, period.data_to, agency_code=agency.code, province_code=agency.province.code
    )


def _prefill(submission: Submission, scope: sources.Scope | None = None) -> None:
    """Pre-fill the submission from the system's figures (`scope`: scope_for's, possibly with
    figures already memoised, as the demo does for agencies that hold no record of a kind)."""
    scope = scope or scope_for(submission.period, submission.agency)
    prefill, prefill_breakdown = {}, {}
    for ind in submission.form.indicators.all():
        fig = sources.figure_for(ind.code, scope)
        prefill[ind.code] = None if fig is None else fig.value
        if fig is not None and fig.breakdown is not None and ind.disaggregation:
            prefill_breakdown[ind.code] = {k: int(v) for k, v in fig.breakdown.items()}
    submission.prefill, submission.prefill_breakdown = prefill, prefill_breakdown
    submission.prefilled_at = timezone.now()


def can_open(user, period: Period, agency) -> bool:
    return policy.can(user, "reporting.open", agency=agency, period=period)


@transaction.atomic
def open_submission(user, period: Period, agency) -> Submission:
    """The agency's report for the period, created (and pre-filled) on first opening."""
    existing = Submission.objects.filter(period=period, agency=agency).first()
    if existing is not None:
        require(user, "view", existing)
        return existing
    require(user, "reporting.open", agency=agency, period=period)
    if is_locked(period, agency):
        raise ReportingError(_("Kỳ báo cáo đã khóa; đề nghị Cơ quan Thường trực gia hạn."))
    submission = Submission(period=period, agency=agency, form=period.form)
    _prefill(submission)
    submission.values = {k: v for k, v in submission.prefill.items() if v is not None}
    submission.breakdown = {k: dict(v) for k, v in submission.prefill_breakdown.items()}
    submission.save()
    return submission


def _check_open(user, submission: Submission, action: str) -> None:
    require(user, action, submission)
    if action in ("change", "submit") and submission.status not in EDITABLE:
        raise ReportingError(
            _("Báo cáo đang ở trạng thái “%(s)s”, không sửa được.") % {"s": submission.get_status_display()}
        )
    if is_locked(submission.period, submission.agency, submission.status):
        raise ReportingError(
            _("Báo cáo đã khóa (quá hạn hoặc đã được tiếp nhận); đề nghị Cơ quan Thường trực gia hạn.")
        )


@transaction.atomic
def refresh_prefill(user, submission: Submission) -> Submission:
    """Fetch the system's figures again (values the submitter typed are kept)."""
    _check_open(user, submission, "change")
    _prefill(submission)
    submission.save()
    return submission


def _parse_whole(raw, label, field, errors):
    """A whole, non-negative figure written the Vietnamese way (core.numbers: "1.234.567")."""
    try:
        value = parse_vn_int(raw)
    except NumberError as exc:
        message = (
            _("%(label)s: “%(text)s” không rõ nghĩa — dấu chấm phân cách hàng nghìn theo nhóm ba chữ số.")
            if exc.ambiguous
            else _("%(label)s: phải là số nguyên.")
        )
        errors.append({"field": field, "message": message % {"label": label, "text": exc.text}})
        return None
    if value is not None and value < 0:
        errors.append({"field": field, "message": _("%(label)s: không được âm.") % {"label": label}})
        return None
    return value


@transaction.atomic
def save_submission(
    user,
    submission: Submission,
    *,
    values: dict,
    breakdown: dict | None = None,
    reasons: dict | None = None,
    narrative: dict | None = None,
) -> Submission:
    """Store the submitter's figures (whole, non-negative numbers; blank = not entered)."""
    _check_open(user, submission, "change")
    errors: list[dict] = []
    indicators = list(submission.form.indicators.all())
    clean_values, clean_breakdown = {}, {}
    for ind in indicators:
        value = _parse_whole(values.get(ind.code), ind.label, f"values.{ind.code}", errors)
        if value is not None:
            clean_values[ind.code] = value
        parts = (breakdown or {}).get(ind.code) or {}
        if ind.disaggregation and parts:
            clean_parts = {}
            for part, raw in parts.items():
                part_value = _parse_whole(
                    raw,
                    f"{ind.label} — {part_label(ind.disaggregation, part)}",
                    f"breakdown.{ind.code}.{part}",
                    errors,
                )
                if part_value is not None:
                    clean_parts[part] = part_value
            clean_breakdown[ind.code] = clean_parts
    if errors:
        raise ReportingError(_("Số liệu chưa hợp lệ."), errors)
    section_codes = {s.code for s in submission.form.sections.all()}
    submission.values = clean_values
    submission.breakdown = clean_breakdown
    submission.reasons = {
        k: v.strip() for k, v in (reasons or {}).items() if k in clean_values and (v or "").strip()
    }
    if narrative is not None:
        submission.narrative = {k: (v or "").strip() for k, v in narrative.items() if k in section_codes}
    submission.save()
    return submission


def validate(submission: Submission) -> list[dict]:
    """What must hold before a report can be sent: required figures entered, no negatives, parts
    not above their total (child indicators and disaggregations), a reason wherever the entered
    figure differs from the system's, required narrative sections written."""
    errors: list[dict] = []
    indicators = {i.code: i for i in submission.form.indicators.all()}
    values, breakdown = submission.values or {}, submission.breakdown or {}
    for code, ind in indicators.items():
        value = values.get(code)
        if value is None:
            if ind.required:
                errors.append(
                    {
                        "field": f"values.{code}",
                        "message": _("%(label)s: chưa nhập số liệu.") % {"label": ind.label},
                    }
                )
            continue
        if value < 0:
            errors.append(
                {"field": f"values.{code}", "message": _("%(label)s: không được âm.") % {"label": ind.label}}
            )
        parts = breakdown.get(code) or {}
        if ind.disaggregation and sum(parts.values()) > value:
            errors.append(
                {
                    "field": f"breakdown.{code}",
                    "message": _("%(label)s: tổng chi tiết (%(parts)s) lớn hơn tổng số (%(total)s).")
                    % {"label": ind.label, "parts": sum(parts.values()), "total": value},
                }
            )
        system = (submission.prefill or {}).get(code)
        if system is not None and system != value and not (submission.reasons or {}).get(code):
            errors.append(
                {
                    "field": f"reasons.{code}",
                    "message": _(
                        "%(label)s: số liệu (%(value)s) khác số liệu hệ thống (%(system)s), cần ghi lý do."
                    )
                    % {
                        "label": ind.label,
                        "value": format_vn_number(value),
                        "system": format_vn_number(system),
                    },
                }
            )
    children: dict[str, list[Indicator]] = {}
    for ind in indicators.values():
        if ind.parent_code:
            children.setdefault(ind.parent_code, []).append(ind)
    for parent_code, kids in children.items():
        parent = indicators.get(parent_code)
        total = values.get(parent_code)
        if parent is None or total is None:
            continue
        kids_sum = sum(values.get(k.code) or 0 for k in kids)
        if kids_sum > total:
            names = ", ".join(k.label for k in kids)
            errors.append(
                {
                    "field": f"values.{kids[0].code}",
                    "message": _("%(names)s (cộng %(sum)s) không được lớn hơn “%(parent)s” (%(total)s).")
                    % {
                        "names": names,
                        "sum": format_vn_number(kids_sum),
                        "parent": parent.label,
                        "total": format_vn_number(total),
                    },
                }
            )
    for section in submission.form.sections.all():
        if section.required and not (submission.narrative or {}).get(section.code, "").strip():
            errors.append(
                {
                    "field": f"narrative.{section.code}",
                    "message": _("Mục “%(title)s”: chưa viết nội dung.") % {"title": section.title},
                }
            )
    return errors


ALLOWED_FROM = {
    S.SUBMITTED: EDITABLE,
    S.APPROVED: (S.SUBMITTED,),
    S.DRAFT: (S.SUBMITTED,),
    S.ACCEPTED: (S.APPROVED,),
    S.RETURNED: (S.APPROVED,),
}


def _transition(user, submission: Submission, status: str, **fields) -> Submission:
    # The rule already checks the status; this also holds for superusers, whom the policy lets
    # through everything.
    before = submission.status
    if before not in ALLOWED_FROM[status]:
        raise ReportingError(
            _("Không thể chuyển báo cáo từ “%(a)s” sang “%(b)s”.")
            % {"a": S(before).label, "b": S(status).label}
        )
    submission.status = status
    for name, value in fields.items():
        setattr(submission, name, value)
    submission.save()
    audit.record(
        "reporting.transition",
        obj=submission,
        actor=user,
        changes={"status": {"before": before, "after": status}, "comment": submission.comment},
    )
    from canhgiac.reporting import snapshots

    if status in (S.APPROVED, S.ACCEPTED, S.RETURNED):  # the board and the consolidated figures move
        snapshots.invalidate(submission.period_id)
    return submission


@transaction.atomic
def submit(user, submission: Submission) -> Submission:
    """An officer (or the leader) sends the report to the agency's leader."""
    _check_open(user, submission, "submit")
    errors = validate(submission)
    if errors:
        raise ReportingError(_("Báo cáo còn %(n)s lỗi, chưa gửi được.") % {"n": len(errors)}, errors)
    submission = _transition(user, submission, S.SUBMITTED, submitted_at=timezone.now(), submitted_by=user)
    _tell(
        _members([submission.agency_id], policy.LEADER),
        submission,
        "reporting.submitted",
        _("Báo cáo %(period)s của %(agency)s chờ lãnh đạo duyệt"),
        _("%(who)s đã trình báo cáo; đề nghị lãnh đạo xem và duyệt gửi Cơ quan Thường trực."),
        actor=user,
    )
    return submission


@transaction.atomic
def approve(user, submission: Submission) -> Submission:
    """The agency's leader approves: the report is sent to the Standing Office (this is the time
    that counts for timeliness)."""
    _check_open(user, submission, "approve")
    errors = validate(submission)
    if errors:
        raise ReportingError(_("Báo cáo còn %(n)s lỗi, chưa duyệt được.") % {"n": len(errors)}, errors)
    submission = _transition(user, submission, S.APPROVED, sent_at=timezone.now(), approved_by=user)
    recipient = submission.period.recipient
    if recipient is not None:
        _tell(
            _members([recipient.pk], policy.OFFICER, policy.LEADER),
            submission,
            "reporting.received",
            _("%(agency)s đã gửi báo cáo %(period)s đến %(recipient)s"),
            _("%(who)s đã duyệt và gửi báo cáo; đề nghị %(recipient)s tiếp nhận, tổng hợp."),
            actor=user,
        )
    _tell(
        _coordinators(submission.period),
        submission,
        "reporting.approved",
        _("%(agency)s đã gửi báo cáo %(period)s"),
        _("%(who)s đã duyệt và gửi báo cáo; đề nghị Cơ quan Thường trực tiếp nhận hoặc trả lại."),
        actor=user,
    )
    return submission


@transaction.atomic
def send_back(user, submission: Submission, comment: str) -> Submission:
    """The leader sends a report awaiting approval back to its drafter."""
    require(user, "approve", submission)
    if not (comment or "").strip():
        raise ReportingError(
            _("Cần ghi ý kiến khi trả lại."),
            [{"field": "comment", "message": _("Cần ghi ý kiến khi trả lại.")}],
        )
    submission = _transition(user, submission, S.DRAFT, comment=comment.strip())
    _tell_drafter(submission, user, _("Lãnh đạo trả lại báo cáo %(period)s của %(agency)s"))
    return submission


@transaction.atomic
def accept(user, submission: Submission) -> Submission:
    require(user, "review", submission)
    submission = _transition(
        user, submission, S.ACCEPTED, reviewed_at=timezone.now(), reviewed_by=user, comment=""
    )
    _tell_drafter(submission, user, _("Cơ quan Thường trực đã tiếp nhận báo cáo %(period)s của %(agency)s"))
    return submission


@transaction.atomic
def return_submission(user, submission: Submission, comment: str) -> Submission:
    """The Standing Office returns a report with comments; it no longer counts as reported."""
    require(user, "review", submission)
    if not (comment or "").strip():
        raise ReportingError(
            _("Cần ghi ý kiến khi trả lại."),
            [{"field": "comment", "message": _("Cần ghi ý kiến khi trả lại.")}],
        )
    submission = _transition(
        user, submission, S.RETURNED, reviewed_at=timezone.now(), reviewed_by=user, comment=comment.strip()
    )
    _tell_drafter(submission, user, _("Cơ quan Thường trực trả lại báo cáo %(period)s của %(agency)s"))
    return submission


def _tell(users, submission: Submission, kind: str, title: str, body: str, *, actor) -> int:
    """Notify `users` (never the actor) of a step of the report's workflow, once per step."""
    from django.urls import reverse

    from canhgiac.core.notify import notify

    params = {
        "period": submission.period.name,
        "agency": submission.agency,
        "who": actor,
        "status": submission.get_status_display(),
        "recipient": submission.period.recipient_name,
    }
    return notify(
        [u for u in users if u.pk != getattr(actor, "pk", None)],
        kind=kind,
        title=title % params,
        body=(body % params) + (f"\n{submission.comment}" if submission.comment else ""),
        url=reverse("reporting:submission", args=[submission.pk]),
        dedupe_key=f"{kind}:{submission.pk}:{timezone.now().timestamp()}",  # every step is news
    )


def _tell_drafter(submission: Submission, actor, title: str) -> int:
    """Returned or accepted: the officer who submitted the report hears of it."""
    drafter = submission.submitted_by
    if drafter is None:
        return 0
    kind = f"reporting.{submission.status}"
    return _tell(
        [drafter], submission, kind, title, _("%(who)s: báo cáo ở trạng thái “%(status)s”."), actor=actor
    )


def part_label(disaggregation: str, code: str) -> str:
    return _part_names(disaggregation).get(code, code)


def _part_names(disaggregation: str) -> dict[str, str]:
    from canhgiac.directory.models import GoodsCategory, ViolationType

    if disaggregation == Indicator.Disaggregation.VIOLATION_TYPE:
        return dict(ViolationType.objects.values_list("code", "name"))
    if disaggregation == Indicator.Disaggregation.GOODS_CATEGORY:
        return dict(GoodsCategory.objects.values_list("code", "name"))
    if disaggregation == Indicator.Disaggregation.AGENCY:
        return {c: s or n for c, n, s in Agency.objects.values_list("code", "name", "short_name")}
    return {}


def parts_for(disaggregation: str) -> list[tuple[str, str]]:
    return list(_part_names(disaggregation).items())


# --- on time --------------------------------------------------------------------------------


def _on_time(submission: Submission | None, period: Period) -> bool:
    return bool(
        submission
        and submission.is_reported
        and submission.sent_at
        and timezone.localdate(submission.sent_at) <= period.deadline
    )


def period_board(period: Period, on: dt.date | None = None) -> dict:
    """Completeness and timeliness as DHIS2 defines them, for one period:
    completeness = reports received / reports expected; timeliness = reports received by the
    deadline / reports expected. Expected = the period's submitters; received = sent to the
    Standing Office by the agency's leader (approved or accepted, not returned)."""
    on = on or today()
    subs = {s.agency_id: s for s in period.submissions.all()}
    rows = []
    # .all() sorted here (Agency's own ordering) so a prefetched list is used as it is.
    for agency in sorted(period.submitters.all(), key=lambda a: (a.kind, a.code)):
        sub = subs.get(agency.pk)
        reported = bool(sub and sub.is_reported)
        on_time = _on_time(sub, period)
        if reported:
            days_late = max(0, (timezone.localdate(sub.sent_at) - period.deadline).days) if sub.sent_at else 0
        else:
            days_late = max(0, (on - period.deadline).days)
        rows.append(
            {
                "agency": agency,
                "submission": sub,
                "status": sub.status if sub else "",
                "status_label": sub.get_status_display() if sub else _("Chưa mở báo cáo"),
                "reported": reported,
                "on_time": on_time,
                "days_late": days_late,
                "is_commune": agency.kind == Agency.Kind.COMMUNE,
            }
        )
    return {
        "period": period,
        "rows": rows,
        "totals": _rates(rows),
        "agencies": _rates([r for r in rows if not r["is_commune"]]),
        "communes": _rates([r for r in rows if r["is_commune"]]),
        "locked_after": lock_date(period),
        "overdue": on > period.deadline,
    }


def _rates(rows) -> dict:
    expected = len(rows)
    reported = sum(r["reported"] for r in rows)
    on_time = sum(r["on_time"] for r in rows)
    return {
        "expected": expected,
        "reported": reported,
        "on_time": on_time,
        "missing": expected - reported,
        "completeness": round(100 * reported / expected, 1) if expected else None,
        "timeliness": round(100 * on_time / expected, 1) if expected else None,
    }


def period_totals(periods) -> dict[int, dict]:
    """The board's totals for many periods in two queries (the index page lists dozens)."""
    from django.db.models import Count

    periods = list(periods)
    expected = dict(
        Period.submitters.through.objects.filter(period__in=periods)
        .values("period_id")
        .annotate(n=Count("id"))
        .values_list("period_id", "n")
    )
    reported: dict[int, list] = {p.pk: [] for p in periods}
    for period_id, sent_at in Submission.objects.filter(
        period__in=periods, status__in=(S.APPROVED, S.ACCEPTED)
    ).values_list("period_id", "sent_at"):
        reported[period_id].append(sent_at)
    result = {}
    for p in periods:
        rows = [
            {"reported": True, "on_time": bool(t and timezone.localdate(t) <= p.deadline)}
            for t in reported[p.pk]
        ]
        rows += [{"reported": False, "on_time": False}] * max(0, expected.get(p.pk, 0) - len(rows))
        result[p.pk] = _rates(rows)
    return result


def agency_record(periods) -> list[dict]:
    """Completeness and timeliness of each submitter over several periods (same definitions as
    the period board), in three queries whatever the number of periods."""
    periods = {p.pk: p for p in periods}
    expected = Period.submitters.through.objects.filter(period_id__in=periods).values_list(
        "period_id", "agency_id"
    )
    sent = {
        (p, a): t
        for p, a, t in Submission.objects.filter(
            period_id__in=periods, status__in=(S.APPROVED, S.ACCEPTED)
        ).values_list("period_id", "agency_id", "sent_at")
    }
    rows: dict[int, list] = {}
    for period_id, agency_id in expected:
        reported = (period_id, agency_id) in sent
        at = sent.get((period_id, agency_id))
        on_time = bool(reported and at and timezone.localdate(at) <= periods[period_id].deadline)
        rows.setdefault(agency_id, []).append({"reported": reported, "on_time": on_time})
    agencies = Agency.objects.in_bulk(list(rows))
    result = [{"agency": agencies[agency_id], **_rates(r)} for agency_id, r in rows.items()]
    result.sort(key=lambda r: (r["timeliness"] or 0, r["agency"].code))
    return result


def office_record(periods, today: dt.date | None = None) -> list[dict]:
    """The Standing Office's own report per period (seed 003: "công tác báo cáo của Cơ quan Thường
    trực … chưa kịp thời"): its province report's issue date against the office deadline.
    status: on_time (issued on or before the deadline), late (issued after it, or not issued and
    the deadline has passed), pending (not issued, not yet due). days_late counts to the issue date,
    or to today while it is not issued."""
    from canhgiac.reporting.models import ProvinceReport

    today = today or timezone.localdate()
    periods = [p for p in periods if p.office_deadline]
    issued = dict(
        ProvinceReport.objects.filter(period__in=periods, issued_on__isnull=False).values_list(
            "period_id", "issued_on"
        )
    )
    rows = []
    for period in periods:
        on = issued.get(period.pk)
        until = on or today
        late_by = (until - period.office_deadline).days
        if on is not None:
            status = "on_time" if late_by <= 0 else "late"
        else:
            status = "late" if late_by > 0 else "pending"
        rows.append({"period": period, "issued_on": on, "status": status, "days_late": max(late_by, 0)})
    return rows


def office_rates(rows) -> dict:
    """Over the rows of office_record that are due: how many issued, how many on time."""
    due = [r for r in rows if r["status"] != "pending"]
    on_time = sum(1 for r in due if r["status"] == "on_time")
    issued = sum(1 for r in due if r["issued_on"] is not None)
    return {"expected": len(due), "issued": issued, "on_time": on_time}


def visible_periods(user):
    return visible_to(user, Period.objects.all()).select_related("form", "recipient")


# --- reminders and escalation ---------------------------------------------------------------

REMIND_DAYS_BEFORE = (3, 1)
ESCALATE_DAYS_AFTER = 3


def _members(agency_ids, *roles):
    from canhgiac.accounts.models import User

    return User.objects.filter(
        is_active=True,
        memberships__is_active=True,
        memberships__agency_id__in=agency_ids,
        memberships__role__in=roles,
    ).distinct()


def _coordinators(period: Period, *roles: str):
    """The coordinators (and `roles`) of the period's province: reminders never cross provinces."""
    from canhgiac.accounts.models import User

    return User.objects.filter(
        is_active=True,
        memberships__is_active=True,
        memberships__role__in=(policy.COORDINATOR, *roles),
        memberships__agency__province_id=period.province_id,
    ).distinct()


def committee_leaders(province=None):
    """Who is told as the committee's leadership: the Standing Office agency's leaders (its
    director is the committee's standing deputy head in Đắk Lắk), plus the head and deputies the
    Standing Office's leaders named for the province (accounts.committee). While a province has
    named nobody, the accounts in CANHGIAC_COMMITTEE_LEADERS (usernames) are used instead."""
    from django.conf import settings

    from canhgiac.accounts import committee
    from canhgiac.accounts.models import User

    named = committee.members(province) if province is not None else []
    names = [] if named else [n for n in getattr(settings, "CANHGIAC_COMMITTEE_LEADERS", []) if n]
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(
                memberships__is_active=True,
                memberships__role=policy.LEADER,
                memberships__agency__is_standing_office=True,
                **({"memberships__agency__province": province} if province is not None else {}),
            )
            | Q(username__in=names)
            | Q(pk__in=[u.pk for u in named])
        )
        .distinct()
    )


def send_reminders(now=None) -> str:
    """Before a deadline (3 and 1 days), remind the officers and leaders of every submitter that
    has not reported; the day after it, tell the agency's leaders it is late; 3 days after, list
    the late submitters to the Standing Office. The Standing Office's own report is chased the
    same way: its coordinators are reminded before the office deadline while the province report
    has no issue date, and told (with the administrators) the day after it. Idempotent through
    notification dedupe keys."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    horizon = day + dt.timedelta(days=max(REMIND_DAYS_BEFORE))
    since = day - dt.timedelta(days=ESCALATE_DAYS_AFTER + 30)
    sent = 0
    for period in Period.objects.filter(deadline__gte=since, deadline__lte=horizon):
        sent += _remind_submitters(period, day)
    for period in Period.objects.filter(office_deadline__gte=since, office_deadline__lte=horizon):
        sent += _remind_office(period, day)
    return _("%(n)s thông báo") % {"n": sent}


def _remind_submitters(period: Period, day: dt.date) -> int:
    from django.urls import reverse

    from canhgiac.core.notify import notify

    url = reverse("reporting:period", args=[period.pk])
    missing = [r["agency"] for r in period_board(period, day)["rows"] if not r["reported"]]
    if not missing:
        return 0
    sent = 0
    days_left = (period.deadline - day).days
    for agency in missing:
        if days_left in REMIND_DAYS_BEFORE:
            sent += notify(
                _members([agency.pk], policy.OFFICER, policy.LEADER),
                kind="reporting.reminder",
                title=_("Còn %(n)s ngày đến hạn báo cáo %(period)s")
                % {"n": days_left, "period": period.name},
                body=_("Hạn gửi: %(d)s.") % {"d": period.deadline.strftime("%d/%m/%Y")},
                url=url,
                dedupe_key=f"reporting.remind:{period.pk}:{agency.pk}:{days_left}",
            )
        elif days_left < 0:
            sent += notify(
                _members([agency.pk], policy.LEADER),
                kind="reporting.overdue",
                title=_("Quá hạn báo cáo %(period)s") % {"period": period.name},
                body=_("%(agency)s chưa gửi báo cáo; hạn là %(d)s.")
                % {"agency": agency, "d": period.deadline.strftime("%d/%m/%Y")},
                url=url,
                dedupe_key=f"reporting.overdue:{period.pk}:{agency.pk}",
            )
    if days_left <= -ESCALATE_DAYS_AFTER:
        names = ", ".join(str(a) for a in missing[:30]) + ("…" if len(missing) > 30 else "")
        sent += notify(
            _coordinators(period),
            kind="reporting.escalation",
            title=_("%(n)s đơn vị chưa báo cáo %(period)s") % {"n": len(missing), "period": period.name},
            body=names,
            url=url,
            dedupe_key=f"reporting.escalate:{period.pk}",
        )
    return sent


def province_report_issued(period: Period) -> bool:
    """The Standing Office has issued the province report (it carries an issue date)."""
    from canhgiac.reporting.models import ProvinceReport

    return ProvinceReport.objects.filter(period=period, issued_on__isnull=False).exists()


def _remind_office(period: Period, day: dt.date) -> int:
    from django.urls import reverse

    from canhgiac.core.notify import notify

    if province_report_issued(period):
        return 0
    url = reverse("reporting:consolidated", args=[period.pk])
    days_left = (period.office_deadline - day).days
    deadline = period.office_deadline.strftime("%d/%m/%Y")
    if days_left in REMIND_DAYS_BEFORE:
        return notify(
            _coordinators(period),
            kind="reporting.office_reminder",
            title=_("Còn %(n)s ngày đến hạn báo cáo tổng hợp %(period)s")
            % {"n": days_left, "period": period.name},
            body=_("Hạn của Cơ quan Thường trực: %(d)s.") % {"d": deadline},
            url=url,
            dedupe_key=f"reporting.office_remind:{period.pk}:{days_left}",
        )
    if days_left < 0:
        return notify(
            {
                u.pk: u for u in [*_coordinators(period, policy.ADMIN), *committee_leaders(period.province)]
            }.values(),
            kind="reporting.office_overdue",
            title=_("Báo cáo tổng hợp %(period)s quá hạn") % {"period": period.name},
            body=_("Hạn của Cơ quan Thường trực là %(d)s; báo cáo của tỉnh chưa có ngày ban hành.")
            % {"d": deadline},
            url=url,
            dedupe_key=f"reporting.office_overdue:{period.pk}",
        )
    return 0


# --- consolidated report and its exports ----------------------------------------------------

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _check_export(user, fmt: str, period: Period | None, date_from, date_to) -> None:
    if fmt not in ("docx", "xlsx"):
        raise ReportingError(
            _("Định dạng không hỗ trợ."), [{"field": "format", "message": _("Chỉ xuất được DOCX hoặc XLSX.")}]
        )
    if period is not None:
        require(user, "consolidate", period)
        return
    if date_from is None or date_to is None or date_to < date_from:
        raise ReportingError(
            _("Dữ liệu không hợp lệ."), [{"field": "date_to", "message": _("“Đến ngày” phải sau “Từ ngày”.")}]
        )
    if user is not None:
        policy.require(user, "reporting.consolidate", province=home_province(user))


def start_report_export(
    user,
    *,
    fmt: str,
    period: Period | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
):
    """Start the export of the consolidated report (of a period, or of a bare window) as a
    background job (core.exports) and return the job. What the job would refuse (format, window,
    the right to consolidate) is refused here at once, with the same ReportingError/PermissionDenied."""
    from canhgiac.core.exports import start_export

    _check_export(user, fmt, period, date_from, date_to)
    if period is not None:
        title = _("Báo cáo tổng hợp %(period)s (%(fmt)s)") % {"period": period, "fmt": fmt.upper()}
        params = {"period": period.pk}
    else:
        title = _("Báo cáo từ %(a)s đến %(b)s (%(fmt)s)") % {
            "a": date_from.strftime("%d/%m/%Y"),
            "b": date_to.strftime("%d/%m/%Y"),
            "fmt": fmt.upper(),
        }
        params = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
    return start_export(user, f"reporting.{fmt}", title, params)


def export_report(
    user,
    *,
    fmt: str,
    period: Period | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    steps=None,
) -> tuple[str, str, bytes]:
    """The consolidated report of a period (or of a bare window, from the system's figures) as
    DOCX or XLSX: (file name, content type, bytes), built in the call (the export job and
    `canhgiac report-export` call it). `steps` (core.progress.Steps) is told each step: gathering
    the figures, building the tables, rendering, saving. Every export is audited."""
    from canhgiac.reporting import consolidation, exports

    _check_export(user, fmt, period, date_from, date_to)
    if period is not None:
        report = consolidation.consolidate_period(user, period, steps=steps)
        stem = f"bao-cao-389-{period.data_from:%Y%m%d}-{period.data_to:%Y%m%d}"
    else:
        report = consolidation.consolidate_window(user, date_from, date_to, steps=steps)
        stem = f"bao-cao-389-{date_from:%Y%m%d}-{date_to:%Y%m%d}"
    content = exports.build_docx(report, steps) if fmt == "docx" else exports.build_xlsx(report, steps)
    audit.record(
        "reporting.exported",
        obj=period,
        actor=user if getattr(user, "pk", None) else None,
        object_type="" if period else "reporting.window",
        changes={"format": fmt, "from": report.date_from.isoformat(), "to": report.date_to.isoformat()},
    )
    return f"{stem}.{fmt}", DOCX_TYPE if fmt == "docx" else XLSX_TYPE, content


# --- the leaders' dashboard: reports on time over a window ----------------------------------------


def _summed(rows) -> dict:
    expected = sum(r["expected"] for r in rows)
    reported = sum(r["reported"] for r in rows)
    on_time = sum(r["on_time"] for r in rows)
    return {
        "expected": expected,
        "reported": reported,
        "on_time": on_time,
        "completeness": round(100 * reported / expected, 1) if expected else None,
        "timeliness": round(100 * on_time / expected, 1) if expected else None,
    }


def timeliness_summary(user, date_from: dt.date, date_to: dt.date, *, on: dt.date | None = None) -> dict:
    """Reports on time over the periods the user sees whose deadline fell in [date_from, date_to]
    (and not after `on`, default today), under the period board's definitions (timeliness =
    reports sent by the deadline / reports expected): member agencies, communes, and the Standing
    Office's own province report (office_record: issued by the office deadline / reports due)."""
    on = on or today()
    periods = list(visible_periods(user).filter(deadline__range=(date_from, min(date_to, on))))
    rows = agency_record(periods)
    office = office_rates(office_record(periods, on))
    return {
        "periods": len(periods),
        "agencies": _summed([r for r in rows if r["agency"].kind != Agency.Kind.COMMUNE]),
        "communes": _summed([r for r in rows if r["agency"].kind == Agency.Kind.COMMUNE]),
        "office": {
            **office,
            "timeliness": round(100 * office["on_time"] / office["expected"], 1)
            if office["expected"]
            else None,
        },
    }


def waiting_for(user) -> dict:
    """Reports waiting for this user's action: submitted to the agency's leader for approval
    (leaders), approved and waiting for the Standing Office to accept (coordinators)."""
    subs = visible_to(user, Submission.objects.all())
    leads = policy.agency_ids(user, policy.LEADER)
    approve = subs.filter(status=S.SUBMITTED, agency_id__in=leads).count() if leads else 0
    accept = subs.filter(status=S.APPROVED).count() if policy.can(user, "reporting.consolidate") else 0
    return {"to_approve": approve, "to_accept": accept}


def by_national_group(by_type: dict[str, dict]) -> list[dict]:
    """Adds up figures kept per violation type code ({code: {key: n}}) into the national groups
    (the mapping the Standing Office keeps at /reporting/groups/). A type in no group is left out."""
    out = []
    for group in NationalGroup.objects.order_by("number"):
        values: dict[str, int] = {}
        for code in group.violation_types:
            for key, n in by_type.get(code, {}).items():
                values[key] = values.get(key, 0) + int(n or 0)
        out.append({"number": group.number, "name": group.name, **values})
    return out
