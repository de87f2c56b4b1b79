"""Benchmark of EPCIS queries on a large store (PostgreSQL): `MATCH_anyEPC` for one item and the
trace of one lot, each with a target of 200 ms at 10,000,000 events (issue 14), and the other
common queries beside them.

    .venv/bin/python bench/epcis_load.py --events 10000000 --pg-url postgres://…/cg_epcis_bench
    .venv/bin/python bench/epcis_query.py --pg-url postgres://…/cg_epcis_bench [--runs 100]

The database is the one bench/epcis_load.py filled (a synthetic supply chain loaded by COPY; see
bench/epcis_supply.py). Each query runs `--runs` times on different items, lots, GTINs and time
windows drawn at random over the whole store (no single warm key), as an officer of the market
surveillance force of Đắk Lắk (the policy keeps him to the events of his province, as in use) and,
for the first two, also as a national administrator (every province). Printed for each: p50, p95
and max in ms, how many events the answers held, then EXPLAIN ANALYZE of the slowest run's main
statement, the tables' and indexes' sizes and the machine's load average.

- `MATCH_anyEPC` (service): `query.run` - the code behind GET /api/v1/epcis/events - with
  `MATCH_anyEPC=<URN of one item>`; (HTTP): the same through the Django test client, JSON answer.
- `GET /api/v1/epcis/epcs/{epc}/events` through the test client.
- lot trace: `trace.trace(user, <lot Digital Link>)`, the service of the lot trace page
  (/goods/trace/?q=…), and the page itself through the test client.
- `MATCH_epcClass` of a lot (exact class) and of a GTIN (every lot of it).
- `EQ_bizStep=retail_selling` with a 7-day `GE_eventTime`/`LT_eventTime` window: first page, and a
  deep page (the `nextPageToken` of the window's middle event); `EQ_bizStep=inspecting` (rare) the
  same; the first page as a national administrator too (no province filter).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import epcis_supply as supply  # noqa: E402


def setup(pg_url: str) -> None:
    os.environ["DATABASE_URL"] = pg_url
    os.environ.setdefault("CANHGIAC_VAR_DIR", str(ROOT / "var" / "bench" / "var_epcis_query"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "canhgiac.settings"
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()


def users():
    """An officer of QLTT Đắk Lắk and a national administrator (made once in the bench database)."""
    from canhgiac.accounts import services
    from canhgiac.accounts.models import User
    from canhgiac.core import policy
    from canhgiac.directory.models import AdministrativeUnit, Agency

    province = AdministrativeUnit.objects.get(code="66")
    agency, _created = Agency.objects.get_or_create(
        code="QLTT",
        province=province,
        defaults={"name": "Cục Quản lý thị trường tỉnh Đắk Lắk", "kind": Agency.Kind.FORCE},
    )
    officer = User.objects.filter(username="bench_officer").first() or services.create_user(
        "bench_officer", None, memberships=[(agency, policy.OFFICER)]
    )
    admin = User.objects.filter(username="bench_admin").first() or services.create_user(
        "bench_admin", None, is_superuser=True
    )
    return officer, admin


def urn(lt, k):
    cp, ir = supply.gtin_urn_parts(lt.product)
    return f"urn:epc:id:sgtin:{cp}.{ir}.{lt.number:06d}{k:03d}"


def measure(label, fn, args, events):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, sizes, slowest = [], [], (0.0, None, None)
    fn(args[-1])  # one untimed call first (imports, URL resolver, session), on a key not timed
    for arg in args[:-1]:
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            size = fn(arg)
            ms = (time.perf_counter() - start) * 1000
        times.append(ms)
        sizes.append(size)
        if ms > slowest[0]:
            slowest = (ms, arg, [q["sql"] for q in ctx.captured_queries])
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    print(
        f"{label:44} p50 {statistics.median(times):7.1f}  p95 {p95:7.1f}  max {times[-1]:7.1f} ms"
        f"  ({len(times)} runs, events per answer {min(sizes)}-{max(sizes)}, "
        f"{'under' if times[-1] < 200 else 'OVER'} 200 ms at {events:,}); load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    return label, slowest


def explain(label, slowest):
    from django.db import connection

    ms, arg, sqls = slowest
    if not sqls:
        return
    # the statement reading events (the longest one), explained with the same values
    sql = max(sqls, key=lambda s: ("goods_epcisevent" in s, len(s)))
    print(f"\nEXPLAIN ANALYZE of the slowest `{label}` ({ms:.1f} ms, {arg}):")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        for (line,) in cursor.fetchall():
            print("   ", line)


def sizes():
    from django.db import connection

    print("\nTables and indexes:")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relkind, pg_size_pretty(pg_total_relation_size(c.oid)), "
            "pg_size_pretty(pg_relation_size(c.oid)), c.reltuples::bigint FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND "
            "(c.relname LIKE 'goods_epcis%%') AND c.relkind IN ('r', 'i') ORDER BY c.relkind DESC, "
            "pg_relation_size(c.oid) DESC"
        )
        for name, kind, total, own, rows in cursor.fetchall():
            if kind == "r":
                print(f"    table {name:40} {own:>9} (with indexes and TOAST {total}), ~{rows:,} rows")
            else:
                print(f"    index {name:40} {own:>9}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/cg_epcis_bench")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--only", default="", help="run only the queries whose label contains this")
    args = parser.parse_args()
    setup(args.pg_url)
    from django.http import QueryDict
    from django.test import Client

    from canhgiac.goods.epcis import query, trace
    from canhgiac.goods.models import EpcisEvent

    officer, admin = users()
    events = EpcisEvent.objects.count()
    last = EpcisEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    # the lots in the store (the loader's plan), drawn at random
    nlots = 0
    total = 0
    while total < events:
        total += supply.lot(nlots).event_count()
        nlots += 1
    rng = random.Random(389)
    print(f"{events:,} events, {nlots:,} lots (last event id {last:,}); load {os.getloadavg()[0]:.1f}")

    def lots(n):
        return [supply.lot(rng.randrange(nlots - 1)) for _ in range(n)]

    def items(n):
        return [(lt, rng.randrange(lt.items)) for lt in lots(n)]

    officer_client, admin_client = Client(), Client()
    officer_client.force_login(officer)
    admin_client.force_login(admin)

    def any_epc(user):
        def run(item):
            lt, k = item
            return len(query.run(user, QueryDict(f"MATCH_anyEPC={quote(urn(lt, k))}")).events)

        return run

    def http(client, path_of):
        def run(arg):
            path = path_of(arg)
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code, response.content[:300])
            return len(response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"])

        return run

    def lot_trace(user):
        def run(lt):
            return len(trace.trace(user, supply.lot_uri(lt)).steps)

        return run

    def trace_page(lt):
        response = officer_client.get("/goods/trace/?q=" + quote(supply.lot_uri(lt)))
        assert response.status_code == 200, response.status_code
        return len(response.context["trace"].steps)

    def params(text, user=officer):
        def run(arg):
            return len(query.run(user, QueryDict(text(arg))).events)

        return run

    def window(arg):
        step, start = arg
        end = start + timedelta(days=7)
        return (
            f"EQ_bizStep={step}&GE_eventTime={quote(start.isoformat())}&LT_eventTime={quote(end.isoformat())}"
        )

    def windows(step, n):
        out = []
        for _ in range(n):
            start = supply.START + timedelta(days=rng.randrange(720), hours=rng.randrange(24))
            out.append((step, start))
        return out

    def deep(arg):
        # the token a client holds after paging to the middle of the window: the id of the middle
        # event of the window (events come in capture order, id order)
        step, start = arg
        end = start + timedelta(days=7)
        ids = (
            EpcisEvent.objects.filter(
                biz_step=supply.CBV + "BizStep-" + step, event_time__gte=start, event_time__lt=end
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        count = ids.count()
        middle = ids[count // 2] if count else 0
        return window(arg) + "&nextPageToken=" + query.encode_token(middle)

    runs = args.runs + 1
    plan = [
        ("MATCH_anyEPC item, service, officer 66", any_epc(officer), items(runs)),
        ("MATCH_anyEPC item, service, national admin", any_epc(admin), items(runs)),
        (
            "MATCH_anyEPC item, HTTP GET /events",
            http(officer_client, lambda a: "/api/v1/epcis/events?MATCH_anyEPC=" + quote(urn(*a))),
            items(runs),
        ),
        (
            "GET /epcs/{epc}/events (HTTP)",
            http(officer_client, lambda a: "/api/v1/epcis/epcs/" + quote(urn(*a), safe="") + "/events"),
            items(runs),
        ),
        ("lot trace, service, officer 66", lot_trace(officer), lots(runs)),
        ("lot trace, service, national admin", lot_trace(admin), lots(runs)),
        ("lot trace page (HTTP), officer 66", trace_page, lots(max(runs // 4, 10))),
        (
            "MATCH_epcClass lot",
            params(lambda lt: "MATCH_epcClass=" + quote(supply.lot_uri(lt))),
            lots(runs),
        ),
        (
            "MATCH_epcClass GTIN (all its lots)",
            params(lambda lt: "MATCH_epcClass=" + quote(f"{supply.DL}/01/{supply.GTIN_LIST[lt.product]}")),
            lots(runs),
        ),
        ("EQ_bizStep=retail_selling 7 days, first page", params(window), windows("retail_selling", runs)),
        (
            "EQ_bizStep=retail_selling 7 days, deep page",
            params(lambda text: text),
            [deep(a) for a in windows("retail_selling", max(runs // 4, 10))],
        ),
        ("EQ_bizStep=inspecting 7 days, first page", params(window), windows("inspecting", runs)),
        (
            "EQ_bizStep=retail_selling 7 days, national admin",
            params(window, admin),
            windows("retail_selling", runs),
        ),
    ]
    slowest = []
    for label, fn, arg_list in plan:
        if args.only and args.only not in label:
            continue
        slowest.append(measure(label, fn, arg_list, events))
    worst = sorted(slowest, key=lambda s: -s[1][0])
    for label, slow in worst[:3]:
        explain(label, slow)
    sizes()
    print(f"\nload average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
