"""Latency of a tip, a case view and a sign-in while a 100,000-case import runs.

    python bench/import_concurrency.py [--db postgres|sqlite] [--cases 100000] [--rate 2]
        [--pg-url postgres://postgres@127.0.0.1:5433/cg_tipsload_import] [--port 8112] [--worker] [--trace]

Makes a fresh database (PostgreSQL of --pg-url, dropped and created; or a SQLite file under
var/bench/), loads the reference data, an officer of QLTT and 20 cases of their own, writes a CSV of
--cases cases for QLTT (bench/import_bench.py's generator), and starts `canhgiac serve` (4 workers x
4 threads). It then measures three kinds of request, each at --rate requests/s (paced, like people
using the site, not a flood), first for --baseline seconds with nothing else running, then for the
whole of `canhgiac import-cases FILE --agency QLTT`:
- tip: `POST /api/v1/tips` (public, no account);
- case view: `GET /cases/<id>/` by the signed-in officer;
- sign-in: `POST /accounts/login/` with the officer's name and password (a new session each time;
  the GET of the form that gives the CSRF token is not timed).
Prints per kind and phase: answers, p50, p99 and the slowest, against the 1 s target (issue 10), the
import's time and cases/s, and the load average. A request is counted at its answer; one still
waiting when the import ends is waited for. Then the audit events still unsealed; with --worker a
`canhgiac worker` runs next to the server (as deployed) and the seconds it took after the import
to seal them all (polled with `canhgiac shell`, about every 3 s) are printed. --trace lists the
slow requests with the second they were sent and, on PostgreSQL, what the backends did meanwhile.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import random
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.import_bench import write_file  # noqa: E402
from bench.serverkit import BENCH_DIR, Server, base_env, database_url, loadavg, pct, prepare, script, shell  # noqa: E402
from bench.tips_vs_signin import tip_body, wards_of  # noqa: E402

TARGET = 1.0
SLOW = 0.5  # requests slower than this are listed with what the database was doing meanwhile
T0 = [time.perf_counter()]  # the import's start (perf_counter); send times are relative to it
USERNAME, PASSWORD = "bench_qltt", "Mat-khau-do-tai-389"
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')

SETUP = f"""
from canhgiac.accounts import services as accounts
from canhgiac.accounts.models import User
from canhgiac.core import policy
from canhgiac.directory.services import agency_by_code
if not User.objects.filter(username="{USERNAME}").exists():
    accounts.create_user("{USERNAME}", "{PASSWORD}", memberships=[(agency_by_code("QLTT"), policy.OFFICER)])
print("ok")
"""
CASE_ID = (
    "from canhgiac.cases.models import Case;"
    "print(Case.objects.filter(agency_ref__startswith='S-').order_by('id').values_list('id', flat=True).first())"
)


def qltt_file(path: Path, cases: int, units: list[str], prefix: str, seed: int) -> int:
    """bench/import_bench.py's file, every case of QLTT, references starting with `prefix`."""
    raw = path.with_suffix(".raw.csv")
    rows = write_file(raw, cases, units, seed=seed)
    with raw.open(newline="", encoding="utf-8") as src, path.open("w", newline="", encoding="utf-8") as out:
        reader = csv.DictReader(src)
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
        writer.writeheader()
        for row in reader:
            row["agency_code"] = "QLTT"
            row["case_ref"] = prefix + row["case_ref"][2:]
            writer.writerow(row)
    raw.unlink()
    return rows


class Session:
    """One keep-alive connection with its cookies."""

    def __init__(self, port: int):
        self.port, self.cookies, self.conn = port, {}, None

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (OSError, http.client.HTTPException):
                self.conn = None
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, data

    def sign_in(self) -> tuple[int, float]:
        self.cookies = {}
        _status, page = self.request("GET", "/accounts/login/")
        token = CSRF.search(page).group(1).decode()
        body = urlencode({"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token})
        start = time.perf_counter()
        status, _data = self.request(
            "POST",
            "/accounts/login/",
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/",
            },
        )
        return status, time.perf_counter() - start


class Paced(threading.Thread):
    """Sends one kind of request at `rate` per second until `stop`; records (phase, status, s)."""

    def __init__(self, kind, port, rate, stop, phase, results, lock, prepare_request):
        super().__init__(daemon=True)
        self.kind, self.port, self.rate, self.stop = kind, port, rate, stop
        self.phase, self.results, self.lock, self.prepare = phase, results, lock, prepare_request

    def run(self):
        session = Session(self.port)
        self.prepare(session)
        next_at = time.perf_counter()
        while not self.stop.is_set():
            next_at += 1 / self.rate
            phase = self.phase[0]
            sent = time.perf_counter()
            try:
                status, seconds = self.one(session)
            except (OSError, http.client.HTTPException) as exc:
                status, seconds = f"conn:{type(exc).__name__}", float("nan")
            with self.lock:
                self.results.append((self.kind, phase, status, seconds, sent - T0[0]))
            time.sleep(max(0.0, next_at - time.perf_counter()))

    def one(self, session):
        raise NotImplementedError


class PgSampler(threading.Thread):
    """Every 0.1 s: the database's client backends (state, wait, blockers, query head; the import's
    backend is the one named `cg_import`) and the machine's runnable processes (/proc/stat)."""

    SQL = (
        "SELECT pid, application_name, state, coalesce(wait_event_type, ''), coalesce(wait_event, ''),"
        " pg_blocking_pids(pid), left(regexp_replace(query, '\\s+', ' ', 'g'), 70),"
        " extract(epoch FROM clock_timestamp() - xact_start)"
        " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        " AND backend_type = 'client backend'"
    )

    def __init__(self, url, stop):
        super().__init__(daemon=True)
        self.url, self.stop, self.samples = url, stop, []

    def run(self):
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.is_set():
                rows = conn.execute(self.SQL).fetchall()
                self.samples.append((time.perf_counter() - T0[0], runnable(), rows))
                time.sleep(0.1)

    def during(self, start, end):
        return [s for s in self.samples if start - 0.05 <= s[0] <= end + 0.05]


def runnable() -> int:
    with open("/proc/stat") as f:
        for line in f:
            if line.startswith("procs_running"):
                return int(line.split()[1])
    return -1


def describe(samples) -> list[str]:
    """What the import's backend did and which other backends waited, sample by sample (folded)."""
    out, last = [], None
    for t, running, rows in samples:
        imp = [r for r in rows if r[1] == "cg_import"]
        what = "import: " + (
            f"{imp[0][2]} {imp[0][3]}:{imp[0][4]} xact {imp[0][7] or 0:.0f}s «{imp[0][6]}»" if imp else "-"
        )
        waits = sorted(
            f"{r[3]}:{r[4]}" + (f" blocked by {r[5]}" if r[5] else "") + f" «{r[6][:40]}»"
            for r in rows
            if r[1] != "cg_import" and r[2] == "active" and r[3] not in ("", "Client")
        )
        line = what + ("; waiting: " + ", ".join(waits) if waits else "")
        if line != last:
            out.append(f"        t={t:7.2f} run={running:2} {line}")
            last = line
    return out


def overview(samples, limit=120) -> list[str]:
    """The import backend's changes of state and statement kind over the run."""
    out, last = [], None
    for t, running, rows in samples:
        imp = [r for r in rows if r[1] == "cg_import"]
        key = (imp[0][2], imp[0][6][:28]) if imp else ("-", "")
        if key != last:
            out.append(f"        t={t:7.2f} run={running:2} {key[0]} «{key[1]}»")
            last = key
    return out if len(out) <= limit else out[: limit // 2] + ["        …"] + out[-limit // 2 :]


def run(args) -> None:
    fresh_url = database_url(args.db, args.pg_url, name="import_concurrency", fresh=True)
    env = base_env(fresh_url, TIP_RATE_LIMIT_PER_HOUR="1000000000", PGAPPNAME="cg_web")
    prepare(env)
    shell(env, SETUP)
    units = shell(
        env,
        "from canhgiac.directory.models import AdministrativeUnit as U;"
        "print(' '.join(U.objects.exclude(parent=None).values_list('code', flat=True)))",
    ).split()
    wards = wards_of(env)
    small = BENCH_DIR / "import_concurrency_small.csv"
    qltt_file(small, 20, units, "S-", seed=1)
    subprocess.run(
        [script(), "import-cases", str(small), "--agency", "QLTT"], env=env, check=True, capture_output=True
    )
    case_id = shell(env, CASE_ID)
    big = BENCH_DIR / f"import_concurrency_{args.cases}.csv"
    rows = qltt_file(big, args.cases, units, "B-", seed=389)

    results: list = []
    lock = threading.Lock()
    phase = ["baseline"]
    stop = threading.Event()
    marker = f"imp{random.randrange(10**6)}"
    rng = random.Random(7)
    counter = iter(range(10**9))

    class Tip(Paced):
        def one(self, session):
            body = tip_body(rng, wards, marker, next(counter))
            start = time.perf_counter()
            status, _ = session.request("POST", "/api/v1/tips", body, {"Content-Type": "application/json"})
            return status, time.perf_counter() - start

    class CaseView(Paced):
        def one(self, session):
            start = time.perf_counter()
            status, _ = session.request("GET", f"/cases/{case_id}/")
            return status, time.perf_counter() - start

    class SignIn(Paced):
        def one(self, session):
            return session.sign_in()

    def nothing(session):
        pass

    def signed_in(session):
        status, _ = session.sign_in()
        if status != 302:
            sys.exit(f"the officer could not sign in (HTTP {status})")

    before = loadavg()
    worker = None
    if args.worker:  # as deployed: the worker seals what requests leave (a bulk writer's backlog)
        log = open(BENCH_DIR / f"import_concurrency-worker-{args.db}.log", "w")
        worker = subprocess.Popen([script(), "worker"], env=env, stdout=log, stderr=subprocess.STDOUT)
    with Server(env, args.port, args.workers, args.threads, name=f"import_concurrency-{args.db}"):
        threads = [
            Tip("tip", args.port, args.rate, stop, phase, results, lock, nothing),
            CaseView("case view", args.port, args.rate, stop, phase, results, lock, signed_in),
            SignIn("sign-in", args.port, args.rate, stop, phase, results, lock, nothing),
        ]
        for t in threads:
            t.start()
        time.sleep(args.baseline)
        load_baseline = loadavg()
        phase[0] = "import"
        began = T0[0] = time.perf_counter()
        sampler = None
        if args.db == "postgres" and args.trace:
            sampler = PgSampler(fresh_url, stop)
            sampler.start()
        done = subprocess.run(
            [script(), "import-cases", str(big), "--agency", "QLTT"],
            env={**env, "PGAPPNAME": "cg_import"},
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - began
        load_import = loadavg()
        stop.set()
        for t in threads:
            t.join(timeout=300)
        unsealed = shell(
            env,
            "from canhgiac.audit.models import AuditEvent as E; print(E.objects.filter(seq=None).count())",
        )
        sealed_after = None
        if worker is not None:
            while time.perf_counter() - began < seconds + 300:
                left = shell(
                    env,
                    "from canhgiac.audit.models import AuditEvent as E; print(E.objects.filter(seq=None).count())",
                )
                if left == "0":
                    sealed_after = time.perf_counter() - began - seconds
                    break
                time.sleep(1)
    if worker is not None:
        worker.terminate()
        worker.wait(timeout=30)
    if done.returncode:
        sys.exit(f"import failed: {done.stderr[-2000:]}")

    label = "PostgreSQL" if args.db == "postgres" else "SQLite"
    print(
        f"== {label}: import-cases of {args.cases:,} cases ({rows:,} rows) for QLTT took {seconds:.1f} s "
        f"({args.cases / seconds:,.0f} cases/s): {done.stdout.strip().splitlines()[-1]}"
    )
    print(
        f"   requests: {args.rate:g}/s of each kind; server {args.workers} workers x {args.threads} threads"
    )
    for kind, ok in (("tip", 201), ("case view", 200), ("sign-in", 302)):
        for name in ("baseline", "import"):
            mine = [r for r in results if r[0] == kind and r[1] == name]
            good = [r[3] for r in mine if r[2] == ok]
            other = Counter(str(r[2]) for r in mine if r[2] != ok)
            verdict = (
                "" if name == "baseline" else (" MET" if pct(good, 99) < TARGET and not other else " NOT MET")
            )
            print(
                f"   {kind:9} {name:8}: {len(mine):5} answers, p50 {pct(good, 50) * 1000:6.0f} ms, "
                f"p99 {pct(good, 99) * 1000:6.0f} ms, max {max(good, default=float('nan')) * 1000:6.0f} ms"
                + (f"; other answers {dict(other)}" if other else "")
                + (f" (target p99 < {TARGET:g} s:{verdict})" if verdict else "")
            )
    print(f"   load average: before {before}, end of baseline {load_baseline}, end of import {load_import}")
    print(
        f"   audit events unsealed when the import ended: {unsealed}"
        + ("" if worker is None else "; all sealed by the worker ")
        + (
            ""
            if worker is None
            else (f"{sealed_after:.1f} s later" if sealed_after is not None else "NOT within 300 s")
        )
        + ("" if worker is not None else " (no worker running: `--worker` starts one)")
    )
    slow = sorted((r for r in results if r[1] == "import" and not r[3] < SLOW), key=lambda r: r[4])
    if args.trace:
        print(f"   requests of the import phase slower than {SLOW:g} s (sent at t s after the import began):")
        for kind, _phase, status, secs, sent in slow:
            print(f"     {kind:9} sent t={sent:7.2f} took {secs * 1000:6.0f} ms (HTTP {status})")
            if sampler is not None:
                print("\n".join(describe(sampler.during(sent, sent + secs))))
        if sampler is not None:
            print("   the import's backend over the run (folded):")
            print("\n".join(overview(sampler.samples)))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5433/cg_tipsload_import")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=2.0, help="requests per second of each kind")
    parser.add_argument("--baseline", type=float, default=15.0, help="seconds measured before the import")
    parser.add_argument("--port", type=int, default=8112)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--worker", action="store_true", help="run `canhgiac worker` next to the server, as deployed"
    )
    parser.add_argument(
        "--trace",
        action="store_true",
        help="list the slow requests with the time they were sent and (PostgreSQL) what the database did",
    )
    run(parser.parse_args())


if __name__ == "__main__":
    main()
