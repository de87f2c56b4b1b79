"""Meetings of a committee and their conclusions. Issuing the conclusions writes them as a plan
of the plans app (one task per conclusion, with its lead and coordinating agencies and deadline):
the meeting's screen does what `canhgiac import-plan` does for a YAML file. A notice already
written as a plan file (the Lạng Sơn notice of seed 003) is loaded from the same screen."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from canhgiac.committee.logic.common import agencies_in, date, require_add, text
from canhgiac.committee.models import Committee, Conclusion, Meeting
from canhgiac.core import policy
from canhgiac.core.errors import Errors
from canhgiac.plans import services as plans


def visible_meetings(user, province=None):
    qs = policy.visible_to(user, Meeting.objects.all())
    if province is not None:
        qs = qs.filter(province=province)
    return qs.select_related("committee")


@transaction.atomic
def create_meeting(user, province, data: dict) -> Meeting:
    require_add(user, Meeting, province)
    errors = Errors()
    committee = data.get("committee")
    committee = Committee.objects.filter(province=province, pk=getattr(committee, "pk", committee)).first()
    if committee is None:
        errors.add("committee", _("Chọn Ban Chỉ đạo của tỉnh."))
    kind = data.get("kind") or Meeting.Kind.REGULAR
    if kind not in Meeting.Kind.values:
        errors.add("kind", _("Loại cuộc họp không hợp lệ."))
    held_on = date(data, "held_on", errors, _("Ngày họp"))
    title = text(data, "title", errors, _("Nội dung cuộc họp"), max_length=300)
    chair = text(data, "chair", errors, _("Người chủ trì"), max_length=200)
    agencies = agencies_in(
        province, data.get("attending_agencies") or [], errors, "attending_agencies", required=False
    )
    errors.raise_if_any()
    meeting = Meeting.objects.create(
        province=province,
        committee=committee,
        kind=kind,
        held_on=held_on,
        title=title,
        chair=chair,
        attendees=text(data, "attendees", errors, _("Thành phần"), required=False),
        location=text(data, "location", errors, _("Địa điểm"), required=False, max_length=200),
        notice_number=text(data, "notice_number", errors, _("Số thông báo"), required=False, max_length=60),
    )
    meeting.attending_agencies.set(agencies)
    return meeting


@transaction.atomic
def add_conclusion(user, meeting: Meeting, data: dict) -> Conclusion:
    """One conclusion: its text, lead agencies (departments and forces named in plans by their
    code), coordinating agencies and deadline (on or after the meeting)."""
    policy.require(user, "change", meeting)
    errors = Errors()
    body = text(data, "text", errors, _("Nội dung kết luận"))
    codes = plans.plan_base_codes(meeting.province)
    lead = agencies_in(meeting.province, data.get("lead") or [], errors, "lead")
    coordinating = agencies_in(
        meeting.province, data.get("coordinating") or [], errors, "coordinating", required=False
    )
    for field, group in (("lead", lead), ("coordinating", coordinating)):
        if any(a.pk not in codes for a in group):
            errors.add(
                field, _("Chỉ chọn được các sở, ngành, lực lượng có mã trong kế hoạch (không chọn từng xã).")
            )
    due = date(data, "due", errors, _("Thời hạn"))
    if due and due < meeting.held_on:
        errors.add(
            "due", _("Thời hạn không được trước ngày họp (%(d)s).") % {"d": f"{meeting.held_on:%d/%m/%Y}"}
        )
    errors.raise_if_any()
    order = (meeting.conclusions.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    conclusion = Conclusion.objects.create(meeting=meeting, order=order, text=body, due=due)
    conclusion.lead.set(lead)
    conclusion.coordinating.set(coordinating)
    return conclusion


def _plan_code(meeting: Meeting) -> str:
    return f"committee_meeting_{meeting.pk}"


@transaction.atomic
def issue_conclusions(user, meeting: Meeting):
    """Write the meeting's conclusions as a plan (one task each, due once on its deadline; lead and
    coordinating agencies as entered). Issuing again after adding conclusions updates the plan.
    Returns the plan."""
    policy.require(user, "change", meeting)
    conclusions = list(meeting.conclusions.prefetch_related("lead", "coordinating"))
    if not conclusions:
        errors = Errors()
        errors.add("conclusions", _("Cuộc họp chưa có kết luận nào để giao thành nhiệm vụ."))
        errors.raise_if_any()
    codes = plans.plan_base_codes(meeting.province)
    from canhgiac.directory.services import standing_office

    office = standing_office(meeting.province)
    data = {
        "format": "canhgiac-plan/1",
        "plan": {
            "code": _plan_code(meeting),
            "title": _("Kết luận cuộc họp %(c)s ngày %(d)s: %(t)s")
            % {"c": meeting.committee.name, "d": f"{meeting.held_on:%d/%m/%Y}", "t": meeting.title},
            "document_type": "Thông báo",
            "province": meeting.province.codename,
            "document_number": meeting.notice_number,
            "document_ref_text": "",
            "issuing_body": meeting.committee.name,
            "start": meeting.held_on,
            "end": max(c.due for c in conclusions),
            "owner_agency": codes.get(office.pk, "SCT") if office else "SCT",
        },
        "groups": [
            {
                "code": "1",
                "title": _("Kết luận của người chủ trì cuộc họp (%(c)s)") % {"c": meeting.chair},
                "tasks": [
                    {
                        "code": f"1.{i}",
                        "action": c.text,
                        "lead": [codes[a.pk] for a in c.lead.all()],
                        "coordinating": [codes[a.pk] for a in c.coordinating.all()],
                        "deadline_text": f"{c.due:%d/%m/%Y}",
                        "schedule": {"kind": "once", "due": c.due},
                    }
                    for i, c in enumerate(conclusions, start=1)
                ],
            }
        ],
    }
    plan = plans.load_plan(user, data)
    meeting.plan_id_ref = plan.pk
    meeting.save()
    tasks = {t.code: t for t in plan.tasks.all()}
    for i, c in enumerate(conclusions, start=1):
        task = tasks[f"1.{i}"]
        if c.task_id_ref != task.pk:
            c.task_id_ref = task.pk
            c.save()
    return plan


@transaction.atomic
def load_notice(user, meeting: Meeting, content) -> object:
    """Load a notice of conclusions written as a plan file (YAML text or bytes) from the meeting's
    screen, and attach the plan to the meeting. The plan must be of the meeting's province."""
    policy.require(user, "change", meeting)
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            errors = Errors()
            errors.add("file", _("Tệp phải là văn bản UTF-8 (YAML)."))
            errors.raise_if_any()
    plan = plans.load_plan(user, content)
    if plan.province_id != meeting.province_id:
        errors = Errors()
        errors.add("file", _("Kế hoạch trong tệp thuộc tỉnh khác với cuộc họp."))
        errors.raise_if_any()
    meeting.plan_id_ref = plan.pk
    meeting.save()
    return plan


def meeting_plan(user, meeting: Meeting):
    """The plan the meeting's conclusions became (or the notice loaded), with each task's status."""
    if not meeting.plan_id_ref:
        return None, []
    plan = plans.plans_by_id(user, [meeting.plan_id_ref]).get(meeting.plan_id_ref)
    if plan is None:
        return None, []
    tasks = list(plans.task_queryset(user, plan).prefetch_related("lead_agencies"))
    statuses = plans.plan_task_statuses(plan)
    return plan, [(t, statuses.get(t.pk)) for t in tasks]
