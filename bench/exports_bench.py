"""Benchmark of the case exports (core.exports jobs) on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cg_exports_bench .venv/bin/python bench/exports_bench.py [--cases N]

Creates (or reuses) the database, bulk-loads N cases (COPY, as bench/cases_bench.py does), then runs
the export builders a job runs — CSV (written in chunks) and XLSX (write-only workbook) of every
case, as a coordinator — and prints for each: seconds, cases/s, file size and the growth of the
process's peak memory. Figures are printed, never asserted.
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


if __name__ == "__main__":
    main()
