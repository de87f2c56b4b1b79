"""Anonymised public warnings drawn from handled cases, published by the Standing Office."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.cases.models import Case, Warning
from canhgiac.cases.validation import FieldErrors
from canhgiac.core import policy
from canhgiac.core.text import fold


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
    case = data.get("case") if "case" in data else getattr(warning, "case", None)
    policy.require(user, "cases.publish_warning", case)
    if warning is not None:
        policy.require(user, "change", warning)
    if case is not None and case.outcome == "" and case.status != Case.Status.CLOSED:
        raise ValidationError({"case": [_("Vụ việc gốc: chỉ lập cảnh báo từ vụ việc đã xử lý.")]})
    errors = FieldErrors()
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
    policy.require(user, "change", warning)
    with transaction.atomic():
        warning.is_published = False
        warning.save()


def published_warnings():
    return Warning.objects.filter(is_published=True).select_related("goods_category", "violation_type")


def last_warning_published(province):
    """When the last public warning of `province` was published (drawn from one of its cases, or
    published without a case by one of its staff); None if never."""
    from django.db.models import Max, Q

    return (
        Warning.objects.filter(is_published=True)
        .filter(
            Q(case__lead_agency__province=province)
            | Q(case=None, published_by__memberships__agency__province=province)
        )
        .aggregate(at=Max("published_at"))["at"]
    )


def warnings_published_between(province, start, end) -> int:
    """How many public warnings of `province` (as last_warning_published) were published in
    [start, end) — aware datetimes."""
    from django.db.models import Q

    return (
        Warning.objects.filter(is_published=True, published_at__gte=start, published_at__lt=end)
        .filter(
            Q(case__lead_agency__province=province)
            | Q(case=None, published_by__memberships__agency__province=province)
        )
        .values("pk")
        .distinct()
        .count()
    )


def search_warnings(q: str, limit: int = 20):
    """Published warnings whose title or text contains `q` (accents and case ignored)."""
    words = fold(q).split()
    if not words:
        return []
    found = []
    for w in published_warnings().order_by("-published_at", "-id")[:1000]:
        text = fold(f"{w.title} {w.body}")
        if all(word in text for word in words):
            found.append(w)
            if len(found) >= limit:
                break
    return found
