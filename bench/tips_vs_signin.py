"""Public tip intake against the sign-in page, on the same server in the same run.

    python bench/tips_vs_signin.py [--db sqlite|postgres|both] [--seconds 10] [--rounds 3]
        [--clients 16] [--port 8110] [--pg-url postgres://postgres@127.0.0.1:5433/cg_tipsload_bench]

For each database: migrate and load the reference data, count the queries of one tip submission
(in this process, through Django's test client, on-commit work included), then start ONE
`canhgiac serve` (4 workers x 4 threads by default) and alternate, `--rounds` times, a phase of
`GET /accounts/login/` and a phase of `POST /api/v1/tips` of `--seconds` each with the same
`--clients` keep-alive clients. Alternating rounds keep a change of the machine's load from
favouring one side. Prints requests/s of each side (200 and 201 answers only), the ratio against
the 25 % target, the latencies, every non-success answer, and the load average before and after.

Issue 10's target: tip intake >= 25 % of the sign-in page's requests/s, on PostgreSQL and SQLite.
The server runs with a very high TIP_RATE_LIMIT_PER_HOUR (one source sends everything) but the
limiter still counts every request.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.serverkit import (  # noqa: E402
    Load,
    Server,
    base_env,
    database_url,
    loadavg,
    pct,
    postmaster_pid,
    prepare,
    shell,
    tree_cpu_seconds,
)

TARGET = 0.25
GOODS = ["cosmetics", "milk", "food", "functional_food", "fuel", "alcohol_tobacco", "electronics", ""]
WORDS = (
    "cửa hàng bán hàng giả không hóa đơn kho xe tải ban đêm chợ giá rẻ bất thường nhãn mác "
    "tiếng nước ngoài tem nhập khẩu hết hạn sử dụng thôn xóm đầu ngõ cạnh trường học bến xe"
).split()


def tip_body(rng: random.Random, wards: list[str], marker: str, n: int) -> bytes:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
    data = {
        "description": f"Bench {marker} #{n}: {words}",
        "goods_category": rng.choice(GOODS),
        "unit_code": rng.choice(wards),
    }
    if rng.random() < 0.3:
        data.update(anonymous=False, reporter_phone=f"09{rng.randint(10000000, 99999999)}")
    return json.dumps(data).encode()


COUNT_QUERIES = r"""
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from canhgiac.directory.models import AdministrativeUnit
ward = AdministrativeUnit.objects.exclude(parent=None).order_by("code").first().code
client = Client()
counts = []
for n in range(4):
    body = {"description": f"Bench query count {n}: cửa hàng bán mỹ phẩm giả không hóa đơn",
            "goods_category": "cosmetics", "unit_code": ward}
    if n % 2:
        body.update(anonymous=False, reporter_phone="0912345678")
    with CaptureQueriesContext(connection) as ctx:
        r = client.post("/api/v1/tips", json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    counts.append(len(ctx.captured_queries))
print("COUNTS", json.dumps(counts))
"""


def wards_of(env: dict) -> list[str]:
    line = shell(
        env,
        "from canhgiac.directory.models import AdministrativeUnit as U;"
        "print(' '.join(U.objects.exclude(parent=None).order_by('code').values_list('code', flat=True)[:40]))",
    )
    return [w for w in line.split() if w.isdigit()]


def bench(label: str, url: str, args) -> dict:
    env = base_env(url, TIP_RATE_LIMIT_PER_HOUR="1000000000")
    prepare(env)
    counts = shell(env, COUNT_QUERIES).removeprefix("COUNTS ")
    wards = wards_of(env)
    marker = os.urandom(4).hex()
    rngs = [random.Random(n) for n in range(args.clients)]
    seq = iter(range(10**9))

    def signin(_n):
        return "GET", "/accounts/login/", None, {}

    def tip(n):
        body = tip_body(rngs[n], wards, marker, next(seq))
        return "POST", "/api/v1/tips", body, {"Content-Type": "application/json"}

    before = loadavg()
    sides = {"signin": [], "tips": []}
    cpu = {side: [0.0, 0.0] for side in sides}  # CPU seconds of the server and of PostgreSQL
    pg = postmaster_pid(url) if url.startswith("postgres") else None
    with Server(env, args.port, args.workers, args.threads, name=f"tips_vs_signin-{label}") as server:
        for _round in range(args.rounds):
            for side, make in (("signin", signin), ("tips", tip)):
                start = tree_cpu_seconds(server.process.pid), tree_cpu_seconds(pg)
                sides[side].append(Load(args.port, make, clients=args.clients, seconds=args.seconds).run())
                cpu[side][0] += tree_cpu_seconds(server.process.pid) - start[0]
                cpu[side][1] += tree_cpu_seconds(pg) - start[1]
    after = loadavg()

    def rate(loads, status):
        return sum(len(x.ok(status)) for x in loads) / sum(x.wall for x in loads)

    signin_rate, tip_rate = rate(sides["signin"], 200), rate(sides["tips"], 201)
    ratio = tip_rate / signin_rate if signin_rate else 0.0
    print(
        f"== {label}: {args.workers} workers x {args.threads} threads, {args.clients} clients, "
        f"{args.rounds} rounds of {args.seconds:g} s per side"
    )
    print(f"   queries per tip submission (4 tips, test client, on-commit work included): {counts}")
    for side, key, status in (
        ("sign-in GET /accounts/login/", "signin", 200),
        ("tips POST /api/v1/tips", "tips", 201),
    ):
        loads = sides[key]
        latencies = [r[2] for x in loads for r in x.results if r[1] == status]
        per_round = ", ".join(f"{len(x.ok(status)) / x.wall:.0f}" for x in loads)
        others = Counter()
        for x in loads:
            others.update(x.statuses())
        others.pop(str(status), None)
        answered = sum(len(x.results) for x in loads) or 1
        server_ms, db_ms = (c * 1000 / answered for c in cpu[key])
        print(
            f"   {side}: {rate(loads, status):.1f} req/s (rounds: {per_round}); p50 "
            f"{pct(latencies, 50) * 1000:.0f} ms, p99 {pct(latencies, 99) * 1000:.0f} ms; "
            f"CPU per request: server {server_ms:.1f} ms"
            + (f", PostgreSQL {db_ms:.1f} ms" if pg else "")
            + (f"; other answers: {dict(others)}" if others else "")
        )
    verdict = "MET" if ratio >= TARGET else "NOT MET"
    print(
        f"   tips / sign-in = {ratio * 100:.1f} % (target >= {TARGET * 100:.0f} %: {verdict}); "
        f"load average before {before}, after {after}"
    )
    return {"ratio": ratio}


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5433/cg_tipsload_bench")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--port", type=int, default=8110)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    args = parser.parse_args()
    if args.db in ("postgres", "both"):
        bench("PostgreSQL", database_url("postgres", args.pg_url, fresh=args.fresh), args)
    if args.db in ("sqlite", "both"):
        bench("SQLite", database_url("sqlite", args.pg_url, name="tips_vs_signin", fresh=args.fresh), args)


if __name__ == "__main__":
    main()
