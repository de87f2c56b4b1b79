"""Issuing signed serial codes: `canhgiac issue-codes` end to end (issue 13's target: 1,000,000
codes in under 2 minutes).

    python bench/goods_issue.py [--db sqlite|postgres|both] [--count 1000000] [--processes 2]
        [--single 50000] [--pg-url postgres://postgres@127.0.0.1:5432/cg_goods_bench]

For each database: migrate and load the reference data, register one business and product, then
run `canhgiac issue-codes --count N` in a subprocess and time it (signing in `--processes` worker
processes, the CSV written, the rows stored with COPY/executemany, one audit event). `--single N`
first times N codes in one process, so the two-core speed-up is measured side by side. Prints
codes/s, the wall time, the CSV's size and the machine's load.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.serverkit import BENCH_DIR, base_env, database_url, loadavg, prepare, script, shell  # noqa: E402

TARGET_SECONDS = 120
MAKE_PRODUCT = r"""
from canhgiac.directory.models import AdministrativeUnit, GoodsCategory
from canhgiac.goods.models import Business, Product
unit = AdministrativeUnit.objects.exclude(parent=None).order_by("code").first()
business = Business.objects.filter(tax_code="0100233488").first() or Business.objects.create(tax_code="0100233488", name="Công ty đo", unit=unit)
Product.objects.get_or_create(gtin="08934588012228", defaults=dict(name="Sữa đo", category=GoodsCategory.objects.get(code="milk"), owner=business))
print("OK")
"""


LAST_CPU = {"seconds": 0.0}


def issue(env, lot: str, count: int, processes: int) -> tuple[float, Path]:
    out = BENCH_DIR / f"codes-{lot}.csv"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [script(), "issue-codes", "--gtin", "8934588012228", "--lot", lot, "--count", str(count),
         "--out", str(out), "--processes", str(processes)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU of `canhgiac issue-codes` and its signing workers (not the database server's)
    LAST_CPU["seconds"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode:
        sys.exit(f"issue-codes failed: {done.stderr[-2000:]}")
    return wall, out


def bench(label: str, url: str, args) -> None:
    env = base_env(url)
    prepare(env)
    shell(env, MAKE_PRODUCT)
    stamp = time.strftime("%H%M%S")
    before = loadavg()
    print(f"== {label}")
    if args.single:
        wall, out = issue(env, f"S{stamp}", args.single, 1)
        print(f"   one process: {args.single:,} codes in {wall:.1f} s = {args.single / wall:,.0f} codes/s")
        out.unlink(missing_ok=True)
    wall, out = issue(env, f"B{stamp}", args.count, args.processes)
    size = out.stat().st_size
    verdict = "MET" if wall < TARGET_SECONDS * args.count / 1_000_000 else "NOT MET"
    print(
        f"   {args.processes} processes: {args.count:,} codes in {wall:.1f} s = {args.count / wall:,.0f} codes/s "
        f"(subprocess wall time, start-up included); CSV {size / 1e6:.0f} MB; target for "
        f"{args.count:,}: < {TARGET_SECONDS * args.count / 1_000_000:.0f} s: {verdict}"
    )
    print(
        f"   CPU of issue-codes and its workers: {LAST_CPU['seconds']:.1f} s "
        f"({LAST_CPU['seconds'] / args.count * 1e6:.0f} µs a code; the database server's CPU not counted)"
    )
    print(f"   load average before {before}, after {loadavg()}")
    print("   uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    out.unlink(missing_ok=True)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/cg_goods_bench")
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--single", type=int, default=0, help="first time this many codes in one process")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    if args.db in ("postgres", "both"):
        bench("PostgreSQL", database_url("postgres", args.pg_url, fresh=args.fresh), args)
    if args.db in ("sqlite", "both"):
        bench("SQLite", database_url("sqlite", args.pg_url, name="goods_issue", fresh=args.fresh), args)


if __name__ == "__main__":
    main()
