"""Benchmark of every export on a province's full data, on PostgreSQL (docs/architecture.md,
"Exports": the table of which exports run as jobs is decided on these figures).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cg_exports_bench .venv/bin/python bench/exports_bench.py [--cases N]

Creates (or reuses) the database, bulk-loads N cases (COPY, as bench/cases_bench.py does; spread
over 2021–2026), then, as a coordinator, times what each export builds and prints seconds (and for
the case exports cases/s, file size and the growth of the process's peak memory):
- the case exports a job runs: CSV (written in chunks) and XLSX (write-only workbook) of every case;
- the CSV that streams in the request: the first `cases.views.CSV_STREAM_ROWS` cases;
- the consolidated report of a window (the system's figures: every case of the window is counted)
  as DOCX and XLSX, for one year and for the whole 2021–2026 span, and the figures alone (the
  `/api/v1/reporting/consolidated` answer);
- the plan exports (XLSX, DOCX) of the Đắk Lắk plan;
- the import code list (`/cases/import/codes.csv`).
Figures are printed, never asserted; note the load average printed with them.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cg_exports_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canhgiac.settings")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000, help="cases to reach (default 100,000)")
    args = parser.parse_args()
    import cases_bench

    cases_bench.ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    from canhgiac.accounts import services as accounts
    from canhgiac.accounts.models import User
    from canhgiac.cases import exports
    from canhgiac.cases.models import Case
    from canhgiac.core.context import acting_as
    from canhgiac.directory.models import Agency

    call_command("migrate", verbosity=0)
    call_command("setup", "--no-migrate", verbosity=0, stdout=open(os.devnull, "w"))
    existing = Case.objects.count()
    if existing < args.cases:
        seconds = cases_bench.bulk_load(args.cases - existing)
        print(f"bulk load (COPY): {args.cases - existing:,} cases in {seconds:.1f} s")
    user = User.objects.filter(username="bench_export").first() or accounts.create_user(
        "bench_export", "bench-password-389", memberships=[(Agency.objects.get(code="SCT"), "coordinator")]
    )
    total = Case.objects.count()
    print(f"cases: {total:,}")
    for fmt, build in (("csv", exports.build_csv), ("xlsx", exports.build_xlsx)):
        if fmt == "xlsx" and total > exports.MAX_XLSX_ROWS:
            print(f"xlsx: skipped ({total:,} cases > {exports.MAX_XLSX_ROWS:,}, the export's limit)")
            continue
        before = peak_mb()
        with tempfile.TemporaryFile() as out, acting_as(user):
            start = time.perf_counter()
            build(user, {}, out, lambda done, n: None)
            seconds = time.perf_counter() - start
            size = out.tell()
        print(
            f"{fmt}: {total:,} cases in {seconds:.1f} s = {total / seconds:,.0f} cases/s, "
            f"{size / 1e6:.1f} MB, peak memory +{peak_mb() - before:.0f} MB (process peak {peak_mb():.0f} MB)"
        )
    others(user)
    print(f"load average: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f} {os.getloadavg()[2]:.1f}")


def timed(label, fn):
    start = time.perf_counter()
    result = fn()
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return result


def others(user):
    import datetime as dt
    import io

    from canhgiac.cases import exports as case_exports
    from canhgiac.cases import imports
    from canhgiac.cases.views import CSV_STREAM_ROWS
    from canhgiac.core import spreadsheet
    from canhgiac.core.context import acting_as
    from canhgiac.plans import exports as plan_exports
    from canhgiac.plans.models import Plan
    from canhgiac.reporting import consolidation
    from canhgiac.reporting import services as reporting

    with acting_as(user):
        qs = case_exports.filtered_cases(user, {})
        ids = list(qs.order_by("-detected_on", "-id").values_list("id", flat=True)[:CSV_STREAM_ROWS])
        timed(
            f"csv streamed in the request ({len(ids):,} cases, the stream limit)",
            lambda: sum(len(chunk) for chunk in case_exports.csv_chunks(qs.filter(id__in=ids))),
        )
        for label, start, end in (
            ("one year (2025)", dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
            ("2021–2026", dt.date(2021, 1, 1), dt.date(2026, 12, 31)),
        ):
            timed(
                f"consolidated figures, {label}",
                lambda s=start, e=end: consolidation.consolidate_window(user, s, e),
            )
            for fmt in ("docx", "xlsx"):
                timed(
                    f"report {fmt}, {label}",
                    lambda s=start, e=end, f=fmt: reporting.export_report(
                        user, fmt=f, date_from=s, date_to=e
                    ),
                )
        plan = Plan.objects.filter(code="dak_lak_2030").first()
        if plan is not None:
            timed("plan xlsx", lambda: plan_exports.plan_xlsx(user, plan))
            timed("plan docx", lambda: plan_exports.progress_docx(user, plan))

        def codes():
            out = io.StringIO()
            writer = spreadsheet.csv_writer(out)
            rows = 0
            for row in imports.code_rows():
                writer.writerow(row)
                rows += 1
            return rows

        rows = timed("import code list csv", codes)
        print(f"  ({rows:,} rows)")


if __name__ == "__main__":
    main()
