"""Each committee record can be offered as evidence of the plan task it belongs to: linking posts
a progress update of the reporting agency on the task's current checkpoint (plans services), so the
plan's status reflects the work recorded here. "Done" needs a file, as for any plan update."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canhgiac.committee import models as m
from canhgiac.core import policy
from canhgiac.core.errors import Errors
from canhgiac.plans import services as plans

RECORD_KINDS = {
    "decision": (m.Decision, gettext_lazy("Quyết định về Ban Chỉ đạo")),
    "meeting": (m.Meeting, gettext_lazy("Cuộc họp Ban Chỉ đạo")),
    "regulation": (m.Regulation, gettext_lazy("Quy chế phối hợp")),
    "course": (m.Course, gettext_lazy("Lớp tập huấn")),
    "material": (m.Material, gettext_lazy("Tài liệu")),
    "bulletin": (m.Bulletin, gettext_lazy("Cảnh báo nghiệp vụ")),
    "commendation": (m.Commendation, gettext_lazy("Khen thưởng")),
    "exchange": (m.Exchange, gettext_lazy("Trao đổi quốc tế")),
}


def record_for(user, kind: str, pk: int):
    """The record of `kind` the user reads, or None."""
    if kind not in RECORD_KINDS:
        return None
    model = RECORD_KINDS[kind][0]
    return policy.visible_to(user, model.objects.all()).filter(pk=pk).first()


def _narrative(kind: str, record) -> str:
    return _("Minh chứng từ hồ sơ Ban Chỉ đạo: %(k)s — %(r)s") % {"k": RECORD_KINDS[kind][1], "r": record}


def links_by_record(user, kind: str, ids) -> dict[int, list]:
    """For records of `kind` with `ids`: record id -> [(link, task or None, status)], the tasks
    each is evidence of, in a constant number of queries."""
    links = list(
        m.TaskLink.objects.filter(record_kind=kind, record_id__in=list(ids)).select_related("agency")
    )
    tasks = plans.plan_tasks_by_id(user, [link.task_id_ref for link in links])
    statuses = plans.statuses_by_task(tasks) if tasks else {}
    out: dict[int, list] = {}
    for link in links:
        out.setdefault(link.record_id, []).append(
            (link, tasks.get(link.task_id_ref), statuses.get(link.task_id_ref))
        )
    return out


def links_for(user, kind: str, record) -> list:
    return links_by_record(user, kind, [record.pk]).get(record.pk, [])


@transaction.atomic
def link_evidence(user, kind: str, record, data: dict, evidence_file=None) -> m.TaskLink:
    """Offer `record` as evidence of a plan task for one of the task's lead agencies the user
    reports for. `data`: task, agency, done (bool), note (added to the narrative), evidence_number,
    evidence_date."""
    policy.require(user, "change", record)
    errors = Errors()
    task = plans.evidence_tasks(user, record.province).filter(pk=data.get("task") or 0).first()
    if task is None:
        errors.add("task", _("Chọn một nhiệm vụ của kế hoạch tỉnh mà cơ quan của bạn chủ trì."))
        errors.raise_if_any()
    agencies = {a.pk: a for a in plans.reporting_agencies(user, task)}
    agency = agencies.get(int(data.get("agency") or 0)) if str(data.get("agency") or "").isdigit() else None
    if agency is None and len(agencies) == 1 and not data.get("agency"):
        agency = next(iter(agencies.values()))
    if agency is None:
        errors.add("agency", _("Chọn cơ quan chủ trì nhiệm vụ mà bạn báo cáo thay."))
        errors.raise_if_any()
    if agency.province_id != record.province_id:
        raise PermissionDenied
    narrative = _narrative(kind, record)
    note = " ".join(str(data.get("note") or "").split())
    if note:
        narrative = f"{narrative}. {note}"
    from canhgiac.committee.logic.common import date

    evidence_date = date(data, "evidence_date", errors, _("Ngày văn bản minh chứng"), required=False)
    errors.raise_if_any()
    update = plans.record_evidence(
        user,
        task=task,
        agency=agency,
        narrative=narrative,
        done=bool(data.get("done")),
        evidence_file=evidence_file,
        evidence_number=str(data.get("evidence_number") or ""),
        evidence_date=evidence_date,
    )
    return m.TaskLink.objects.create(
        province=record.province,
        record_kind=kind,
        record_id=record.pk,
        task_id_ref=task.pk,
        update_id_ref=update.pk,
        agency=agency,
    )
