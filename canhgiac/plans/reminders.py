"""Reminders run by the worker (core.registry.add_periodic): to a lead agency's users N days
before a checkpoint is due and on the day it becomes overdue; to the Standing Office a daily
digest of what became overdue. Every notice has a dedupe key, so running again sends nothing new.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.core.env import envlist
from canhgiac.core.notify import notify
from canhgiac.core.text import shorten
from canhgiac.plans import services
from canhgiac.plans.models import Checkpoint, Plan

# An overdue notice missed while the worker was down is still sent within this many days.
CATCH_UP_DAYS = 3


def reminder_days() -> list[int]:
    """Days before the due date to remind, from CANHGIAC_PLAN_REMINDER_DAYS (default "7,1")."""
    return sorted(
        {int(d) for d in envlist("CANHGIAC_PLAN_REMINDER_DAYS", "7,1") if d.isdigit() and int(d) > 0}
    )


def _users_by_agency(agency_ids) -> dict[int, list]:
    from canhgiac.accounts.models import Membership

    out = defaultdict(list)
    for m in Membership.objects.filter(
        agency_id__in=agency_ids, is_active=True, user__is_active=True, role__in=services.REPORT_ROLES
    ).select_related("user"):
        if m.user not in out[m.agency_id]:
            out[m.agency_id].append(m.user)
    return out


def run(now: dt.datetime | None = None) -> str:
    today = timezone.localdate(now) if now else services.today()
    days = reminder_days()
    horizon = today + dt.timedelta(days=max(days, default=0))
    cps = Checkpoint.objects.filter(
        task__plan__parent=None, due_date__gte=today - dt.timedelta(days=CATCH_UP_DAYS), due_date__lte=horizon
    )
    pairs = services.pairs(cps, as_of=today)
    checkpoints = Checkpoint.objects.select_related("task", "task__plan").in_bulk(
        {p.checkpoint_id for p in pairs}
    )
    users = _users_by_agency({p.agency_id for p in pairs})
    reminded = overdue = 0
    for p in pairs:
        cp = checkpoints[p.checkpoint_id]
        task = cp.task
        url = reverse("plans:task", args=[task.pk])
        due = cp.due_date.strftime("%d/%m/%Y")
        if p.status == services.IN_PROGRESS:
            left = (p.due - today).days
            applicable = [n for n in days if 0 < left <= n]
            if not applicable:
                continue
            n = min(applicable)
            reminded += notify(
                users.get(p.agency_id, []),
                kind="plans.reminder",
                title=_("Nhắc hạn: nhiệm vụ %(code)s còn %(left)s ngày (hạn %(due)s)")
                % {"code": task.code, "left": left, "due": due},
                body=_("%(action)s\n\nKế hoạch: %(plan)s")
                % {"action": shorten(task.action, 300), "plan": task.plan.title},
                url=url,
                dedupe_key=f"plans:remind:{cp.pk}:{p.agency_id}:{n}",
            )
        elif p.status == services.OVERDUE:
            overdue += notify(
                users.get(p.agency_id, []),
                kind="plans.overdue",
                title=_("Quá hạn: nhiệm vụ %(code)s (hạn %(due)s) chưa hoàn thành")
                % {"code": task.code, "due": due},
                body=_("%(action)s\n\nĐề nghị cập nhật kết quả và minh chứng. Kế hoạch: %(plan)s")
                % {"action": shorten(task.action, 300), "plan": task.plan.title},
                url=url,
                dedupe_key=f"plans:overdue:{cp.pk}:{p.agency_id}",
            )
    digests = send_digests(today, pairs, checkpoints)
    return f"{reminded} nhắc hạn, {overdue} báo quá hạn, {digests} bản tổng hợp"


def send_digests(today: dt.date, pairs, checkpoints) -> int:
    """One notice per plan to its owner agency (the Standing Office): pairs due yesterday, not done."""
    from canhgiac.directory.models import Agency

    yesterday = today - dt.timedelta(days=1)
    by_plan = defaultdict(list)
    for p in pairs:
        if p.status == services.OVERDUE and p.due == yesterday:
            by_plan[checkpoints[p.checkpoint_id].task.plan_id].append(p)
    if not by_plan:
        return 0
    agencies = Agency.objects.in_bulk({p.agency_id for ps in by_plan.values() for p in ps})
    sent = 0
    for plan in Plan.objects.filter(pk__in=by_plan).select_related("owner_agency"):
        ps = sorted(by_plan[plan.pk], key=lambda p: (checkpoints[p.checkpoint_id].task.order, p.agency_id))
        per_task = defaultdict(list)
        for p in ps:
            per_task[checkpoints[p.checkpoint_id].task].append(agencies[p.agency_id])
        lines = []
        for t, ags in per_task.items():
            names = ", ".join(str(a) for a in ags[:10])
            if len(ags) > 10:
                names += _(" và %(n)s cơ quan khác") % {"n": len(ags) - 10}
            lines.append(_("- Nhiệm vụ %(code)s: %(names)s") % {"code": t.code, "names": names})
        recipients = _users_by_agency([plan.owner_agency_id]).get(plan.owner_agency_id, [])
        sent += notify(
            recipients,
            kind="plans.digest",
            title=_("Tổng hợp ngày %(day)s: %(n)s phần việc quá hạn (%(plan)s)")
            % {"day": today.strftime("%d/%m/%Y"), "n": len(ps), "plan": plan.code},
            body=_("Hết hạn ngày %(day)s chưa báo cáo hoàn thành:") % {"day": yesterday.strftime("%d/%m/%Y")}
            + "\n"
            + "\n".join(lines),
            url=reverse("plans:due") + "?tab=overdue",
            dedupe_key=f"plans:digest:{plan.pk}:{today.isoformat()}",
        )
    return sent
