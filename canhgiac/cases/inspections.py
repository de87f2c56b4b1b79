"""Inspections of businesses by agencies, and the 12-month overlap warning across agencies."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.cases.models import Inspection
from canhgiac.cases.validation import FieldErrors
from canhgiac.core import policy
from canhgiac.subjects import services as subjects
from canhgiac.subjects.models import Subject


def inspection_overlaps(inspection: Inspection, months: int = 12) -> list[Inspection]:
    """Other agencies' inspections of the same business planned or done within `months` months."""
    day = inspection.date
    window = (day - dt.timedelta(days=months * 365 // 12), day + dt.timedelta(days=months * 365 // 12))
    return list(
        # Each agency keeps its own record of the business: compare on the tax code across records.
        Inspection.objects.filter(business__in=subjects.same_identity(inspection.business))
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
    if user is not None:
        policy.require(user, "add", Inspection, agency=agency)
        if inspection is not None:
            policy.require(user, "change", inspection)
    errors = FieldErrors()
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
