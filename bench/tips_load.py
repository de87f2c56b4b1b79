"""Public tip intake under load while PostgreSQL restarts: no acknowledged tip lost, no stored tip
answered 503.

    python bench/tips_load.py --tips 6000 --clients 16 \\
        [--pg-url postgres://postgres@127.0.0.1:5433/cg_tipsload_restart] [--cluster 15/tipsbench]

Starts `canhgiac serve` (4 workers x 4 threads) on --port against the database of --pg-url,
sends --tips tips from --clients keep-alive clients, and when --restart-at of them are answered
restarts the PostgreSQL cluster --cluster (`pg_ctlcluster VERSION NAME restart`, fast mode: open
transactions are cut). Every tip's text carries its request number, so each stored row is matched
to the answer its request got. Prints:
- throughput and latencies, every kind of answer, and the answers around the restart;
- acknowledged (201) but not stored: must be 0;
- stored but answered 503 (or any non-201): must be 0 — the server checks a commit whose answer
  was lost before answering (tips/services.py);
- the load average.

Run it on a cluster of your own: the restart cuts every connection of the cluster. The benchmark
refuses a cluster on port 5432 (shared on the development machine). To make one:

    pg_createcluster 15 tipsbench -p 5433 && pg_ctlcluster 15 tipsbench start
    # and "trust" for 127.0.0.1 in /etc/postgresql/15/tipsbench/pg_hba.conf, then reload
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.serverkit import Load, Server, base_env, database_url, loadavg, pct, prepare  # noqa: E402
from bench.tips_vs_signin import tip_body, wards_of  # noqa: E402

NUMBER = re.compile(r"#(\d+):")


def stored_numbers(url: str, marker: str) -> dict[int, str]:
    """Request number -> code of every tip of this run in the database."""
    import psycopg

    for _attempt in range(60):
        try:
            with psycopg.connect(url) as conn:
                rows = conn.execute(
                    "SELECT code, description FROM tips_tip WHERE description LIKE %s", [f"Bench {marker} #%"]
                ).fetchall()
            return {int(NUMBER.search(text).group(1)): code for code, text in rows}
        except psycopg.OperationalError:
            time.sleep(1)
    raise SystemExit("database unreachable after the run")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tips", type=int, default=6000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--port", type=int, default=8111)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5433/cg_tipsload_restart")
    parser.add_argument("--cluster", default="15/tipsbench", help="VERSION/NAME of the cluster to restart")
    parser.add_argument("--restart-at", type=float, default=0.4, help="share of tips answered before it")
    parser.add_argument("--restarts", type=int, default=1, help="restart this many times, evenly spread")
    parser.add_argument("--no-restart", action="store_true")
    args = parser.parse_args()

    if (urlsplit(args.pg_url).port or 5432) == 5432 and not args.no_restart:
        sys.exit("refusing to restart the cluster on port 5432 (shared): use a cluster of your own")
    version, name = args.cluster.split("/")
    url = database_url("postgres", args.pg_url)
    env = base_env(url, TIP_RATE_LIMIT_PER_HOUR="1000000000")
    prepare(env)
    wards = wards_of(env)
    marker = uuid.uuid4().hex[:10]
    rngs = [random.Random(n) for n in range(args.clients)]
    numbers = iter(range(1, 10**9))
    lock = threading.Lock()

    def make(n):
        with lock:
            number = next(numbers)
        body = tip_body(rngs[n], wards, marker, number)
        return "POST", "/api/v1/tips", body, {"Content-Type": "application/json"}

    restarts: list[dict] = []
    before = loadavg()
    with Server(env, args.port, args.workers, args.threads, name="tips_load"):
        load = Load(args.port, make, clients=args.clients, count=args.tips)

        def restarter():
            marks = [
                args.restart_at + i * (1 - args.restart_at) / (args.restarts + 1)
                for i in range(args.restarts)
            ]
            for mark in marks:
                while len(load.results) < args.tips * mark:
                    time.sleep(0.05)
                began = time.time()
                done = subprocess.run(
                    ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],
                    capture_output=True,
                    text=True,
                )
                restarts.append(
                    {"start": began, "end": time.time(), "rc": done.returncode, "err": done.stderr.strip()}
                )

        watcher = None
        if not args.no_restart:
            watcher = threading.Thread(target=restarter, daemon=True)
            watcher.start()
        load.run()
        if watcher:
            watcher.join(timeout=120)
    after = loadavg()

    answers = load.results
    stored = stored_numbers(url, marker)  # request number -> code
    answer_of = {int(NUMBER.search(json.loads(r[4])["description"]).group(1)): r for r in answers}
    acknowledged = {number: json.loads(r[3])["code"] for number, r in answer_of.items() if r[1] == 201}
    lost = [n for n, code in acknowledged.items() if stored.get(n) != code]
    stored_refused = Counter(str(answer_of[n][1]) for n in stored if n not in acknowledged)
    statuses = Counter(str(r[1]) for r in answers)
    ok_latency = [r[2] for r in answers if r[1] == 201]

    print(
        f"tips sent: {len(answers)} by {args.clients} clients; server {args.workers} workers x {args.threads} "
        f"threads; database {urlsplit(url).path.lstrip('/')} on port {urlsplit(url).port}"
    )
    print(
        f"wall {load.wall:.1f} s: {len(answers) / load.wall:.1f} answers/s, {len(acknowledged) / load.wall:.1f} "
        f"stored tips/s; 201 latency p50 {pct(ok_latency, 50) * 1000:.0f} ms, p99 {pct(ok_latency, 99) * 1000:.0f} ms"
    )
    print("answers: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    for r in restarts:
        window = [a[1] for a in answers if r["start"] - 0.5 <= a[0] <= r["end"] + 5]
        print(
            f"restart of {args.cluster} (rc {r['rc']}{', ' + r['err'] if r['err'] else ''}) took "
            f"{r['end'] - r['start']:.1f} s; answers sent from its start to 5 s after: "
            + ", ".join(f"{k}: {v}" for k, v in sorted(Counter(str(s) for s in window).items()))
        )
    print(f"201 answers: {len(acknowledged)}; rows stored: {len(stored)}")
    print(f"acknowledged (201) but not stored, must be 0: {len(lost)}")
    refused = sum(v for k, v in stored_refused.items() if k != "201")
    print(
        f"stored but not answered 201, must be 0: {refused}"
        + (f" (answers they got: {dict(stored_refused)})" if refused else "")
    )
    print(f"load average before {before}, after {after}")
    sys.exit(1 if lost or refused else 0)


if __name__ == "__main__":
    main()
