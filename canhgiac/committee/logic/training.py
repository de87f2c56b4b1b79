"""Training courses with attendance by agency and commune (seed 004 3.1), and the library of
handbooks and materials officers search (3.2). Search folds case and diacritics ("so tay" finds
"Sổ tay")."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from canhgiac.committee.logic.common import agency_in, date, require_add, text
from canhgiac.committee.models import Attendance, Course, Material
from canhgiac.core import policy
from canhgiac.core.errors import Errors
from canhgiac.core.text import fold

MATERIAL_EXTENSIONS = {
    ".pdf",
    ".doc",
    ".docx",
    ".odt",
    ".ppt",
    ".pptx",
    ".odp",
    ".xls",
    ".xlsx",
    ".jpg",
    ".png",
}


def visible_courses(user, province=None):
    qs = policy.visible_to(user, Course.objects.all())
    if province is not None:
        qs = qs.filter(province=province)
    return qs.select_related("organiser").annotate(people=Sum("attendance__participants"))


@transaction.atomic
def create_course(user, province, data: dict) -> Course:
    require_add(user, Course, province)
    errors = Errors()
    title = text(data, "title", errors, _("Tên lớp tập huấn"), max_length=300)
    starts_on = date(data, "starts_on", errors, _("Từ ngày"))
    ends_on = date(data, "ends_on", errors, _("Đến ngày"))
    organiser = agency_in(province, data.get("organiser"), errors, "organiser")
    if starts_on and ends_on and ends_on < starts_on:
        errors.add("ends_on", _("Ngày kết thúc trước ngày bắt đầu."))
    errors.raise_if_any()
    return Course.objects.create(
        province=province,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        organiser=organiser,
        location=text(data, "location", errors, _("Địa điểm"), required=False, max_length=200),
        topics=text(data, "topics", errors, _("Nội dung"), required=False),
    )


@transaction.atomic
def set_attendance(user, course: Course, data: dict) -> Attendance | None:
    """How many people of an agency or commune attended (0 removes the line)."""
    policy.require(user, "change", course)
    errors = Errors()
    agency = agency_in(course.province, data.get("agency"), errors, "agency")
    raw = str(data.get("participants") or "").replace(".", "").strip()
    if not raw.isdigit():
        errors.add("participants", _("Số người tham dự: ghi một số nguyên."))
    errors.raise_if_any()
    count = int(raw)
    row = Attendance.objects.filter(course=course, agency=agency).first()
    if count == 0:
        if row is not None:
            row.delete()
        return None
    names = text(data, "names", errors, _("Danh sách"), required=False)
    if row is None:
        return Attendance.objects.create(course=course, agency=agency, participants=count, names=names)
    row.participants, row.names = count, names
    row.save()
    return row


@transaction.atomic
def add_material(user, province, data: dict, file=None) -> Material:
    require_add(user, Material, province)
    errors = Errors()
    kind = data.get("kind")
    if kind not in Material.Kind.values:
        errors.add("kind", _("Loại tài liệu không hợp lệ."))
    title = text(data, "title", errors, _("Tên tài liệu"), max_length=300)
    published_on = date(data, "published_on", errors, _("Ngày phát hành"))
    course = None
    if data.get("course"):
        course = Course.objects.filter(
            province=province, pk=getattr(data["course"], "pk", data["course"])
        ).first()
        if course is None:
            errors.add("course", _("Lớp tập huấn không thuộc tỉnh này."))
    if file is not None and Path(file.name).suffix.lower() not in MATERIAL_EXTENSIONS:
        errors.add("file", _("Tệp phải là PDF, Word, PowerPoint, Excel hoặc ảnh."))
    elif file is not None and file.size > 50 * 1024 * 1024:
        errors.add("file", _("Tệp không được lớn hơn 50 MB."))
    errors.raise_if_any()
    return Material.objects.create(
        province=province,
        kind=kind,
        title=title,
        summary=text(data, "summary", errors, _("Tóm tắt"), required=False),
        file=file or "",
        course=course,
        published_on=published_on,
    )


def search_materials(user, province=None, q: str = "", kind: str = ""):
    """Materials the user reads, each word of `q` found in the title or summary (folded)."""
    qs = policy.visible_to(user, Material.objects.all())
    if province is not None:
        qs = qs.filter(province=province)
    for word in fold(q or "").split():
        qs = qs.filter(search_folded__contains=word)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("course")
