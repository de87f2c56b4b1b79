"""Helpers shared by the committee's services: the province a user works in, checks, errors."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.core import policy
from canhgiac.core.errors import Errors
from canhgiac.directory.models import AdministrativeUnit, Agency


def today() -> dt.date:
    return timezone.localdate()


def provinces_for(user):
    """Provinces whose committee records the user reads (national administrators: every one loaded)."""
    qs = AdministrativeUnit.objects.filter(parent=None).order_by("code")
    ids = policy.province_ids(user)
    return qs if ids is None else qs.filter(pk__in=ids)


def province_of(user, code: str | None = None) -> AdministrativeUnit | None:
    """The province asked for (by code) among the user's, else the user's first."""
    provinces = list(provinces_for(user))
    return next((p for p in provinces if p.code == code), provinces[0] if provinces else None)


def managed_province(user, province) -> bool:
    """May the user write the committee's records of `province` (the Standing Office)?"""
    return policy.is_coordinator(user, province=province)


def require_add(user, model, province) -> None:
    if not policy.can(user, "add", model, province=province):
        raise PermissionDenied(_("Chỉ Cơ quan Thường trực Ban Chỉ đạo 389 của tỉnh được cập nhật mục này."))


def agencies_in(province, ids, errors: Errors, field: str, *, required=True) -> list[Agency]:
    """The active agencies of `province` among `ids`; an id of another province is an error."""
    wanted = {int(i) for i in ids or [] if str(i).strip().isdigit()}
    found = list(Agency.objects.filter(province=province, pk__in=wanted, is_active=True))
    if len(found) != len(wanted) or len(wanted) != len([i for i in ids or [] if str(i).strip()]):
        errors.add(field, _("Có cơ quan không thuộc tỉnh này hoặc không hợp lệ."))
    elif required and not found:
        errors.add(field, _("Chọn ít nhất một cơ quan."))
    return found


def agency_in(province, value, errors: Errors, field: str, *, required=True) -> Agency | None:
    if value in (None, ""):
        if required:
            errors.add(field, _("Chọn cơ quan."))
        return None
    agency = Agency.objects.filter(province=province, pk=getattr(value, "pk", value)).first()
    if agency is None:
        errors.add(field, _("Cơ quan không thuộc tỉnh này."))
    return agency


def text(data: dict, key: str, errors: Errors, label, *, required=True, max_length=None) -> str:
    value = " ".join(str(data.get(key) or "").split()) if max_length else str(data.get(key) or "").strip()
    if required and not value:
        errors.add(key, _("%(f)s: bắt buộc.") % {"f": label})
    if max_length and len(value) > max_length:
        errors.add(key, _("%(f)s: dài quá %(n)s ký tự.") % {"f": label, "n": max_length})
    return value


def date(data: dict, key: str, errors: Errors, label, *, required=True) -> dt.date | None:
    from canhgiac.core.dates import parse_date

    value = data.get(key)
    if isinstance(value, dt.date):
        return value
    if value in (None, ""):
        if required:
            errors.add(key, _("%(f)s: bắt buộc (dd/mm/yyyy).") % {"f": label})
        return None
    try:
        parsed = parse_date(str(value))
    except (ValueError, TypeError):
        parsed = None
    if parsed is None:
        errors.add(key, _("%(f)s: ngày không hợp lệ, ghi dd/mm/yyyy.") % {"f": label})
    return parsed
