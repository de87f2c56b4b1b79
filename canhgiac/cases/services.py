"""The cases register: every write and every figure about cases goes through here.

Doors (views, API, CLI, tasks, other apps) call these functions; each multi-row write is one
transaction, each read is scoped with `visible_to(user, ...)` (user=None means system scope).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.cases.models import Case, CaseGoods, CaseSubject, Inspection, ReferenceCounter, Warning
from canhgiac.core import policy
from canhgiac.core.text import fold
from canhgiac.directory.models import AdministrativeUnit, Agency, GoodsCategory, ViolationType
from canhgiac.subjects import services as subjects
from canhgiac.subjects.models import Subject

# ---------------------------------------------------------------- references and scoping


def take_references(year: int, count: int = 1) -> list[str]:
    """Issue `count` consecutive references for `year` (VV-2026-000123); call inside a transaction."""
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return [f"VV-{year}-{n:06d}" for n in range(first, first + count)]


def scoped_cases(user):
    """Cases `user` may see; every case in system scope (user=None)."""
    qs = Case.objects.all()
    return qs if user is None else policy.visible_to(user, qs)


def writable_agencies(user):
    """Agencies the user may record cases for (lead agency choices)."""
    qs = Agency.objects.filter(is_active=True)
    if policy.is_coordinator(user):
        return qs
    ids = {m.agency_id for m in user.active_memberships() if m.role in (policy.OFFICER, policy.LEADER)}
    return qs.filter(pk__in=ids)


# ---------------------------------------------------------------- parsing helpers (shared with imports)


def parse_date(value) -> dt.date | None:
    """YYYY-MM-DD or dd/mm/yyyy (dates from XLSX arrive as date objects)."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_money(value) -> int:
    """A non-negative integer of VND; blank is 0."""
    if value in (None, ""):
        return 0
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not text.isdigit():
            raise ValueError(text)
        number = int(text)
    if number < 0:
        raise ValueError(value)
    return number


def parse_quantity(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(value)
    if number < 0 or not number.is_finite():
        raise ValueError(value)
    return number


# ---------------------------------------------------------------- create and update

CASE_FIELDS = (
    "agency_ref",
    "detected_on",
    "address",
    "summary",
    "online_platform",
    "online_url",
    "origin",
    "sensitive",
    "visibility",
    "status",
    "outcome",
    "decision_no",
    "decision_date",
    "issuing_body",
    "fine_vnd",
    "budget_revenue_vnd",
    "defendants",
)


class _Errors(dict):
    def add(self, field, message):
        self.setdefault(field, []).append(message)

    def raise_if_any(self):
        if self:
            raise ValidationError(dict(self))


def _by_code(model, code, errors: _Errors, field: str, message: str):
    if code in (None, ""):
        return None
    obj = model.objects.filter(code=str(code).strip()).first()
    if obj is None:
        errors.add(field, message % {"code": code})
    return obj


def _clean_case_data(user, data: dict, case: Case | None) -> dict:
    """Validate `data` (see create_case) into model values; raise ValidationError keyed by field."""
    errors = _Errors()
    out: dict = {}
    get = data.get
    partial = case is not None

    def present(key):
        return not partial or key in data

    if present("lead_agency_code"):
        agency = _by_code(
            Agency,
            get("lead_agency_code"),
            errors,
            "lead_agency_code",
            _("Cơ quan chủ trì: không có cơ quan mã “%(code)s”."),
        )
        if agency is None and "lead_agency_code" not in errors:
            errors.add("lead_agency_code", _("Cơ quan chủ trì: bắt buộc."))
        elif (
            agency is not None
            and user is not None
            and not writable_agencies(user).filter(pk=agency.pk).exists()
        ):
            errors.add("lead_agency_code", _("Cơ quan chủ trì: bạn không được ghi vụ việc cho cơ quan này."))
        out["lead_agency"] = agency
    if present("unit_code"):
        unit = _by_code(
            AdministrativeUnit,
            get("unit_code"),
            errors,
            "unit_code",
            _("Xã, phường: không có đơn vị hành chính mã “%(code)s”."),
        )
        if unit is None and "unit_code" not in errors:
            errors.add("unit_code", _("Xã, phường: bắt buộc."))
        out["unit"] = unit
    if present("violation_type"):
        vt = _by_code(
            ViolationType,
            get("violation_type"),
            errors,
            "violation_type",
            _("Hành vi vi phạm: không có loại vi phạm mã “%(code)s”."),
        )
        if vt is None and "violation_type" not in errors:
            errors.add("violation_type", _("Hành vi vi phạm: bắt buộc."))
        out["violation_type"] = vt
    if "other_violation_types" in data:
        others = []
        for code in get("other_violation_types") or []:
            vt = _by_code(
                ViolationType,
                code,
                errors,
                "other_violation_types",
                _("Hành vi vi phạm khác: không có loại vi phạm mã “%(code)s”."),
            )
            if vt is not None:
                others.append(vt)
        out["other_violation_types"] = others
    for key, label in (("shared_with", _("Chia sẻ với")), ("participating", _("Cơ quan phối hợp"))):
        if key in data:
            found = []
            for code in get(key) or []:
                agency = _by_code(
                    Agency, code, errors, key, label + ": " + _("không có cơ quan mã “%(code)s”.")
                )
                if agency is not None:
                    found.append(agency)
            out[key] = found

    if present("detected_on"):
        try:
            detected = parse_date(get("detected_on"))
        except ValueError:
            detected = None
            errors.add("detected_on", _("Ngày phát hiện: không đúng dạng YYYY-MM-DD hoặc dd/mm/yyyy."))
        else:
            if detected is None:
                errors.add("detected_on", _("Ngày phát hiện: bắt buộc."))
            elif detected > timezone.localdate():
                errors.add("detected_on", _("Ngày phát hiện: không được sau ngày hôm nay."))
        out["detected_on"] = detected
    if present("decision_date") and get("decision_date") not in (None, ""):
        try:
            out["decision_date"] = parse_date(get("decision_date"))
        except ValueError:
            errors.add("decision_date", _("Ngày quyết định: không đúng dạng YYYY-MM-DD hoặc dd/mm/yyyy."))
    elif "decision_date" in data:
        out["decision_date"] = None

    if present("summary"):
        summary = (get("summary") or "").strip()
        if not summary:
            errors.add("summary", _("Tóm tắt vụ việc: bắt buộc."))
        out["summary"] = summary
    for key, limit, label in (
        ("agency_ref", 60, _("Số hồ sơ của cơ quan")),
        ("address", 300, _("Địa chỉ")),
        ("online_platform", 100, _("Nền tảng trực tuyến")),
        ("origin", 100, _("Nguồn")),
        ("decision_no", 60, _("Số quyết định")),
        ("issuing_body", 200, _("Cơ quan ra quyết định")),
    ):
        if key in data:
            value = (get(key) or "").strip()
            if len(value) > limit:
                errors.add(key, _("%(label)s: dài quá %(n)s ký tự.") % {"label": label, "n": limit})
            out[key] = value
    if "online_url" in data:
        url = (get("online_url") or "").strip()
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError:
                errors.add("online_url", _("Đường dẫn trực tuyến: không phải địa chỉ http(s) hợp lệ."))
        out["online_url"] = url
    for key, label in (
        ("fine_vnd", _("Tiền phạt")),
        ("budget_revenue_vnd", _("Thu nộp ngân sách")),
        ("defendants", _("Số bị can")),
    ):
        if key in data:
            try:
                out[key] = parse_money(get(key))
            except ValueError:
                errors.add(key, _("%(label)s: phải là số nguyên không âm.") % {"label": label})
    if "sensitive" in data:
        out["sensitive"] = bool(get("sensitive"))
    for key, choices, label in (
        ("visibility", Case.Visibility, _("Phạm vi chia sẻ")),
        ("status", Case.Status, _("Trạng thái")),
        ("outcome", Case.Outcome, _("Kết quả xử lý")),
    ):
        if key in data:
            value = get(key) or ""
            if value and value not in choices.values:
                errors.add(
                    key, _("%(label)s: giá trị “%(value)s” không hợp lệ.") % {"label": label, "value": value}
                )
            out[key] = value

    # Consistency of the handling fields, on the values the case will have after the change.
    def final(key, default=None):
        return out[key] if key in out else (getattr(case, key) if case else default)

    outcome = final("outcome", "")
    if outcome and "status" not in out and (case is None or case.status != Case.Status.CLOSED):
        out["status"] = Case.Status.CLOSED
    status = final("status", Case.Status.DETECTED) or Case.Status.DETECTED
    if not partial:
        out["status"] = status
    if status == Case.Status.CLOSED and not outcome:
        errors.add("outcome", _("Kết quả xử lý: bắt buộc khi vụ việc đã kết thúc."))
    if (final("defendants", 0) or 0) > 0 and outcome != Case.Outcome.CRIMINAL:
        errors.add("defendants", _("Số bị can: chỉ ghi khi kết quả xử lý là khởi tố hình sự."))
    if final("visibility") == Case.Visibility.SHARED and "shared_with" in out and not out["shared_with"]:
        errors.add("shared_with", _("Chia sẻ với: chọn ít nhất một cơ quan."))

    if "goods" in data:
        out["goods"] = _clean_goods(get("goods") or [], errors)
    if "subjects" in data:
        out["subjects"] = _clean_subjects(get("subjects") or [], errors)
    errors.raise_if_any()
    return out


def _clean_goods(lines: list[dict], errors: _Errors) -> list[dict]:
    categories = {c.code: c for c in GoodsCategory.objects.all()}
    cleaned = []
    for i, line in enumerate(lines, start=1):
        prefix = _("Hàng hóa dòng %(n)s") % {"n": i}
        category = categories.get(str(line.get("goods_category") or "").strip())
        if category is None:
            errors.add(
                "goods",
                prefix
                + ": "
                + _("nhóm hàng “%(code)s” không có trong danh mục.")
                % {"code": line.get("goods_category") or ""},
            )
        description = (line.get("description") or "").strip()
        if not description:
            errors.add("goods", prefix + ": " + _("cần mô tả hàng hóa."))
        try:
            quantity = parse_quantity(line.get("quantity"))
        except ValueError:
            quantity = None
            errors.add("goods", prefix + ": " + _("số lượng phải là số không âm."))
        try:
            value = parse_money(line.get("value_vnd"))
        except ValueError:
            value = 0
            errors.add("goods", prefix + ": " + _("trị giá phải là số nguyên không âm (đồng)."))
        disposition = line.get("disposition") or ""
        if disposition and disposition not in CaseGoods.Disposition.values:
            errors.add("goods", prefix + ": " + _("cách xử lý tang vật không hợp lệ."))
        cleaned.append(
            {
                "goods_category": category,
                "description": description[:300],
                "brand": (line.get("brand") or "").strip()[:200],
                "quantity": quantity,
                "unit": (line.get("unit") or "").strip()[:30],
                "value_vnd": value,
                "disposition": disposition,
            }
        )
    return cleaned


def _clean_subjects(rows: list[dict], errors: _Errors) -> list[dict]:
    cleaned = []
    for i, row in enumerate(rows, start=1):
        prefix = _("Đối tượng dòng %(n)s") % {"n": i}
        kind = row.get("kind") or Subject.Kind.PERSON
        if kind not in Subject.Kind.values:
            errors.add("subjects", prefix + ": " + _("loại đối tượng phải là cá nhân hoặc tổ chức."))
        if not (row.get("name") or "").strip():
            errors.add("subjects", prefix + ": " + _("cần nhập họ tên hoặc tên tổ chức."))
        role = row.get("role") or ""
        if role not in CaseSubject.Role.values:
            errors.add("subjects", prefix + ": " + _("vai trò “%(role)s” không hợp lệ.") % {"role": role})
        try:
            birth = parse_date(row.get("birth_date"))
        except ValueError:
            birth = None
            errors.add("subjects", prefix + ": " + _("ngày sinh không đúng dạng."))
        cleaned.append(
            {
                "kind": kind,
                "name": (row.get("name") or "").strip(),
                "role": role,
                "identifier": (row.get("identifier") or "").strip(),
                "birth_date": birth,
                "phone": (row.get("phone") or "").strip()[:20],
                "address": (row.get("address") or "").strip()[:300],
            }
        )
    return cleaned


def _sync_goods(case: Case, lines: list[dict]) -> None:
    """Make the case's goods lines equal to `lines`; unchanged lines are left alone (no audit noise)."""
    keys = ("goods_category", "description", "brand", "quantity", "unit", "value_vnd", "disposition")
    existing = list(case.goods.all())
    for i, wanted in enumerate(lines):
        if i < len(existing):
            line = existing[i]
            changed = False
            for key in keys:
                if getattr(line, key) != wanted[key]:
                    setattr(line, key, wanted[key])
                    changed = True
            if changed:
                line.save()
        else:
            first = wanted["goods_category"] not in {w["goods_category"] for w in lines[:i]}
            CaseGoods.objects.create(
                case=case,
                case_detected_on=case.detected_on,
                counts_category=first,
                **{k: wanted[k] for k in keys},
            )
    for line in existing[len(lines) :]:
        line.delete()


def _sync_subjects(case: Case, rows: list[dict], user) -> None:
    current = {(link.subject_id, link.role): link for link in case.subject_links.select_related("subject")}
    candidates = [link.subject for link in current.values()]
    wanted = set()
    for row in rows:
        subject, _created = subjects.match_or_create(
            kind=row["kind"],
            name=row["name"],
            identifier=row["identifier"],
            birth_date=row["birth_date"],
            phone=row["phone"],
            address=row["address"],
            agency=case.lead_agency,
            user=user,
            candidates=candidates,
        )
        candidates.append(subject)
        key = (subject.pk, row["role"])
        wanted.add(key)
        if key not in current:
            CaseSubject.objects.create(case=case, subject=subject, role=row["role"])
    for key, link in current.items():
        if key not in wanted:
            link.delete()


def refresh_derived(case: Case) -> None:
    """Recompute the goods value and the folded search text after lines or subjects changed, and the
    goods lines' copy of the detection date and first-of-category flag (used by the figures)."""
    seen = set()
    value = 0
    descriptions = []
    stale_first, stale_other = [], []
    for pk, category, day, flag, line_value, description in case.goods.order_by("id").values_list(
        "pk", "goods_category_id", "case_detected_on", "counts_category", "value_vnd", "description"
    ):
        first = category not in seen
        seen.add(category)
        value += line_value
        descriptions.append(description)
        if (day, flag) != (case.detected_on, first):
            (stale_first if first else stale_other).append(pk)
    for pks, first in ((stale_first, True), (stale_other, False)):
        if pks:
            CaseGoods.objects.filter(pk__in=pks).update(
                case_detected_on=case.detected_on, counts_category=first
            )
    names = " ".join(case.subject_links.values_list("subject__name", flat=True))
    folded = fold(
        " ".join(
            [
                case.reference,
                case.agency_ref,
                case.summary,
                case.address,
                case.online_url,
                case.decision_no,
                names,
                " ".join(descriptions),
            ]
        )
    )
    if (value, folded) != (case.goods_value_vnd, case.search_folded):
        Case.objects.filter(pk=case.pk).update(goods_value_vnd=value, search_folded=folded)
        case.goods_value_vnd, case.search_folded = value, folded


def _save_case(user, case: Case, values: dict) -> Case:
    m2m = {
        key: values.pop(key)
        for key in ("other_violation_types", "shared_with", "participating")
        if key in values
    }
    goods = values.pop("goods", None)
    subject_rows = values.pop("subjects", None)
    for key, value in values.items():
        setattr(case, key, value)
    if case.pk is None:
        case.reference = case.reference or take_references(case.detected_on.year)[0]
        case.created_by = user if getattr(user, "pk", None) else None
    case.save()
    if "other_violation_types" in m2m:
        case.other_violation_types.set(m2m["other_violation_types"])
    if "shared_with" in m2m:
        case.shared_with.set(m2m["shared_with"])
    if "participating" in m2m:
        case.participating_agencies.set(m2m["participating"])
    if goods is not None:
        _sync_goods(case, goods)
    if subject_rows is not None:
        _sync_subjects(case, subject_rows, user)
    refresh_derived(case)
    return case


def create_case(user, data: dict) -> Case:
    """Record a new case in one transaction.

    data keys: lead_agency_code, detected_on (date or text), unit_code, address, violation_type (code),
    other_violation_types (codes), summary, online_url, online_platform, agency_ref, origin (such as
    "tip:ABC234"), sensitive, visibility, shared_with and participating (agency codes), status, outcome,
    decision_no, decision_date, issuing_body, fine_vnd, budget_revenue_vnd, defendants,
    goods [{goods_category, description, brand, quantity, unit, value_vnd, disposition}],
    subjects [{kind, name, identifier, birth_date, phone, address, role}].
    Raises ValidationError (Vietnamese messages keyed by field) or PermissionDenied.
    """
    if user is not None and not policy.can(user, "add", Case):
        raise PermissionDenied
    values = _clean_case_data(user, data, None)
    if (
        values.get("agency_ref")
        and Case.objects.filter(lead_agency=values["lead_agency"], agency_ref=values["agency_ref"]).exists()
    ):
        raise ValidationError(
            {"agency_ref": [_("Số hồ sơ của cơ quan: cơ quan này đã có vụ việc mang số này.")]}
        )
    with transaction.atomic():
        return _save_case(user, Case(), values)


def update_case(user, case: Case, data: dict) -> Case:
    """Change a case: only the keys present in `data` are touched (goods/subjects lists replace)."""
    if user is not None and not policy.can(user, "change", case):
        raise PermissionDenied
    values = _clean_case_data(user, data, case)
    ref = values.get("agency_ref", case.agency_ref)
    agency = values.get("lead_agency") or case.lead_agency
    if ref and Case.objects.filter(lead_agency=agency, agency_ref=ref).exclude(pk=case.pk).exists():
        raise ValidationError(
            {"agency_ref": [_("Số hồ sơ của cơ quan: cơ quan này đã có vụ việc mang số này.")]}
        )
    with transaction.atomic():
        return _save_case(user, case, values)


def delete_case(user, case: Case) -> None:
    if not policy.can(user, "delete", case):
        raise PermissionDenied
    with transaction.atomic():
        case.delete()


# ---------------------------------------------------------------- overlap


def possible_duplicates(case: Case, days: int = 3) -> list[dict]:
    """Cases recorded by other agencies that may be the same: a shared subject identifier, or the same
    commune and goods category within `days` days. System scope; callers show only reference,
    agency, date and reason (not the other case's content) unless the user may see it."""
    others = Case.objects.exclude(lead_agency_id=case.lead_agency_id).exclude(pk=case.pk)
    found: dict[int, dict] = {}
    idents = list(
        case.subject_links.exclude(subject__identifier="").values_list("subject__identifier", flat=True)
    )
    if idents:
        for other in others.filter(subject_links__subject__identifier__in=idents).select_related(
            "lead_agency"
        ):
            found.setdefault(other.pk, {"case": other, "reasons": set()})["reasons"].add(
                _("cùng số định danh đối tượng")
            )
    categories = list(case.goods.values_list("goods_category_id", flat=True).distinct())
    if categories:
        window = (case.detected_on - dt.timedelta(days=days), case.detected_on + dt.timedelta(days=days))
        near = (
            others.filter(
                unit_id=case.unit_id, detected_on__range=window, goods__goods_category_id__in=categories
            )
            .select_related("lead_agency")
            .distinct()
        )
        for other in near[:50]:
            found.setdefault(other.pk, {"case": other, "reasons": set()})["reasons"].add(
                _("cùng xã, phường và nhóm hàng trong vòng %(n)s ngày") % {"n": days}
            )
    return [{"case": item["case"], "reasons": sorted(item["reasons"])} for item in found.values()]


# ---------------------------------------------------------------- figures

TOTAL_KEYS = ("cases", "goods_value_vnd", "fines_vnd", "budget_revenue_vnd", "criminal_cases", "defendants")
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


def _year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _change(current, previous):
    if isinstance(current, dict):
        return {
            k: _change(current.get(k, 0), previous.get(k, 0)) for k in sorted(set(current) | set(previous))
        }
    if not previous:
        return None
    return round((current - previous) * 100 / previous, 1)


def summary(
    user,
    date_from: dt.date,
    date_to: dt.date,
    *,
    agency_code: str | None = None,
    unit_code: str | None = None,
) -> dict:
    """Figures of the cases detected in [date_from, date_to] and in the same period a year earlier.

    Definitions (docs/cases.md): a case counts in a period by its detection date, once, under its
    primary violation type and its lead agency; under each goods category present in its goods lines
    (once per category); goods value is the sum of its goods lines; fines are the recorded fines;
    budget revenue is the case's recorded total paid to the state budget (fines already included,
    never added again); a criminal case is one whose outcome is criminal prosecution; defendants are
    summed. change_pct is (current - last year) / last year × 100, one decimal; null when last year is 0.
    `user=None` is system scope; otherwise only cases visible to the user count.
    """
    qs = scoped_cases(user)
    if agency_code:
        qs = qs.filter(lead_agency__code=agency_code)
    if unit_code:
        qs = qs.filter(Q(unit__code=unit_code) | Q(unit__parent__code=unit_code))
    sees_all = user is None or user.is_superuser or policy.is_coordinator(user)
    scoped = not sees_all or bool(agency_code) or bool(unit_code)
    current = _period_totals(qs, (date_from, date_to), scoped)
    previous = _period_totals(qs, (_year_earlier(date_from), _year_earlier(date_to)), scoped)
    return {
        "period": [date_from.isoformat(), date_to.isoformat()],
        "totals": current,
        "same_period_last_year": previous,
        "change_pct": {key: _change(current[key], previous[key]) for key in TOTAL_KEYS + BREAKDOWN_KEYS},
    }


# ---------------------------------------------------------------- inspections


def inspection_figures(user, date_from: dt.date, date_to: dt.date, *, agency_code: str | None = None) -> dict:
    """Planned: inspections planned for a day in the period (not cancelled); done: inspections done
    on a day in the period. `user=None` is system scope."""
    qs = Inspection.objects.all() if user is None else policy.visible_to(user, Inspection.objects.all())
    if agency_code:
        qs = qs.filter(agency__code=agency_code)
    planned = (
        qs.filter(planned_on__range=(date_from, date_to)).exclude(status=Inspection.Status.CANCELLED).count()
    )
    done = qs.filter(status=Inspection.Status.DONE, done_on__range=(date_from, date_to)).count()
    return {"planned": planned, "done": done}


def inspection_overlaps(inspection: Inspection, months: int = 12) -> list[Inspection]:
    """Other agencies' inspections of the same business planned or done within `months` months."""
    day = inspection.date
    window = (day - dt.timedelta(days=months * 365 // 12), day + dt.timedelta(days=months * 365 // 12))
    return list(
        Inspection.objects.filter(business_id=inspection.business_id)
        .exclude(agency_id=inspection.agency_id)
        .exclude(status=Inspection.Status.CANCELLED)
        .filter(Q(planned_on__range=window) | Q(done_on__range=window))
        .select_related("agency")
        .order_by("planned_on")
    )


def save_inspection(
    user, data: dict, inspection: Inspection | None = None
) -> tuple[Inspection, list[Inspection]]:
    """Record or change an inspection. data: agency (Agency), business_name, business_tax_code,
    unit (AdministrativeUnit or None), planned_on, done_on, status, purpose, result.
    Returns (inspection, overlapping inspections of other agencies)."""
    agency = data["agency"]
    if user is not None and not (
        policy.is_coordinator(user) or policy.has_role(user, policy.OFFICER, policy.LEADER, agency=agency)
    ):
        raise PermissionDenied
    if user is not None and inspection is not None and not policy.can(user, "change", inspection):
        raise PermissionDenied
    errors = _Errors()
    if data.get("status") == Inspection.Status.DONE and not data.get("done_on"):
        errors.add("done_on", _("Ngày đã kiểm tra: bắt buộc khi cuộc kiểm tra đã thực hiện."))
    if data.get("done_on") and data["done_on"] > timezone.localdate():
        errors.add("done_on", _("Ngày đã kiểm tra: không được sau ngày hôm nay."))
    errors.raise_if_any()
    with transaction.atomic():
        business, _created = subjects.match_or_create(
            kind=Subject.Kind.ORGANISATION,
            name=data["business_name"],
            identifier=data.get("business_tax_code", ""),
            address=data.get("address", ""),
            agency=agency,
            user=user,
        )
        inspection = inspection or Inspection(created_by=user if getattr(user, "pk", None) else None)
        inspection.agency, inspection.business = agency, business
        for key in ("unit", "planned_on", "done_on", "status", "purpose", "result"):
            if key in data:
                setattr(inspection, key, data[key])
        inspection.save()
    return inspection, inspection_overlaps(inspection)


# ---------------------------------------------------------------- public warnings


def warning_draft(case: Case) -> dict:
    """An anonymised starting text: goods, violation, commune and outcome; never a person's data."""
    categories = sorted({line.goods_category.name for line in case.goods.select_related("goods_category")})
    first = case.goods.select_related("goods_category").first()
    body = _(
        "Ngày %(date)s, lực lượng chức năng phát hiện vụ việc %(type)s tại %(unit)s liên quan đến %(goods)s. "
        "Người dân cần mua hàng ở cơ sở có nguồn gốc rõ ràng và báo ngay cho cơ quan chức năng khi phát hiện "
        "dấu hiệu vi phạm."
    ) % {
        "date": case.detected_on.strftime("%d/%m/%Y"),
        "type": case.violation_type.name.lower(),
        "unit": case.unit.name,
        "goods": ", ".join(categories).lower() or _("hàng hóa"),
    }
    return {
        "title": _("Cảnh báo: %(type)s") % {"type": case.violation_type.name},
        "body": body,
        "goods_category": first.goods_category if first else None,
        "violation_type": case.violation_type,
    }


def _personal_data_in(text: str, case: Case | None) -> list[str]:
    if case is None:
        return []
    folded = fold(text)
    compact = "".join(ch for ch in text if ch.isalnum()).upper()
    found = []
    for link in case.subject_links.select_related("subject"):
        s = link.subject
        if not s.is_person:
            continue
        if s.name_folded and s.name_folded in folded:
            found.append(_("họ tên đối tượng"))
        for value in (s.identifier, "".join(ch for ch in s.phone if ch.isdigit())):
            if value and len(value) >= 6 and value in compact:
                found.append(_("số định danh hoặc điện thoại"))
    return sorted(set(found))


def save_warning(user, data: dict, warning: Warning | None = None, *, publish: bool = False) -> Warning:
    """Create or change a public warning (coordinators only). Text naming a private person of the
    source case (name, ID, phone) is refused."""
    if not policy.is_coordinator(user):
        raise PermissionDenied
    case = data.get("case") if "case" in data else getattr(warning, "case", None)
    if case is not None and case.outcome == "" and case.status != Case.Status.CLOSED:
        raise ValidationError({"case": [_("Vụ việc gốc: chỉ lập cảnh báo từ vụ việc đã xử lý.")]})
    errors = _Errors()
    title, body = (data.get("title") or "").strip(), (data.get("body") or "").strip()
    if not title:
        errors.add("title", _("Tiêu đề: bắt buộc."))
    if not body:
        errors.add("body", _("Nội dung cảnh báo: bắt buộc."))
    leaked = _personal_data_in(f"{title}\n{body}", case)
    if leaked:
        errors.add(
            "body",
            _("Nội dung cảnh báo: không được nêu dữ liệu cá nhân (%(what)s).") % {"what": ", ".join(leaked)},
        )
    errors.raise_if_any()
    with transaction.atomic():
        warning = warning or Warning()
        warning.case, warning.title, warning.body = case, title, body
        warning.goods_category = data.get("goods_category")
        warning.violation_type = data.get("violation_type")
        if publish and not warning.is_published:
            warning.is_published, warning.published_at, warning.published_by = True, timezone.now(), user
        warning.save()
    return warning


def unpublish_warning(user, warning: Warning) -> None:
    if not policy.is_coordinator(user):
        raise PermissionDenied
    with transaction.atomic():
        warning.is_published = False
        warning.save()


def published_warnings():
    return Warning.objects.filter(is_published=True).select_related("goods_category", "violation_type")


# ---------------------------------------------------------------- attachments

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
PHOTO_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}


def _clean_photo(data: bytes) -> tuple[bytes, str, str] | None:
    """Re-encode a photo without its metadata (EXIF GPS position, camera, time); None if not a photo."""
    import io

    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        fmt = image.format
        if fmt not in PHOTO_FORMATS:
            return None
        image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF tag gave, then drop the tag
        # A new image from the pixels alone: no EXIF, XMP, ICC or text chunks survive.
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
        if image.mode == "P" and image.getpalette():
            clean.putpalette(image.getpalette())
        out = io.BytesIO()
        clean.save(out, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None
    content_type, ext = PHOTO_FORMATS[fmt]
    return out.getvalue(), content_type, ext


def add_attachment(user, case: Case, uploaded, description: str = ""):
    """Attach a photo (JPEG/PNG/WebP, metadata stripped) or a PDF of at most 10 MB to a case."""
    from pathlib import Path

    from django.core.files.base import ContentFile
    from django.utils.crypto import get_random_string

    from canhgiac.cases.models import Attachment

    if user is not None and not policy.can(user, "change", case):
        raise PermissionDenied
    if uploaded.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": [_("Tệp đính kèm: tối đa 10 MB.")]})
    data = uploaded.read()
    name = Path(uploaded.name or "tep").name[:150]
    photo = _clean_photo(data)
    if photo is not None:
        data, content_type, ext = photo
        kind = Attachment.Kind.PHOTO
    elif data.startswith(b"%PDF-"):
        content_type, ext, kind = "application/pdf", ".pdf", Attachment.Kind.DOCUMENT
    else:
        raise ValidationError({"file": [_("Tệp đính kèm: chỉ nhận ảnh JPEG, PNG, WebP hoặc văn bản PDF.")]})
    with transaction.atomic():
        attachment = Attachment(
            case=case,
            kind=kind,
            original_name=name,
            content_type=content_type,
            size=len(data),
            description=description[:200],
            uploaded_by=user if getattr(user, "pk", None) else None,
        )
        attachment.file.save(get_random_string(16) + ext, ContentFile(data), save=False)
        attachment.save()
    return attachment


def case_history(case: Case):
    """Audit events of the case and of its goods lines, subjects and attachments, newest first."""
    from canhgiac.audit.models import AuditEvent

    children = ["cases.casegoods", "cases.casesubject", "cases.attachment"]
    return AuditEvent.objects.filter(
        Q(object_type="cases.case", object_id=str(case.pk))
        | Q(object_type__in=children, changes__case_id__after=case.pk)
        | Q(object_type__in=children, changes__case_id__before=case.pk)
    ).order_by("-id")


def export_rows(qs):
    """Header and rows of an export of `qs` (already filtered and scoped)."""
    header = [
        _("Số hiệu"),
        _("Số hồ sơ cơ quan"),
        _("Cơ quan chủ trì"),
        _("Ngày phát hiện"),
        _("Xã, phường"),
        _("Hành vi vi phạm"),
        _("Tóm tắt"),
        _("Trạng thái"),
        _("Kết quả xử lý"),
        _("Trị giá hàng (đồng)"),
        _("Tiền phạt (đồng)"),
        _("Thu nộp ngân sách (đồng)"),
        _("Số bị can"),
    ]
    yield header
    status, outcome = dict(Case.Status.choices), dict(Case.Outcome.choices)
    for c in (
        qs.select_related("lead_agency", "unit", "violation_type")
        .order_by("-detected_on", "-id")
        .iterator(chunk_size=2000)
    ):
        yield [
            c.reference,
            c.agency_ref,
            c.lead_agency.code,
            c.detected_on.strftime("%d/%m/%Y"),
            c.unit.name,
            c.violation_type.name,
            c.summary,
            str(status.get(c.status, c.status)),
            str(outcome.get(c.outcome, "")),
            c.goods_value_vnd,
            c.fine_vnd,
            c.budget_revenue_vnd,
            c.defendants,
        ]


def subject_cases(user, subject):
    """The subject's roles in the cases `user` may see, newest first (used by the subjects pages)."""
    return (
        CaseSubject.objects.filter(subject=subject, case__in=scoped_cases(user).values("pk"))
        .select_related("case", "case__lead_agency", "case__violation_type")
        .order_by("-case__detected_on")
    )
