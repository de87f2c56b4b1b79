"""Synthetic progress for `canhgiac demo`: some lead agencies report on time, some late, some
not at all, so the plan table, scorecard and reminders have something to show."""

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction

from canhgiac.plans import services
from canhgiac.plans.models import Checkpoint, Plan, Update


def load_demo(rng, stdout) -> None:
    from canhgiac.accounts.models import User

    plan = Plan.objects.filter(parent=None).order_by("id").first()
    admin = User.objects.filter(username="admin").first()
    if plan is None or admin is None or Update.objects.filter(checkpoint__task__plan=plan).exists():
        return
    today = services.today()
    cps = Checkpoint.objects.filter(task__plan=plan, due_date__lt=today)
    pairs = services.pairs(cps, as_of=today)
    checkpoints = Checkpoint.objects.in_bulk({p.checkpoint_id for p in pairs})
    from canhgiac.directory.models import Agency

    agencies = Agency.objects.in_bulk({p.agency_id for p in pairs})
    with transaction.atomic():  # one commit (and one audit sealing pass) for the whole history
        created = _post_updates(rng, plan, admin, pairs, checkpoints, agencies, today)
    stdout.write(f"  {created} cập nhật tiến độ mẫu")


def _post_updates(rng, plan, admin, pairs, checkpoints, agencies, today) -> int:
    created = 0
    for p in pairs:
        roll = rng.random()
        if roll > 0.75:
            continue  # never reported: stays overdue
        cp = checkpoints[p.checkpoint_id]
        start = cp.period_start or plan.start
        if roll < 0.5:
            on = max(start, p.due - dt.timedelta(days=rng.randint(0, 20)))
        else:
            on = min(today, p.due + dt.timedelta(days=rng.randint(1, 30)))
        pdf = ContentFile(b"%PDF-1.4\n% du lieu mau\n", name=f"minh-chung-{cp.task.code}.pdf")
        services.post_update(
            admin,
            checkpoint=cp,
            agency=agencies[p.agency_id],
            status="done",
            narrative=f"[Dữ liệu mẫu] Đã thực hiện nhiệm vụ {cp.task.code}.",
            evidence_file=pdf,
            on=on,
        )
        created += 1
    return created
