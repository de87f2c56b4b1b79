"""The cases register: every write and every figure about cases goes through here.

Doors (views, API, CLI, tasks, other apps) call these functions; each multi-row write is one
transaction, each read is scoped with `visible_to(user, ...)` (user=None means system scope).
The figures (figures.py), inspections (inspections.py) and public warnings (public_warnings.py) live in
their own modules and are re-exported here, so this module stays the one door.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.cases import subject_links, validation  # noqa: F401  (subject_links: read by subjects.network)
from canhgiac.cases.figures import (  # noqa: F401  (services is the door: these are part of it)
    BREAKDOWN_KEYS,
    MONTHLY_KEYS,
    TOTAL_KEYS,
    by_violation_type,
    cases_by_unit,
    inspection_figures,
    monthly_figures,
    online_split,
    online_split_compared,
    prosecution_figures,
    scoped_cases,
    summary,
)
from canhgiac.cases.inspections import inspection_overlaps, save_inspection  # noqa: F401
from canhgiac.cases.models import Case, CaseGoods, CaseSubject, ReferenceCounter
from canhgiac.cases.public_warnings import (  # noqa: F401
    last_warning_published,
    published_warnings,
    save_warning,
    search_warnings,
    unpublish_warning,
    warning_draft,
    warnings_published_between,
)
from canhgiac.cases.validation import FieldErrors
from canhgiac.core import policy
from canhgiac.core.dates import parse_date  # re-exported: imports and the API call services.parse_date
from canhgiac.core.text import fold
from canhgiac.directory import services as directory
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


def writable_agencies(user, roles: tuple[str, ...] | None = None):
    """Agencies the user may record cases for (lead agency choices): where they are officer or leader
    (`roles` narrows or widens that), every agency of their province for coordinators."""
    from canhgiac.cases.rules import ADD_ROLES, overseen_provinces

    roles = roles or ADD_ROLES
    qs = Agency.objects.filter(is_active=True)
    if policy.is_national_admin(user):
        return qs
    ids = {m.agency_id for m in user.active_memberships() if m.role in roles}
    return qs.filter(Q(pk__in=ids) | Q(province_id__in=overseen_provinces(user)))


# ---------------------------------------------------------------- parsing helpers (shared with imports)


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
    "signs_of_crime",
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


def _by_code(model, code, errors: FieldErrors, field: str, message: str, province=None):
    if code in (None, ""):
        return None
    if model is Agency:  # short codes repeat in every province: look in the user's own
        obj = directory.agency_by_code(code, province or directory.home_province())
    else:
        obj = model.objects.filter(code=str(code).strip()).first()
    if obj is None:
        errors.add(field, message % {"code": code})
    return obj


def _clean_case_data(user, data: dict, case: Case | None) -> dict:
    """Validate `data` (see create_case) into model values; raise ValidationError keyed by field."""
    errors = FieldErrors()
    out: dict = {}
    get = data.get
    partial = case is not None
    province = case.lead_agency.province if case is not None else directory.home_province(user)

    def present(key):
        return not partial or key in data

    if present("lead_agency_code"):
        agency = _by_code(
            Agency,
            get("lead_agency_code"),
            errors,
            "lead_agency_code",
            _("Cơ quan chủ trì: không có cơ quan mã “%(code)s”."),
            province,
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
        lead = out.get("lead_agency") or (case.lead_agency if case is not None else None)
        if unit is not None and lead is not None and (unit.parent_id or unit.pk) != lead.province_id:
            # a case is its province's: recorded in one of the lead agency's province's communes
            errors.add("unit_code", _("Xã, phường: không thuộc tỉnh của cơ quan chủ trì."))
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
                    Agency, code, errors, key, label + ": " + _("không có cơ quan mã “%(code)s”."), province
                )
                if agency is not None:
                    found.append(agency)
            out[key] = found

    def rule(key, message):
        if message:
            errors.add(key, validation.labelled(key, message))

    if present("detected_on"):
        try:
            detected = parse_date(get("detected_on"))
        except ValueError:
            detected = None
            rule("detected_on", validation.not_a_date(get("detected_on")))
        else:
            rule("detected_on", validation.detected_on(detected, timezone.localdate()))
        out["detected_on"] = detected
    if present("decision_date") and get("decision_date") not in (None, ""):
        try:
            out["decision_date"] = parse_date(get("decision_date"))
        except ValueError:
            rule("decision_date", validation.not_a_date(get("decision_date")))
    elif "decision_date" in data:
        out["decision_date"] = None

    if present("summary"):
        summary = (get("summary") or "").strip()
        rule("summary", validation.required(summary))
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
        rule("online_url", validation.online_url(url))
        out["online_url"] = url
    for key in ("fine_vnd", "budget_revenue_vnd", "defendants"):
        if key in data:
            try:
                out[key] = parse_money(get(key))
            except ValueError:
                rule(key, validation.not_a_whole_number(get(key)))
    if "sensitive" in data:
        out["sensitive"] = bool(get("sensitive"))
    if "signs_of_crime" in data:
        out["signs_of_crime"] = bool(get("signs_of_crime"))
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
    for key, message in validation.handling(status, outcome, final("defendants", 0)):
        rule(key, message)
    if final("visibility") == Case.Visibility.SHARED and "shared_with" in out and not out["shared_with"]:
        errors.add("shared_with", _("Chia sẻ với: chọn ít nhất một cơ quan."))

    if "goods" in data:
        out["goods"] = _clean_goods(get("goods") or [], errors)
    if "subjects" in data:
        out["subjects"] = _clean_subjects(get("subjects") or [], errors)
    errors.raise_if_any()
    return out


def _product_for_line(value, prefix: str, errors: FieldErrors):
    """The registered product a goods line names by its GTIN (through the goods app's services),
    None when blank; a bad or unknown GTIN is the line's error."""
    from canhgiac.goods import services as goods

    gtin = str(value or "").strip()
    if not gtin:
        return None
    try:
        goods.clean_gtin(gtin)
    except ValueError as exc:
        errors.add("goods", prefix + ": " + _("mã GTIN %(reason)s") % {"reason": str(exc)})
        return None
    product = goods.product_by_gtin(gtin)
    if product is None:
        errors.add(
            "goods",
            prefix
            + ": "
            + _("mã GTIN %(gtin)s chưa được đăng ký trong cơ sở dữ liệu hàng hóa.") % {"gtin": gtin},
        )
    return product


def _clean_goods(lines: list[dict], errors: FieldErrors) -> list[dict]:
    categories = {c.code: c for c in GoodsCategory.objects.all()}
    cleaned = []
    for i, line in enumerate(lines, start=1):
        prefix = _("Hàng hóa dòng %(n)s") % {"n": i}
        code = str(line.get("goods_category") or "").strip()
        category = categories.get(code)
        description = (line.get("description") or "").strip()
        disposition = line.get("disposition") or ""
        for _key, message in validation.goods_line(category, code, description, disposition):
            errors.add("goods", prefix + ": " + message)
        try:
            quantity = parse_quantity(line.get("quantity"))
        except ValueError:
            quantity = None
            errors.add(
                "goods", prefix + ": " + _("số lượng: ") + validation.not_a_number(line.get("quantity"))
            )
        try:
            value = parse_money(line.get("value_vnd"))
        except ValueError:
            value = 0
            errors.add(
                "goods", prefix + ": " + _("trị giá: ") + validation.not_a_whole_number(line.get("value_vnd"))
            )
        cleaned.append(
            {
                "goods_category": category,
                "description": description[:300],
                "brand": (line.get("brand") or "").strip()[:200],
                "quantity": quantity,
                "unit": (line.get("unit") or "").strip()[:30],
                "value_vnd": value,
                "disposition": disposition,
                "product": _product_for_line(line.get("product_gtin"), prefix, errors),
            }
        )
    return cleaned


def _clean_subjects(rows: list[dict], errors: FieldErrors) -> list[dict]:
    cleaned = []
    for i, row in enumerate(rows, start=1):
        prefix = _("Đối tượng dòng %(n)s") % {"n": i}
        kind = row.get("kind") or Subject.Kind.PERSON
        role = row.get("role") or ""
        for _key, message in validation.subject(kind, (row.get("name") or "").strip(), role):
            errors.add("subjects", prefix + ": " + message)
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
    keys = (
        "goods_category",
        "description",
        "brand",
        "quantity",
        "unit",
        "value_vnd",
        "disposition",
        "product",
    )
    existing = list(case.goods.all())
    for i, wanted in enumerate(lines):
        if i < len(existing):
            line = existing[i]
            changed = False
            for key in keys:
                if getattr(line, key) != wanted.get(key):
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
                **{k: wanted.get(k) for k in keys},
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


def search_text(case: Case, names, descriptions) -> str:
    """The folded text the case list searches: references, summary, address, link, decision number,
    subjects' names and goods descriptions."""
    parts = [case.reference, case.agency_ref, case.summary, case.address, case.online_url, case.decision_no]
    return fold(" ".join([*parts, " ".join(names), " ".join(descriptions)]))


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
    folded = search_text(case, case.subject_links.values_list("subject__name", flat=True), descriptions)
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
    if user is not None:
        policy.require(user, "add", Case)
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
    if user is not None:
        policy.require(user, "change", case)
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
    policy.require(user, "delete", case)
    with transaction.atomic():
        case.delete()


# ---------------------------------------------------------------- overlap


def possible_duplicates(case: Case, days: int = 3) -> list[dict]:
    """Cases recorded by other agencies that may be the same: a shared subject identifier, or the same
    commune and goods category within `days` days. System scope: pages show it through
    `duplicates_for`, which keeps out what the user may not see."""
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


def duplicates_for(user, case: Case, days: int = 3) -> dict:
    """`possible_duplicates` as `user` may know them. `cases`: the matches the policy lets the user
    see (reference, agency, date, reasons); `holders`: for matches in cases the user may not see,
    only each holding agency's contact — no reference, date or reason."""
    found = possible_duplicates(case, days)
    visible = set(
        policy.visible_to(user, Case.objects.filter(pk__in=[f["case"].pk for f in found])).values_list(
            "pk", flat=True
        )
    )
    hidden = {f["case"].lead_agency_id: f["case"].lead_agency for f in found if f["case"].pk not in visible}
    return {
        "cases": [f for f in found if f["case"].pk in visible],
        "holders": [subjects.agency_contact(a) for a in sorted(hidden.values(), key=lambda a: a.code)],
    }


# ---------------------------------------------------------------- attachments

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def _clean_photo(data: bytes) -> tuple[bytes, str, str] | None:
    """The photo re-encoded without its metadata, or None when the file is not a supported photo."""
    from canhgiac.core import photos

    try:
        return photos.clean_photo(data, quality=90)
    except photos.PhotoTooLarge as exc:
        raise ValidationError({"file": [_("Tệp đính kèm: %(reason)s") % {"reason": exc}]})
    except (photos.NotAPhoto, photos.UnsupportedPhoto):
        return None


def add_attachment(user, case: Case, uploaded, description: str = ""):
    """Attach a photo (JPEG/PNG/WebP, metadata stripped) or a PDF of at most 10 MB to a case."""
    from pathlib import Path

    from django.core.files.base import ContentFile
    from django.utils.crypto import get_random_string

    from canhgiac.cases.models import Attachment

    if user is not None:
        policy.require(user, "change", case)
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


def subjects_cases(user, subjects):
    """The roles of several subjects (one entity's records) in the cases `user` may see, newest
    first, in one query (used by the entity page)."""
    return (
        CaseSubject.objects.filter(subject__in=subjects, case__in=scoped_cases(user).values("pk"))
        .select_related("case", "case__lead_agency", "case__violation_type")
        .order_by("-case__detected_on")
    )


def subject_cases(user, subject):
    """The subject's roles in the cases `user` may see, newest first (used by the subjects pages)."""
    return (
        CaseSubject.objects.filter(subject=subject, case__in=scoped_cases(user).values("pk"))
        .select_related("case", "case__lead_agency", "case__violation_type")
        .order_by("-case__detected_on")
    )


# --- goods lines and the goods database (issue 13) ----------------------------------------------


def goods_line_for(user, line_id) -> CaseGoods | None:
    """A goods line of a case `user` may see (None otherwise), with its case, commune and
    violation type."""
    try:
        line_id = int(line_id)
    except (TypeError, ValueError):
        return None
    cases = policy.visible_to(user, Case.objects.all()) if user is not None else Case.objects.all()
    return (
        CaseGoods.objects.select_related("case__unit", "case__violation_type", "goods_category")
        .filter(pk=line_id, case__in=cases)
        .first()
    )


def is_counterfeit_line(line: CaseGoods) -> bool:
    """A goods line of a case of counterfeit goods (its violation type or one of its others)."""
    case = line.case
    if case.violation_type.code == "counterfeit":
        return True
    return case.other_violation_types.filter(code="counterfeit").exists()


def cases_naming_product(user, product, limit: int = 50) -> list[Case]:
    """The cases `user` may see with a goods line naming `product`, newest first."""
    ids = CaseGoods.objects.filter(product=product).values("case_id")
    return list(
        policy.visible_to(user, Case.objects.filter(pk__in=ids))
        .select_related("lead_agency", "unit", "violation_type")
        .order_by("-detected_on", "-id")[:limit]
    )


def name_product_on_line(user, line_id, product) -> CaseGoods:
    """Name a registered product on a goods line (the case's change right; None: system scope)."""
    line = CaseGoods.objects.select_related("case").get(pk=line_id)
    if user is not None:
        policy.require(user, "change", line.case)
    if line.product_id != getattr(product, "pk", None):
        line.product = product
        line.save()
    return line


def demo_counterfeit_line(goods_category_id) -> int | None:
    """For `canhgiac demo`: the first demo counterfeit case's goods line of this category."""
    return (
        CaseGoods.objects.filter(
            case__origin="demo", case__violation_type__code="counterfeit", goods_category_id=goods_category_id
        )
        .order_by("id")
        .values_list("pk", flat=True)
        .first()
    )


def subjects_in_cases(subject_ids) -> set[int]:
    """Which of these subjects are in a case (system scope: the online app's risk rule says only
    that the seller is in a case, never which)."""
    ids = [i for i in subject_ids if i]
    if not ids:
        return set()
    return set(CaseSubject.objects.filter(subject_id__in=ids).values_list("subject_id", flat=True).distinct())
