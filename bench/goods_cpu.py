"""CPU per public check and per sign-in page, in one process, through Django's WSGI handler.

    python bench/goods_cpu.py [--db sqlite|postgres] [--codes 5000] [--requests 400]
        [--profile verify|signin] [--sort tottime]
        [--pg-url postgres://postgres@127.0.0.1:5432/cg_goods_cpu]

Prepares its database as `goods_verify.py` does (migrate, reference data, one product, `--codes`
signed codes issued when fewer are stored; SQLite under var/bench/goods_cpu.sqlite3), re-signs a
sample of the stored serials (kept in var/bench/goods_cpu-DB-CODES.json: a rerun skips all this;
delete the file after changing the database), then, in this process, sends `GET /api/v1/verify?code=…&unit_code=…`
with `goods_verify.py`'s mix (80 % issued codes, 10 % altered signatures, 10 % plain GTINs, each
with one of 80 communes) and `GET /accounts/login/` straight to `django.core.handlers.wsgi
.WSGIHandler` (every middleware, URL resolving, the view, the response's iteration; no HTTP, no
gunicorn). Connections are kept between requests as under `canhgiac serve`; the check log is
written as under `canhgiac serve` (the per-process writer thread, GOODS_CHECK_LOG_FLUSH_MS) and
its thread's CPU is counted (process time covers every thread of the process).

After a warm-up, `--requests` of each kind are timed with `time.process_time()`, alternating the
kinds in blocks of 50 so that a change of the machine's load falls on both. Prints CPU
milliseconds per request of each, the queries of one check, and the load average. `--profile`
prints a cProfile (CPU time) of that kind instead. No server, no threads: this is the
per-request cost, not the throughput (`goods_verify.py` measures that over HTTP).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.goods_issue import MAKE_PRODUCT  # noqa: E402
from bench.goods_verify import COUNT, sample_codes, wards_of  # noqa: E402
from bench.serverkit import BENCH_DIR, base_env, database_url, prepare, shell  # noqa: E402


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/cg_goods_cpu")
    parser.add_argument("--codes", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--profile", choices=["verify", "signin"])
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=60)
    parser.add_argument(
        "--http",
        action="store_true",
        help="send the same requests one at a time over HTTP to `canhgiac serve` and count the "
        "server's CPU (gunicorn and its workers) per request instead",
    )
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=8127)
    args = parser.parse_args()

    url = database_url(args.db, args.pg_url, name="goods_cpu")
    env = base_env(url)
    # the prepared database's sample (codes, communes) is kept next to it: a rerun skips preparing
    saved = BENCH_DIR / f"goods_cpu-{args.db}-{args.codes}.json"
    if saved.exists():
        total, codes, wards = json.loads(saved.read_text())
    else:
        prepare(env)
        shell(env, MAKE_PRODUCT)
        codes = sample_codes(env, args.codes)
        total = int(shell(env, COUNT).split()[0])
        wards = wards_of(env)
        saved.write_text(json.dumps([total, codes, wards]))
    if args.http:
        return over_http(env, codes, wards, args)
    os.environ.update({k: v for k, v in env.items() if k in ("DATABASE_URL", "CANHGIAC_VAR_DIR", "DEBUG")})
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canhgiac.settings")

    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from canhgiac.core.management.commands.serve import _keep_connections

    _keep_connections()  # as `canhgiac serve`: connections kept, checked once per request
    app = WSGIHandler()
    rng = random.Random(389)

    def environ(path, query=""):
        return {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8120",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1:8120",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }

    # the query strings are made before any timing: only the server's side is measured
    queries = queries_of(codes, wards, rng)
    sent = iter(range(10**9))

    statuses = {}

    def one(kind):
        if kind == "verify":
            env = environ("/api/v1/verify", queries[next(sent) % len(queries)])
        else:
            env = environ("/accounts/login/")
        status = []
        out = app(env, lambda s, h, *a: status.append(s))
        content = b"".join(out)
        out.close()
        if not status[0].startswith("200"):
            sys.exit(f"{kind}: {status[0]} {content[:300]!r}")
        if kind == "verify":
            answer = json.loads(content)["status"]
            statuses[answer] = statuses.get(answer, 0) + 1

    for kind in ("verify", "signin"):
        for _ in range(300):
            one(kind)
    with CaptureQueriesContext(connection) as ctx:
        one("verify")
    print(
        f"database: {connection.vendor}; {total:,} issued codes; queries of one check (the log "
        f"row is written by the writer thread): {len(ctx.captured_queries)}"
    )
    if args.profile:
        prof = cProfile.Profile(time.process_time)
        prof.enable()
        for _ in range(args.requests):
            one(args.profile)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats(args.sort).print_stats(args.lines)
        print(out.getvalue())
        return
    cpu = {"verify": 0.0, "signin": 0.0}
    statuses.clear()
    load = os.getloadavg()[0]
    blocks = max(1, args.requests // 50)
    for _block in range(blocks):
        for kind in cpu:
            start = time.process_time()
            for _ in range(50):
                one(kind)
            cpu[kind] += time.process_time() - start
    n = blocks * 50
    verify, signin = (cpu[k] * 1000 / n for k in ("verify", "signin"))
    print(
        f"CPU per request ({n} of each): check {verify:.2f} ms, sign-in page {signin:.2f} ms "
        f"(check/sign-in = {verify / signin * 100:.1f} %); statuses {statuses}; "
        f"load average {load:.2f} -> {os.getloadavg()[0]:.2f}"
    )


def queries_of(codes, wards, rng, n=4096):
    """`n` query strings of goods_verify.py's mix (made before any timing)."""

    def one():
        roll, code = rng.random(), rng.choice(codes)
        if roll < 0.1:
            code = code[:-3] + ("A" if code[-3] != "A" else "B") + code[-2:]
        elif roll < 0.2:
            code = "8934588012228"
        return urlencode({"code": code, "unit_code": rng.choice(wards)})

    return [one() for _ in range(n)]


def over_http(env, codes, wards, args):
    """The same requests, one at a time on one keep-alive connection, to `canhgiac serve`: the
    server's CPU per request (gunicorn's HTTP parsing, access log and threads included); the
    difference from the in-process figure is the server's own cost."""
    from bench.serverkit import Load, Server, tree_cpu_seconds

    queries = queries_of(codes, wards, random.Random(389))
    sent = iter(range(10**9))

    def verify(_n):
        return "GET", f"/api/v1/verify?{queries[next(sent) % len(queries)]}", None, {}

    def signin(_n):
        return "GET", "/accounts/login/", None, {}

    kinds = {"verify": verify, "signin": signin}
    cpu, served = dict.fromkeys(kinds, 0.0), dict.fromkeys(kinds, 0)
    load = os.getloadavg()[0]
    with Server(env, args.port, args.workers, args.threads, name="goods_cpu") as server:
        for make in kinds.values():
            Load(args.port, make, clients=1, count=200).run()  # warm up
        for _block in range(max(1, args.requests // 50)):
            for kind, make in kinds.items():
                start = tree_cpu_seconds(server.process.pid)
                done = Load(args.port, make, clients=1, count=50).run()
                cpu[kind] += tree_cpu_seconds(server.process.pid) - start
                served[kind] += len(done.ok(200))
    verify_ms, signin_ms = (cpu[k] * 1000 / max(1, served[k]) for k in kinds)
    print(
        f"over HTTP, {args.workers} worker(s) x {args.threads} thread(s), one request at a time: "
        f"server CPU per request: check {verify_ms:.2f} ms ({served['verify']} answered 200), "
        f"sign-in page {signin_ms:.2f} ms ({served['signin']}); load average {load:.2f} -> "
        f"{os.getloadavg()[0]:.2f} (CPU from /proc in clock ticks of 10 ms: run 400+ requests)"
    )


if __name__ == "__main__":
    main()
