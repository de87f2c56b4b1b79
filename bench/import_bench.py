"""Benchmark of `canhgiac import-cases` (the real contract: validated, audited, all or nothing).

    .venv/bin/python bench/import_bench.py [--cases 100000] [--db sqlite|postgres|both]
        [--pg-url postgres://postgres@127.0.0.1:5432/cg_imports_bench]

For each database it makes a fresh one (SQLite file under var/bench/, or the PostgreSQL database of
--pg-url, dropped and created), migrates, loads the reference data, writes a CSV of N cases (about
1.5 rows a case: a goods line on every row, a subject on most, some cases with two lines), then runs
the command in a child process and prints:
- the import's cases/s (wall time of the command: reading, validating, writing, auditing);
- the re-import of the same file (every case unchanged) in cases/s;
- `audit-verify` over the events written.
Figures are printed, never asserted.
"""

import argparse
import csv
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the console script of the Python running this file (the shared venv works from any worktree)
CLI = str(Path(sys.executable).parent / "canhgiac")
sys.path.insert(0, str(ROOT))
from bench.cases_bench import CATEGORIES, SUMMARIES, TYPES, ensure_database  # noqa: E402

COLUMNS = (
    "case_ref,agency_code,detected_on,unit_code,violation_type,summary,goods_category,goods_description,"
    "quantity,unit,goods_value_vnd,subject_kind,subject_name,subject_id,subject_role,handling,decision_no,"
    "fine_vnd,budget_revenue_vnd,defendants,online_url"
).split(",")


def write_file(path: Path, cases: int, units: list[str], seed: int = 389) -> int:
    rng = random.Random(seed)
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for n in range(cases):
            k = rng.randrange(len(SUMMARIES))
            handling = rng.choice(["administrative", "administrative", "pending", "transferred"])
            base = {
                "case_ref": f"B-{n:07d}",
                "agency_code": rng.choice(["QLTT", "CA", "HQ", "BDBP"]),
                "detected_on": f"{rng.randint(1, 28):02d}/{rng.randint(1, 11):02d}/2026",
                "unit_code": rng.choice(units),
                "violation_type": TYPES[k],
                "summary": SUMMARIES[k] + f" (hồ sơ {n})",
                "handling": handling,
                "decision_no": f"{n}/QĐ-XPHC" if handling == "administrative" else "",
                "fine_vnd": "5000000" if handling == "administrative" else "",
                "budget_revenue_vnd": "7500000" if handling == "administrative" else "",
            }
            lines = 2 if rng.random() < 0.5 else 1
            for line in range(lines):
                row = dict(base)
                row.update(
                    goods_category=CATEGORIES[(k + line) % len(CATEGORIES)],
                    goods_description=f"Hàng hóa {n}-{line}",
                    quantity=str(rng.randint(1, 500)),
                    unit="hộp",
                    goods_value_vnd=str(rng.randint(1, 500) * 100_000),
                )
                if line == 0 and rng.random() < 0.8:
                    person = rng.random() < 0.7
                    row.update(
                        subject_kind="person" if person else "organisation",
                        subject_name=f"Đối tượng {n % 40000}",
                        # about one subject in three comes back in other cases (same identifier)
                        subject_id=f"{n % 40000:012d}" if person else f"{n % 40000:010d}",
                        subject_role="seller",
                    )
                writer.writerow(row)
                rows += 1
    return rows


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(env: dict, *args) -> tuple[float, str]:
    """Run the command; (wall seconds, its last line). Also keeps its CPU seconds (user + system
    of the command's process; PostgreSQL's own server time is not in it) in `run.cpu`."""
    began, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run([CLI, *args], env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - began
    run.cpu = _children_cpu() - cpu
    if done.returncode:
        sys.exit(f"{args[0]} failed: {done.stderr[-2000:]}")
    return elapsed, ((done.stdout + done.stderr).strip().splitlines() or [""])[-1]


def _load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


TARGET = 2000  # cases/s, issue 10


def bench(label: str, url: str, cases: int) -> None:
    env = dict(
        os.environ, DATABASE_URL=url, CANHGIAC_VAR_DIR=str(ROOT / "var" / "bench"), PYTHONPATH=str(ROOT)
    )
    run(env, "migrate", "--verbosity", "0")
    run(env, "setup", "--no-migrate")
    units = (
        subprocess.run(
            [
                CLI,
                "shell",
                "-c",
                "from canhgiac.directory.models import AdministrativeUnit as U;"
                "print(' '.join(U.objects.exclude(parent=None).values_list('code', flat=True)))",
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
        .split()
    )
    path = ROOT / "var" / "bench" / f"import-{cases}.csv"
    rows = write_file(path, cases, units)
    load = _load()
    seconds, line = run(env, "import-cases", str(path))
    rate = cases / seconds
    print(
        f"{label}: import-cases {cases:,} cases ({rows:,} rows) in {seconds:.1f} s = {rate:,.0f} cases/s "
        f"(target {TARGET:,}: {'met' if rate >= TARGET else 'NOT met'}); "
        f"command CPU {run.cpu:.1f} s = {cases / run.cpu:,.0f} cases per CPU-second; {load} before, {_load()} after"
    )
    print(f"  {line}")
    load = _load()
    seconds, line = run(env, "import-cases", str(path))
    print(
        f"{label}: re-import (all unchanged) in {seconds:.1f} s = {cases / seconds:,.0f} cases/s; "
        f"command CPU {run.cpu:.1f} s; {load} before"
    )
    seconds, line = run(env, "audit-verify")
    print(f"{label}: audit-verify in {seconds:.1f} s (CPU {run.cpu:.1f} s): {line}")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/cg_imports_bench")
    args = parser.parse_args()
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    if args.db in ("sqlite", "both"):
        db = folder / "import_bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        bench("SQLite", f"sqlite:///{db}", args.cases)
    if args.db in ("postgres", "both"):
        from urllib.parse import urlsplit, urlunsplit

        import psycopg

        parts = urlsplit(args.pg_url)
        admin = urlunsplit(parts._replace(path="/postgres", query=""))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}"')
        ensure_database(args.pg_url)
        bench("PostgreSQL", args.pg_url, args.cases)
    shutil.rmtree(folder / "media", ignore_errors=True)


if __name__ == "__main__":
    main()
