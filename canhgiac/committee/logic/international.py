"""International focal points and exchanges (seed 004 8.2, 8.3): counterparts across the border
(Cambodia for Đắk Lắk, China for Lạng Sơn) with our side's contact point, and each exchange."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canhgiac.committee.logic.common import agency_in, date, require_add, text
from canhgiac.committee.models import Exchange, FocalPoint
from canhgiac.core import policy
from canhgiac.core.errors import Errors

COUNTRIES = {
    "KH": gettext_lazy("Campuchia"),
    "CN": gettext_lazy("Trung Quốc"),
    "LA": gettext_lazy("Lào"),
}
# The neighbour across each province's border, as seed 004 names it for Đắk Lắk and seed 003 for Lạng Sơn.
DEFAULT_COUNTRY = {"dak_lak": "KH", "lang_son": "CN"}


def default_country(province) -> str:
    return DEFAULT_COUNTRY.get(province.codename, "")


def visible_focal_points(user, province=None):
    qs = policy.visible_to(user, FocalPoint.objects.all())
    if province is not None:
        qs = qs.filter(province=province)
    return qs.select_related("agency").prefetch_related("exchanges")


@transaction.atomic
def add_focal_point(user, province, data: dict) -> FocalPoint:
    require_add(user, FocalPoint, province)
    errors = Errors()
    country = data.get("country")
    if country not in COUNTRIES:
        errors.add("country", _("Chọn nước đối tác."))
    counterpart = text(data, "counterpart", errors, _("Cơ quan đối tác"), max_length=300)
    agency = agency_in(province, data.get("agency"), errors, "agency")
    errors.raise_if_any()
    return FocalPoint.objects.create(
        province=province,
        country=country,
        counterpart=counterpart,
        contact=text(data, "contact", errors, _("Đầu mối"), required=False, max_length=300),
        channel=text(data, "channel", errors, _("Kênh liên lạc"), required=False, max_length=300),
        agency=agency,
    )


@transaction.atomic
def add_exchange(user, focal_point: FocalPoint, data: dict) -> Exchange:
    policy.require(user, "change", focal_point)
    errors = Errors()
    held_on = date(data, "held_on", errors, _("Ngày trao đổi"))
    kind = text(data, "kind", errors, _("Hình thức"), max_length=200)
    subject = text(data, "subject", errors, _("Nội dung"))
    errors.raise_if_any()
    return Exchange.objects.create(
        province=focal_point.province,
        focal_point=focal_point,
        held_on=held_on,
        kind=kind,
        subject=subject,
        outcome=text(data, "outcome", errors, _("Kết quả"), required=False),
    )
