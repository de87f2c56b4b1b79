"""CPU per public tip and per sign-in page, in one process, through Django's WSGI handler.

    DATABASE_URL=sqlite:////tmp/tips_cpu.sqlite3 .venv/bin/python bench/tips_cpu.py [--requests 400]
    [--profile tip|signin] [--sort tottime]

The database must be migrated and set up (`canhgiac migrate && canhgiac createcachetable &&
canhgiac setup --no-migrate`). Connections are kept between requests as under `canhgiac serve`
(CONN_MAX_AGE, health checks). The bench's own mix (40 communes, eight goods categories, 30 %
with a phone number, as `tips_vs_signin.py` sends) is sent once to warm the per-process caches,
then `--requests` of each kind are timed with `time.process_time()`, alternating the kinds in
blocks of 50 so that a change of the machine's load falls on both. Prints CPU milliseconds per
request of each, their ratio (what caps tips/sign-in on a CPU-bound server), the queries of one
tip, and the load average. `--profile` prints a cProfile (CPU time) of that kind instead.
No server, no threads: this is the per-request cost, not the throughput.
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canhgiac.settings")
os.environ.setdefault("TIP_RATE_LIMIT_PER_HOUR", "1000000000")

from bench.tips_vs_signin import tip_body  # noqa: E402


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--profile", choices=["tip", "signin"])
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from canhgiac.directory.models import AdministrativeUnit

    connection.settings_dict["CONN_MAX_AGE"] = 300  # as `canhgiac serve` keeps them
    connection.settings_dict["CONN_HEALTH_CHECKS"] = True
    app = WSGIHandler()
    wards = list(
        AdministrativeUnit.objects.exclude(parent=None).order_by("code").values_list("code", flat=True)[:40]
    )
    rng, marker, seq = random.Random(389), os.urandom(4).hex(), iter(range(10**9))

    def environ(method, path, body=b""):
        return {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8110",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1:8110",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "CONTENT_TYPE": "application/json" if body else "",
            "CONTENT_LENGTH": str(len(body)) if body else "",
        }

    def one(kind):
        if kind == "tip":
            env, want = environ("POST", "/api/v1/tips", tip_body(rng, wards, marker, next(seq))), "201"
        else:
            env, want = environ("GET", "/accounts/login/"), "200"
        status = []
        out = app(env, lambda s, h, *a: status.append(s))
        content = b"".join(out)
        out.close()
        if not status[0].startswith(want):
            sys.exit(f"{kind}: {status[0]} {content[:300]!r}")

    for kind in ("tip", "signin"):
        for _ in range(max(400, 2 * len(wards) * 8)):
            one(kind)
    with CaptureQueriesContext(connection) as ctx:
        one("tip")
    print(f"database: {connection.vendor}; queries of one tip: {len(ctx.captured_queries)}")
    if args.profile:
        prof = cProfile.Profile(time.process_time)
        prof.enable()
        for _ in range(args.requests):
            one(args.profile)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats(args.sort).print_stats(60)
        print(out.getvalue())
        return
    cpu = {"tip": 0.0, "signin": 0.0}
    load = os.getloadavg()[0]
    for _block in range(max(1, args.requests // 50)):
        for kind in cpu:
            start = time.process_time()
            for _ in range(50):
                one(kind)
            cpu[kind] += time.process_time() - start
    n = max(1, args.requests // 50) * 50
    tip, signin = (cpu[k] * 1000 / n for k in ("tip", "signin"))
    print(
        f"CPU per request ({n} of each): tip {tip:.2f} ms, sign-in page {signin:.2f} ms; "
        f"sign-in/tip = {signin / tip * 100:.1f} % (the tips/sign-in ratio a CPU-bound server "
        f"reaches at best); load average {load:.2f} -> {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
