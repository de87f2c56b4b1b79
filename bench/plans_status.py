"""Time the plan status figures on the Đắk Lắk plan with synthetic progress.

Usage: .venv/bin/python bench/plans_status.py [--as-of 2028-06-30] [--share 0.7]
Uses DATABASE_URL if set, else a throwaway SQLite file. Prints figures; asserts nothing.
"""

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--as-of", default="2028-06-30")
    parser.add_argument("--share", type=float, default=0.7, help="share of due pairs reported done")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canhgiac.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from canhgiac.plans import reminders, services
    from canhgiac.plans.models import Checkpoint, Plan, Task, Update

    call_command("setup", stdout=open(os.devnull, "w"))
    as_of = dt.date.fromisoformat(args.as_of)
    plan = Plan.objects.get(code="dak_lak_2030")
    Update.objects.filter(checkpoint__task__plan=plan).delete()
    rng = random.Random(389)
    due = services.pairs(Checkpoint.objects.filter(task__plan=plan, due_date__lte=as_of), as_of=as_of)
    rows = []
    for p in due:
        if rng.random() < args.share:
            done_on = p.due + dt.timedelta(days=rng.randint(-20, 25))
            rows.append(
                Update(
                    checkpoint_id=p.checkpoint_id,
                    agency_id=p.agency_id,
                    status="done",
                    percent=100,
                    narrative="bench",
                    completed_on=done_on,
                    reported_on=min(done_on, as_of),
                )
            )
    Update.objects.bulk_create(rows, batch_size=2000)
    all_pairs = len(services.pairs(Checkpoint.objects.filter(task__plan=plan), as_of=as_of))
    print(
        f"database: {connection.vendor}; tasks {plan.tasks.count()}, checkpoints "
        f"{Checkpoint.objects.filter(task__plan=plan).count()}, pairs {all_pairs}, due by {as_of}: {len(due)}, "
        f"updates {len(rows)}"
    )

    def timed(label, fn, repeat=5):
        best, queries = None, 0
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                result = fn()
                elapsed = time.perf_counter() - start
            best = elapsed if best is None else min(best, elapsed)
            queries = len(ctx.captured_queries)
        print(f"{label:<42} {best * 1000:8.1f} ms  {queries:3d} queries")
        return result

    counts = timed("status_counts (system, whole plan)", lambda: services.status_counts(None, as_of=as_of))
    print("   ", counts)
    timed("status_counts (one agency)", lambda: services.status_counts(None, agency_code="CA", as_of=as_of))
    timed(
        "task_statuses (plan table, 42 tasks)",
        lambda: services.task_statuses(Task.objects.filter(plan=plan), as_of=as_of),
    )
    timed("scorecard (119 agencies)", lambda: services.scorecard(None, as_of=as_of))
    now = timezone.make_aware(dt.datetime.combine(as_of, dt.time(8)))
    timed("reminders.run (no recipients)", lambda: reminders.run(now), repeat=3)


if __name__ == "__main__":
    main()
