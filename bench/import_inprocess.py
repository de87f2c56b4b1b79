"""The case import service in one process, without the CLI's start-up (issue 10's target).

    DATABASE_URL=sqlite:////tmp/x/run.sqlite3 .venv/bin/python bench/import_inprocess.py 100000 \\
        [--sqlite-base /tmp/x/base.sqlite3] [--profile-match out.prof] [--profile all.prof]

DATABASE_URL names a database made by `canhgiac migrate` + `canhgiac setup` (for SQLite,
--sqlite-base is copied onto it first so every run starts fresh; for PostgreSQL make it from a
template). Writes `import_bench.write_file`'s CSV of N cases, runs `imports.import_cases` and prints
wall and CPU seconds (`time.process_time`, this process only), cases/s, cases per CPU-second, the
peak RSS, on PostgreSQL the CPU seconds of the server process serving the connection (same
machine, read from /proc), the part of `subjects.match_new` and `refresh_link_keys`, and the load
average. --profile-match writes a cProfile of match_new alone, --profile one of the whole import.
Figures printed, never asserted.
"""

import argparse
import cProfile
import os
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("cases", type=int)
    parser.add_argument("--sqlite-base")
    parser.add_argument("--profile-match")
    parser.add_argument("--profile", help="write a cProfile (CPU time) of the whole import here")
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    if args.sqlite_base:
        db = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
        shutil.copy(args.sqlite_base, db)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canhgiac.settings")
    import django

    django.setup()
    from bench.import_bench import write_file
    from canhgiac.cases import imports
    from canhgiac.directory.models import AdministrativeUnit
    from canhgiac.subjects import services as subjects

    spent = {}

    def timed(name):
        original = getattr(subjects, name)

        def run(*a, **kw):
            wall, cpu = time.perf_counter(), time.process_time()
            profile = (
                cProfile.Profile(time.process_time) if name == "match_new" and args.profile_match else None
            )
            if profile:
                profile.enable()
            try:
                return original(*a, **kw)
            finally:
                if profile:
                    profile.disable()
                    profile.dump_stats(args.profile_match)
                spent[name] = (time.perf_counter() - wall, time.process_time() - cpu)

        setattr(subjects, name, run)

    timed("refresh_link_keys")
    timed("match_new")
    units = list(AdministrativeUnit.objects.exclude(parent=None).values_list("code", flat=True))
    path = Path(os.environ.get("CANHGIAC_VAR_DIR", "/tmp")) / f"import-inprocess-{args.cases}.csv"
    if not path.exists():
        write_file(path, args.cases, units)
    data = path.read_bytes()
    server = _server_cpu()
    load = os.getloadavg()
    profile = cProfile.Profile() if args.profile else None
    wall, cpu = time.perf_counter(), time.process_time()
    if profile:
        profile.enable()
    result = imports.import_cases(data, path.name)
    if profile:
        profile.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if profile:
        profile.dump_stats(args.profile)
    assert result.ok, result.errors[:5]
    n = result.created + result.updated + result.unchanged
    print(
        f"{n:,} cases ({result.rows:,} rows; {result.created:,} new) in {wall:.1f} s wall = {n / wall:,.0f} cases/s; "
        f"CPU {cpu:.1f} s = {n / cpu:,.0f} cases per CPU-second; load {load[0]:.2f} before, {os.getloadavg()[0]:.2f} after; "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB"
    )
    if server is not None:
        used = _server_cpu() - server
        print(
            f"  PostgreSQL server process of this connection: {used:.1f} CPU-s "
            f"(client + server {cpu + used:.1f} CPU-s = {n / (cpu + used):,.0f} cases per CPU-second)"
        )
    for name, (w, c) in spent.items():
        print(f"  {name}: {w:.1f} s wall, {c:.1f} CPU-s")


def _server_cpu():
    """CPU seconds of the PostgreSQL backend serving this connection (same machine; /proc), or
    None on SQLite or when it cannot be read."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


if __name__ == "__main__":
    main()
