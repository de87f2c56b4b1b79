"""The rules of a case, written once and used by every door: the form and the API (through
`services.create_case`/`update_case`) and the file import (`imports.py`).

The rules take Python values (each door parses its own text: the form's fields, the API's JSON, the
import's cells) and return (key, message) pairs; the key is the service's field name. The form and
API show "Label: message", the import "Dòng N, cột column: message" — the same message either way.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canhgiac.cases.models import Case, CaseGoods, CaseSubject
from canhgiac.core.errors import Errors, FieldError, ServiceError  # noqa: F401  (the one error type)
from canhgiac.subjects.models import Subject

FieldErrors = Errors  # the collector's older name

LABELS = {
    "lead_agency_code": gettext_lazy("Cơ quan chủ trì"),
    "unit_code": gettext_lazy("Xã, phường"),
    "violation_type": gettext_lazy("Hành vi vi phạm"),
    "detected_on": gettext_lazy("Ngày phát hiện"),
    "decision_date": gettext_lazy("Ngày quyết định"),
    "summary": gettext_lazy("Tóm tắt vụ việc"),
    "online_url": gettext_lazy("Đường dẫn trực tuyến"),
    "fine_vnd": gettext_lazy("Tiền phạt"),
    "budget_revenue_vnd": gettext_lazy("Thu nộp ngân sách"),
    "defendants": gettext_lazy("Số bị can"),
    "outcome": gettext_lazy("Kết quả xử lý"),
}
_url = URLValidator(schemes=["http", "https"])


def labelled(key: str, message: str) -> str:
    """The form/API spelling of a rule's message: "Label: message"."""
    label = LABELS.get(key)
    return f"{label}: {message}" if label else message


def not_a_date(value) -> str:
    return _("“%(v)s” không phải ngày dạng YYYY-MM-DD hoặc dd/mm/yyyy.") % {"v": value}


def not_a_whole_number(value) -> str:
    return _("“%(v)s” không phải số nguyên không âm.") % {"v": value}


def not_a_number(value) -> str:
    return _("“%(v)s” không phải số không âm.") % {"v": value}


def detected_on(day: dt.date | None, today: dt.date) -> str | None:
    if day is None:
        return _("bắt buộc.")
    if day > today:
        return _("không được sau ngày hôm nay.")
    return None


def required(text: str) -> str | None:
    return None if text else _("bắt buộc.")


def online_url(url: str) -> str | None:
    if not url:
        return None
    try:
        _url(url)
    except ValidationError:
        return _("“%(v)s” không phải địa chỉ http(s) hợp lệ.") % {"v": url}
    return None


def handling(status: str, outcome: str, defendants: int) -> list[tuple[str, str]]:
    """Consistency of the handling fields, on the values the case will have."""
    found = []
    if status == Case.Status.CLOSED and not outcome:
        found.append(("outcome", _("bắt buộc khi vụ việc đã kết thúc.")))
    if (defendants or 0) > 0 and outcome != Case.Outcome.CRIMINAL:
        found.append(("defendants", _("chỉ ghi khi kết quả xử lý là khởi tố hình sự.")))
    return found


def goods_line(category, code, description: str, disposition: str = "") -> list[tuple[str, str]]:
    """A goods line: keys goods_category, description, disposition (values parsed by the door;
    `category` is None when `code` is not in the list)."""
    found = []
    if category is None:
        found.append(
            ("goods_category", _("nhóm hàng “%(code)s” không có trong danh mục.") % {"code": code or ""})
        )
    if not description:
        found.append(("description", _("cần mô tả hàng hóa.")))
    if disposition and disposition not in CaseGoods.Disposition.values:
        found.append(("disposition", _("cách xử lý tang vật không hợp lệ.")))
    return found


_KINDS, _ROLES = set(Subject.Kind.values), set(CaseSubject.Role.values)


def subject(kind: str, name: str, role: str) -> list[tuple[str, str]]:
    """A subject row: keys kind, name, role."""
    found = []
    if kind not in _KINDS:
        found.append(("kind", _("loại đối tượng phải là person (cá nhân) hoặc organisation (tổ chức).")))
    if not name:
        found.append(("name", _("cần nhập họ tên hoặc tên tổ chức.")))
    if role not in _ROLES:
        found.append(
            ("role", _("vai trò phải là một trong: owner, seller, transporter, organiser, accomplice."))
        )
    return found
