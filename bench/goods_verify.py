"""The public check over HTTP against the sign-in page, on the same server in the same run.

    python bench/goods_verify.py [--db sqlite|postgres|both] [--codes 1000000] [--seconds 10]
        [--rounds 3] [--clients 16] [--port 8120] [--pg-url postgres://postgres@127.0.0.1:5432/cg_goods_bench]

For each database: migrate and load the reference data, register a product and issue `--codes`
signed codes with `canhgiac issue-codes` (skipped when the database already holds that many),
then start ONE `canhgiac serve` (4 workers x 4 threads) and alternate, `--rounds` times, a phase
of `GET /accounts/login/` and a phase of `GET /api/v1/verify?code=…&unit_code=…` of `--seconds`
each with `--clients` keep-alive clients. The checks are a mix: 80 % issued codes drawn at random
from the batch, 10 % the same codes with an altered signature character (forged), 10 % plain
GTINs; each names a random commune, so every check writes its log row. Prints requests/s of each
side, the p50/p95/p99 latency of the check, the ratio, the statuses answered and the load.

Issue 13's targets: p95 under 50 ms with 16 concurrent connections, and at least 50 % of the
sign-in page's requests/s, with 1,000,000 issued codes, on PostgreSQL and SQLite.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.goods_issue import MAKE_PRODUCT, issue  # noqa: E402
from bench.serverkit import (  # noqa: E402
    Load,
    Server,
    base_env,
    database_url,
    loadavg,
    pct,
    prepare,
    shell,
    tree_cpu_seconds,
)

TARGET_RATIO, TARGET_P95 = 0.5, 0.050
COUNT = (
    "from canhgiac.goods.models import SerialCode; from django.conf import settings;"
    "print(SerialCode.objects.count(), settings.CANHGIAC_BASE_URL)"
)
SAMPLE = 5000


def wards_of(env: dict) -> list[str]:
    line = shell(
        env,
        "from canhgiac.directory.models import AdministrativeUnit as U;"
        "print(' '.join(U.objects.exclude(parent=None).order_by('code').values_list('code', flat=True)[:80]))",
    )
    return [w for w in line.split() if w.isdigit()]


def sample_codes(env, want: int) -> list[str]:
    """Codes to check: issue the batch if the database holds fewer than `want`, else re-sign a
    sample of stored serials (the codes are deterministic: Ed25519 signs the same bytes alike)."""
    have = int(shell(env, COUNT).split()[0])
    if have < want:
        wall, out = issue(env, f"V{random.randrange(10**6)}", want - have, 2)
        print(f"   issued {want - have:,} codes in {wall:.1f} s")
        lines = out.read_text(encoding="utf-8").splitlines()[1:]
        out.unlink(missing_ok=True)
        rng = random.Random(1)
        return [line.split(",", 1)[1] for line in rng.sample(lines, min(SAMPLE, len(lines)))]
    code = f"""
import json, random
from django.conf import settings
from canhgiac.goods import signing
from canhgiac.goods.models import CodeBatch, SerialCode
ids = list(SerialCode.objects.order_by("?").values_list("serial", "lot", "batch_id")[:{SAMPLE}])
batches = {{b.pk: b for b in CodeBatch.objects.select_related("key", "product")}}
out = []
for serial, lot, batch_id in ids:
    b = batches[batch_id]
    out += signing.sign_chunk((signing.private_bytes(b.key), settings.CANHGIAC_BASE_URL, b.product.gtin, lot, b.key.kid, [serial]))
print(json.dumps(out))
"""
    return json.loads(shell(env, code))


def bench(label: str, url: str, args) -> None:
    env = base_env(url)
    prepare(env)
    shell(env, MAKE_PRODUCT)
    print(f"== {label}")
    codes = sample_codes(env, args.codes)
    total = int(shell(env, COUNT).split()[0])
    wards = wards_of(env)
    rngs = [random.Random(100 + n) for n in range(args.clients)]

    def verify(n):
        rng = rngs[n]
        roll = rng.random()
        code = rng.choice(codes)
        if roll < 0.1:
            code = code[:-3] + ("A" if code[-3] != "A" else "B") + code[-2:]
        elif roll < 0.2:
            code = "8934588012228"
        query = urlencode({"code": code, "unit_code": rng.choice(wards)})
        return "GET", f"/api/v1/verify?{query}", None, {}

    def signin(_n):
        return "GET", "/accounts/login/", None, {}

    before = loadavg()
    sides = {"signin": [], "verify": []}
    cpu = {"signin": 0.0, "verify": 0.0}
    with Server(env, args.port, args.workers, args.threads, name=f"goods_verify-{label}") as server:
        for _round in range(args.rounds):
            for side, make in (("signin", signin), ("verify", verify)):
                start = tree_cpu_seconds(server.process.pid)
                sides[side].append(Load(args.port, make, clients=args.clients, seconds=args.seconds).run())
                cpu[side] += tree_cpu_seconds(server.process.pid) - start
    after = loadavg()

    def rate(loads):
        return sum(len(x.ok(200)) for x in loads) / sum(x.wall for x in loads)

    signin_rate, verify_rate = rate(sides["signin"]), rate(sides["verify"])
    latencies = [r[2] for x in sides["verify"] for r in x.results if r[1] == 200]
    statuses = Counter()
    for x in sides["verify"]:
        for r in x.results:
            if r[1] == 200:
                statuses[json.loads(r[3])["status"]] += 1
    others = Counter()
    for x in sides["verify"] + sides["signin"]:
        others.update(s for s in x.statuses().elements() if s != "200")
    p95 = pct(latencies, 95)
    ratio = verify_rate / signin_rate if signin_rate else 0.0
    signin_lat = [r[2] for x in sides["signin"] for r in x.results if r[1] == 200]
    print(
        f"   {total:,} issued codes; {args.workers} workers x {args.threads} threads, {args.clients} clients, "
        f"{args.rounds} rounds of {args.seconds:g} s per side"
    )
    print(
        f"   sign-in GET /accounts/login/: {signin_rate:.1f} req/s; p50 {pct(signin_lat, 50) * 1000:.0f} ms, "
        f"p95 {pct(signin_lat, 95) * 1000:.0f} ms"
    )
    print(
        f"   verify GET /api/v1/verify: {verify_rate:.1f} req/s; p50 {pct(latencies, 50) * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, p99 {pct(latencies, 99) * 1000:.0f} ms; statuses {dict(statuses)}"
        + (f"; other answers {dict(others)}" if others else "")
    )
    served = {side: sum(len(x.ok(200)) for x in loads) for side, loads in sides.items()}
    print(
        "   server CPU (gunicorn and its workers): sign-in "
        f"{cpu['signin']:.1f} s = {cpu['signin'] / max(1, served['signin']) * 1000:.2f} ms/request, verify "
        f"{cpu['verify']:.1f} s = {cpu['verify'] / max(1, served['verify']) * 1000:.2f} ms/request"
    )
    client = {side: sum(x.cpu for x in loads) for side, loads in sides.items()}
    print(
        "   client CPU (this process, the load generator): sign-in "
        f"{client['signin'] / max(1, served['signin']) * 1000:.2f} ms/request, verify "
        f"{client['verify'] / max(1, served['verify']) * 1000:.2f} ms/request"
    )
    print(
        f"   verify / sign-in = {ratio * 100:.1f} % (target >= {TARGET_RATIO * 100:.0f} %: "
        f"{'MET' if ratio >= TARGET_RATIO else 'NOT MET'}); p95 target < {TARGET_P95 * 1000:.0f} ms: "
        f"{'MET' if p95 < TARGET_P95 else 'NOT MET'}; load average before {before}, after {after}"
    )
    print("   uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/cg_goods_bench")
    parser.add_argument("--codes", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--port", type=int, default=8120)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument(
        "--sqlite-name",
        default="goods_verify",
        help="the SQLite file under var/bench/ (goods_issue's: goods_issue)",
    )
    args = parser.parse_args()
    if args.db in ("postgres", "both"):
        bench("PostgreSQL", database_url("postgres", args.pg_url, fresh=args.fresh), args)
    if args.db in ("sqlite", "both"):
        bench("SQLite", database_url("sqlite", args.pg_url, name=args.sqlite_name, fresh=args.fresh), args)


if __name__ == "__main__":
    main()
