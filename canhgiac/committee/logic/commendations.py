"""Commendations (thi đua, khen thưởng, seed 000 §5): proposals and decisions for units and
persons, drawn from results: the proposal form shows the unit's recorded results over the chosen
period (cases it led and the plan tasks it finished on time) from the cases and plans services,
and the achievement text starts from them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from canhgiac.committee.logic.common import agency_in, date, require_add, text
from canhgiac.committee.models import Commendation
from canhgiac.core import policy
from canhgiac.core.errors import Errors


def visible_commendations(user, province=None):
    qs = policy.visible_to(user, Commendation.objects.all())
    if province is not None:
        qs = qs.filter(province=province)
    return qs.select_related("agency")


def results_for(agency, date_from: dt.date, date_to: dt.date) -> dict:
    """What the unit achieved in [date_from, date_to], counted by the apps that own the figures."""
    from canhgiac.cases import services as cases
    from canhgiac.plans import services as plans

    totals = cases.summary(
        None, date_from, date_to, agency_code=agency.code, province_code=agency.province.code
    )["totals"]
    row = next((r for r in plans.scorecard(None, as_of=date_to) if r["agency"].pk == agency.pk), None)
    return {
        "cases": totals["cases"],
        "fines_vnd": totals["fines_vnd"],
        "budget_revenue_vnd": totals["budget_revenue_vnd"],
        "tasks_due": row["total"] if row else 0,
        "tasks_on_time": row["done_on_time"] if row else 0,
    }


def results_text(results: dict, date_from: dt.date, date_to: dt.date) -> str:
    from canhgiac.core.templatetags.cg import vnnum

    return _(
        "Từ %(f)s đến %(t)s: chủ trì phát hiện, xử lý %(c)s vụ việc, phạt %(fine)s đồng, thu nộp ngân "
        "sách %(rev)s đồng; hoàn thành đúng hạn %(ok)s/%(due)s phần việc kế hoạch đã đến hạn."
    ) % {
        "f": f"{date_from:%d/%m/%Y}",
        "t": f"{date_to:%d/%m/%Y}",
        "c": vnnum(results["cases"]),
        "fine": vnnum(results["fines_vnd"]),
        "rev": vnnum(results["budget_revenue_vnd"]),
        "ok": results["tasks_on_time"],
        "due": results["tasks_due"],
    }


@transaction.atomic
def propose_commendation(user, province, data: dict) -> Commendation:
    require_add(user, Commendation, province)
    errors = Errors()
    nominee = data.get("nominee_kind")
    if nominee not in Commendation.Nominee.values:
        errors.add("nominee_kind", _("Chọn tập thể hoặc cá nhân."))
    agency = agency_in(province, data.get("agency"), errors, "agency")
    person = text(data, "person_name", errors, _("Họ tên cá nhân"), required=False, max_length=200)
    if nominee == Commendation.Nominee.PERSON and not person:
        errors.add("person_name", _("Khen thưởng cá nhân: ghi họ tên."))
    award = text(data, "award", errors, _("Hình thức khen thưởng"), max_length=200)
    achievements = text(data, "achievements", errors, _("Thành tích"), required=False)
    proposed_on = date(data, "proposed_on", errors, _("Ngày đề nghị"))
    date_from = date(data, "results_from", errors, _("Kết quả từ ngày"), required=False)
    date_to = date(data, "results_to", errors, _("Kết quả đến ngày"), required=False)
    if not achievements and not (date_from and date_to):
        errors.add(
            "achievements", _("Ghi thành tích, hoặc chọn khoảng thời gian để lấy kết quả từ hệ thống.")
        )
    if date_from and date_to and date_to < date_from:
        errors.add("results_to", _("Ngày cuối trước ngày đầu."))
    errors.raise_if_any()
    if date_from and date_to:
        drawn = results_text(results_for(agency, date_from, date_to), date_from, date_to)
        achievements = f"{drawn}\n{achievements}".strip()
    return Commendation.objects.create(
        province=province,
        nominee_kind=nominee,
        agency=agency,
        person_name=person if nominee == Commendation.Nominee.PERSON else "",
        award=award,
        achievements=achievements,
        proposed_on=proposed_on,
    )


@transaction.atomic
def decide_commendation(user, commendation: Commendation, data: dict) -> Commendation:
    policy.require(user, "change", commendation)
    errors = Errors()
    status = data.get("status")
    if status not in (Commendation.Status.AWARDED, Commendation.Status.DECLINED):
        errors.add("status", _("Chọn khen thưởng hoặc không khen thưởng."))
    decided_on = date(data, "decided_on", errors, _("Ngày quyết định"))
    number = text(data, "decision_number", errors, _("Số quyết định"), required=False, max_length=60)
    if status == Commendation.Status.AWARDED and not number:
        errors.add("decision_number", _("Khen thưởng: ghi số quyết định."))
    if decided_on and decided_on < commendation.proposed_on:
        errors.add("decided_on", _("Ngày quyết định không được trước ngày đề nghị."))
    if commendation.status != Commendation.Status.PROPOSED:
        errors.add("status", _("Đề nghị này đã có quyết định."))
    errors.raise_if_any()
    commendation.status, commendation.decided_on, commendation.decision_number = status, decided_on, number
    commendation.save()
    return commendation
