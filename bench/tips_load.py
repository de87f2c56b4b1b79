"""Load benchmark of the public tip submission endpoint (POST /api/v1/tips).

Starts `canhgiac serve` on loopback against PostgreSQL, drives it with concurrent HTTP clients
(one keep-alive connection each), restarts PostgreSQL part-way through, then checks every tip
acknowledged with a 201 against the rows actually stored.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cg_tips_bench \\
        .venv/bin/python bench/tips_load.py --tips 10000 --clients 64

Needs: a PostgreSQL 15 cluster "main" that this user may restart with
`pg_ctlcluster --skip-systemctl-redirect 15 main restart` (use --no-restart otherwise). The
database named in DATABASE_URL is created if missing. The server runs with a very high
TIP_RATE_LIMIT_PER_HOUR so that the limiter does not refuse the benchmark's single source.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
CANHGIAC = str(ROOT / ".venv" / "bin" / "canhgiac")
GOODS = [
    "cosmetics",
    "milk",
    "food",
    "functional_food",
    "fuel",
    "alcohol_tobacco",
    "electronics",
    "fertilizer",
    "",
]
WORDS = (
    "cửa hàng bán hàng giả không hóa đơn kho xe tải ban đêm chợ livestream giá rẻ bất thường nhãn mác "
    "tiếng nước ngoài tem nhập khẩu hết hạn sử dụng thôn xóm đầu ngõ cạnh trường học bến xe"
).split()


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = url.replace(parts.path, "/postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def stored_codes(url: str, marker: str) -> set[str]:
    import psycopg

    for _attempt in range(30):
        try:
            with psycopg.connect(url) as conn:
                rows = conn.execute(
                    "SELECT code FROM tips_tip WHERE description LIKE %s", [f"Bench {marker}%"]
                )
                return {r[0] for r in rows}
        except psycopg.OperationalError:
            time.sleep(1)
    raise SystemExit("database unreachable after the run")


def wait_ready(port: int, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/tips/report/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("server did not start")


class Client(threading.Thread):
    def __init__(self, port, jobs, results, lock, marker, wards, rng_seed):
        super().__init__(daemon=True)
        self.port, self.jobs, self.results, self.lock, self.marker = port, jobs, results, lock, marker
        self.wards, self.rng = wards, random.Random(rng_seed)
        self.conn = None

    def payload(self, i: int) -> bytes:
        words = " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(8, 30)))
        data = {
            "description": f"Bench {self.marker} #{i}: {words}",
            "goods_category": self.rng.choice(GOODS),
            "unit_code": self.rng.choice(self.wards),
        }
        if self.rng.random() < 0.3:
            data.update(anonymous=False, reporter_phone=f"09{self.rng.randint(10000000, 99999999)}")
        return json.dumps(data).encode()

    def run(self):
        while True:
            with self.lock:
                if not self.jobs:
                    return
                i = self.jobs.pop()
            body = self.payload(i)
            start = time.perf_counter()
            status, code = None, None
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.conn.request(
                    "POST", "/api/v1/tips", body=body, headers={"Content-Type": "application/json"}
                )
                response = self.conn.getresponse()
                raw = response.read()
                status = response.status
                if status == 201:
                    code = json.loads(raw)["code"]
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
            except (OSError, http.client.HTTPException) as exc:
                status = f"conn:{type(exc).__name__}"
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
            elapsed = time.perf_counter() - start
            with self.lock:
                self.results.append((time.time(), status, elapsed, code))


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tips", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--restart-at", type=float, default=0.4, help="fraction of tips sent before the restart"
    )
    parser.add_argument("--no-restart", action="store_true")
    args = parser.parse_args()

    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("set DATABASE_URL=postgres://… (the benchmark runs against PostgreSQL)")
    ensure_database(url)
    env = {**os.environ, "TIP_RATE_LIMIT_PER_HOUR": "100000000", "DEBUG": "false", "LOG_LEVEL": "WARNING"}
    subprocess.run([CANHGIAC, "setup"], env=env, check=True, stdout=subprocess.DEVNULL)
    wards = subprocess.run(
        [
            CANHGIAC,
            "shell",
            "-c",
            "from canhgiac.directory.services import units;print(' '.join(u.code for u in units()[:40]))",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    wards = [w for w in wards if w.isdigit() and len(w) == 5]  # the shell also prints a banner

    log_path = ROOT / "var" / "bench_tips_server.log"
    log = open(log_path, "w")
    server = subprocess.Popen(
        [
            CANHGIAC,
            "serve",
            "--no-migrate",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_ready(args.port)
        marker = uuid.uuid4().hex[:10]
        jobs = list(range(args.tips, 0, -1))
        results: list = []
        lock = threading.Lock()
        clients = [Client(args.port, jobs, results, lock, marker, wards, n) for n in range(args.clients)]
        restart = {}

        def restarter():
            while len(results) < args.tips * args.restart_at:
                time.sleep(0.05)
            restart["start"] = time.time()
            done = subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", "15", "main", "restart"],
                capture_output=True,
                text=True,
            )
            restart["end"] = time.time()
            restart["rc"] = done.returncode
            restart["err"] = done.stderr.strip()

        started = time.time()
        for c in clients:
            c.start()
        watcher = None
        if not args.no_restart:
            watcher = threading.Thread(target=restarter, daemon=True)
            watcher.start()
        for c in clients:
            c.join()
        wall = time.time() - started
        if watcher:
            watcher.join(timeout=60)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()

    acknowledged = [code for _t, status, _e, code in results if status == 201]
    stored = stored_codes(url, marker)
    statuses = Counter(str(status) for _t, status, _e, _c in results)
    ok_latency = [e for _t, s, e, _c in results if s == 201]
    all_latency = [e for _t, _s, e, _c in results]
    lost = set(acknowledged) - stored
    unacknowledged = stored - set(acknowledged)

    print(
        f"tips sent: {len(results)} by {args.clients} concurrent clients; server: {args.workers} workers × "
        f"{args.threads} threads; database {urlsplit(url).path.lstrip('/')}"
    )
    print(
        f"wall time: {wall:.1f} s; throughput: {len(results) / wall:.1f} requests/s, "
        f"{len(acknowledged) / wall:.1f} stored tips/s"
    )
    print(
        f"latency of 201 answers: p50 {pct(ok_latency, 50) * 1000:.0f} ms, p99 {pct(ok_latency, 99) * 1000:.0f} ms;"
        f" all answers: p50 {pct(all_latency, 50) * 1000:.0f} ms, p99 {pct(all_latency, 99) * 1000:.0f} ms"
    )
    print("answers: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    if restart:
        window = [s for t, s, _e, _c in results if restart["start"] - 0.5 <= t <= restart["end"] + 5]
        print(
            f"PostgreSQL restart (rc {restart['rc']}{', ' + restart['err'] if restart['err'] else ''}): "
            f"{restart['end'] - restart['start']:.1f} s; answers from its start to 5 s after: "
            + ", ".join(f"{k}: {v}" for k, v in sorted(Counter(str(s) for s in window).items()))
        )
    print(
        f"201 answers: {len(acknowledged)}; rows stored: {len(stored)}; "
        f"acknowledged but not stored (must be 0): {len(lost)}; "
        f"stored but not acknowledged (commit raced the restart): {len(unacknowledged)}"
    )
    print(f"server log: {log_path}")
    sys.exit(1 if lost else 0)


if __name__ == "__main__":
    main()
