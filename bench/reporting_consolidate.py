"""How long the Standing Office waits for the board, the consolidated report and its files.

Run (after `canhgiac setup` on that database):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/canhgiac_bench .venv/bin/python bench/reporting_consolidate.py
    .venv/bin/python bench/reporting_consolidate.py --submitters 500 --periods 12

Builds, inside a transaction that is rolled back, `--periods` past periods each with every
active agency and commune (or `--submitters` copies of them) reporting the full standard form,
then times: the on-time board of one period, the board over all periods (per-agency record),
the consolidation of one period (accepted reports added up + last year), DOCX and XLSX builds,
and what the consolidated page and API now do: read the period's snapshot (reporting/snapshots.py)
that a background task computes, with the queries of each.

`--with-sources` keeps the other apps' figure sources (cases, tips, inspections, plans over the
database's own records), the part that grows with the province's data; by default they are
left out to time reporting's own work.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canhgiac.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from canhgiac.accounts.models import User  # noqa: E402
from canhgiac.reporting import consolidation, exports, services, snapshots, sources  # noqa: E402
from canhgiac.reporting.demo import _narrative  # noqa: E402
from canhgiac.reporting.models import Period, Submission  # noqa: E402
from canhgiac.reporting.standard import STANDARD_INDICATORS  # noqa: E402


def _figures(rng, scale, codes):
    """A full standard form's figures and the cases' breakdown by violation type."""
    values = {code: int(rng.randint(0, 40) * scale) for code, *_rest in STANDARD_INDICATORS}
    breakdown = {"cases": {code: rng.randint(0, 8) for code in codes}}
    return values, breakdown


class Rollback(Exception):
    pass


def timed(label, fn, repeat=3):
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    print(f"{label:<55} {best * 1000:9.1f} ms")
    return result


def queries(label, fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    print(f"{label:<55} {len(captured):9d}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--periods", type=int, default=12)
    parser.add_argument("--submitters", type=int, default=0, help="0 = every active agency and commune")
    parser.add_argument("--with-sources", action="store_true", help="keep the cases/tips/plans figures")
    args = parser.parse_args()
    rng = random.Random(389)
    saved_sources = dict(sources.SOURCES)
    if not args.with_sources:
        sources.SOURCES.clear()  # time reporting's own work, not the other apps' figures
    try:
        with transaction.atomic():
            submitters = list(services.default_submitters())
            if args.submitters:
                submitters = (submitters * (args.submitters // len(submitters) + 1))[: args.submitters]
                submitters = list({a.pk: a for a in submitters}.values())
            codes = ["smuggling", "counterfeit", "trade_fraud", "tax_fraud", "other"]
            periods = []
            t0 = time.perf_counter()
            for i in range(args.periods):
                end = dt.date(2026, 10, 14) - dt.timedelta(days=30 * i)
                p = services.create_period(
                    None,
                    kind=Period.Kind.MONTHLY,
                    name=f"Bench {i}",
                    data_from=end - dt.timedelta(days=29),
                    data_to=end,
                    deadline=end + dt.timedelta(days=3),
                    office_deadline=end + dt.timedelta(days=6),
                    submitters=submitters,
                )
                rows = []
                for agency in submitters:
                    values, breakdown = _figures(rng, 1.0, codes)
                    sent = timezone.make_aware(
                        dt.datetime.combine(p.deadline + dt.timedelta(days=rng.randint(-3, 2)), dt.time(9))
                    )
                    rows.append(
                        Submission(
                            period=p,
                            agency=agency,
                            form=p.form,
                            status="accepted",
                            values=values,
                            breakdown=breakdown,
                            narrative=_narrative(rng),
                            sent_at=sent,
                        )
                    )
                Submission.objects.bulk_create(rows)
                periods.append(p)
            print(
                f"data: {len(periods)} periods x {len(submitters)} submitters "
                f"({len(periods) * len(submitters)} submissions) built in {time.perf_counter() - t0:.1f} s"
            )
            coordinator = User.objects.filter(is_superuser=True).first() or User.objects.create(
                username="bench_admin", is_superuser=True
            )
            target = periods[0]
            timed("period board (one period)", lambda: services.period_board(target))
            timed(
                f"per-agency record over {len(periods)} periods", lambda: services.agency_record(periods), 1
            )
            report = timed(
                "consolidate one period (+ same period last year)",
                lambda: consolidation.consolidate_period(coordinator, target),
            )
            queries("  queries", lambda: consolidation.consolidate_period(coordinator, target))
            snapshots.refresh_now(coordinator, target)
            timed(
                "snapshot refresh (the background task's work)",
                lambda: snapshots.refresh(f"period:{target.pk}"),
            )
            timed(
                "page/API read: the snapshot + saved narrative",
                lambda: snapshots.period_report(coordinator, target),
            )
            queries("  queries", lambda: snapshots.period_report(coordinator, target))
            docx = timed("build DOCX", lambda: exports.build_docx(report))
            xlsx = timed("build XLSX", lambda: exports.build_xlsx(report))
            print(f"DOCX {len(docx) / 1024:.0f} KiB, XLSX {len(xlsx) / 1024:.0f} KiB")
            raise Rollback
    except Rollback:
        pass
    finally:
        sources.SOURCES.update(saved_sources)


if __name__ == "__main__":
    main()
