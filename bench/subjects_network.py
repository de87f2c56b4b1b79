"""Benchmark of the subjects' network: the ranked list "cần chú ý" and the 2-hop network of a
subject whose network has 5,000+ nodes (issue 12's target: under 2 s each).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cg_links .venv/bin/python bench/subjects_network.py
    DATABASE_URL=sqlite:///var/bench-network.sqlite3 .venv/bin/python bench/subjects_network.py

Creates (or reuses) the database, migrates, loads the reference data, then a synthetic province
network (bulk-created, once; a marker subject tells a later run to reuse it):
- a ring around one organiser X: X in 50 cases with 3 co-subjects each (150 subjects one hop away),
  each of them in 8 more cases with 3 others (1,200 cases, 3,600 subjects two hops away): X's
  2-hop network has 5,000+ nodes (subjects, cases, shared phones);
- a background of `--background` subjects in random cases of 2–4 subjects (a few heavy repeat
  offenders, preferential attachment), recorded by four agencies, 1 in 10 sharing a phone with
  another, high-risk goods in a third of the cases.
Then prints, for a coordinator (sees the whole province) and a QLTT officer (sees QLTT's cases and
those shared with every agency): the time of the ranked list and of X's 2-hop network (built, laid
out, and as the API's JSON over HTTP), each the median of `--runs` runs. Figures are printed, never
asserted; note the load average printed next to them.
"""

import argparse
import datetime as dt
import gc
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cg_links")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canhgiac.settings")

MARKER = "BN-X Hoàng Văn Trùm"
AGENCIES = ["QLTT", "CA", "HQ", "BDBP"]
GIVEN = [
    "Văn An",
    "Thị Bình",
    "Văn Cường",
    "Thị Dung",
    "Văn Đức",
    "Thị Hoa",
    "Văn Hùng",
    "Thị Lan",
    "Văn Minh",
    "Thị Nga",
]
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "H'Hen Niê",
    "Y Blốk Êban",
]


def ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


class Loader:
    def __init__(self, rng):
        from canhgiac.directory.models import AdministrativeUnit, Agency, GoodsCategory, ViolationType

        self.rng = rng
        self.agencies = {
            a.code: a for a in Agency.objects.filter(code__in=AGENCIES, province__codename="dak_lak")
        }
        self.units = list(
            AdministrativeUnit.objects.filter(parent__codename="dak_lak").values_list("pk", flat=True)
        )
        self.violation = ViolationType.objects.get(code="counterfeit").pk
        self.risky = list(GoodsCategory.objects.filter(high_risk=True).values_list("pk", flat=True))
        self.plain = list(GoodsCategory.objects.filter(high_risk=False).values_list("pk", flat=True))
        self.subjects, self.cases, self.links = [], [], []
        self.n = 0

    def subject(self, agency, name=None, phone=""):
        from canhgiac.core.text import fold
        from canhgiac.subjects.models import Subject

        self.n += 1
        name = name or f"{self.rng.choice(FAMILY)} {self.rng.choice(GIVEN)} {self.n}"
        s = Subject(
            kind="person",
            name=name,
            name_folded=fold(name),
            phone=phone,
            recorded_by_agency=self.agencies[agency],
        )
        self.subjects.append(s)
        return s

    def case(self, agency, members):
        """members: [(subject, role)]"""
        day = dt.date(2025, 1, 1) + dt.timedelta(days=self.rng.randrange(700))
        self.cases.append(
            (
                agency,
                day,
                self.rng.choice(self.units),
                self.rng.choices(["own", "all", "shared"], [40, 50, 10])[0],
                self.rng.random() < 0.03,
                members,
                self.rng.choice(self.risky) if self.rng.random() < 0.33 else self.rng.choice(self.plain),
            )
        )

    def flush(self):
        from canhgiac.cases.models import Case, CaseGoods, CaseSubject
        from canhgiac.subjects.models import Subject
        from canhgiac.subjects.network import keys

        began = time.perf_counter()
        Subject.objects.bulk_create(self.subjects, batch_size=2000)
        start = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        cases, goods, links = [], [], []
        for i, (agency, day, unit, vis, sensitive, members, category) in enumerate(self.cases):
            pk = start + i
            cases.append(
                Case(
                    pk=pk,
                    reference=f"BN-{pk:07d}",
                    lead_agency=self.agencies[agency],
                    detected_on=day,
                    unit_id=unit,
                    violation_type_id=self.violation,
                    summary="Vụ đo mạng lưới",
                    visibility=vis,
                    sensitive=sensitive,
                    search_folded="vu do mang luoi",
                )
            )
            goods.append(
                CaseGoods(
                    case_id=pk,
                    goods_category_id=category,
                    description="Hàng giả",
                    value_vnd=1000,
                    case_detected_on=day,
                    counts_category=True,
                )
            )
            seen = set()
            for subject, role in members:
                if (subject.pk, role) not in seen:
                    seen.add((subject.pk, role))
                    links.append(CaseSubject(case_id=pk, subject_id=subject.pk, role=role))
        Case.objects.bulk_create(cases, batch_size=2000)
        CaseGoods.objects.bulk_create(goods, batch_size=2000)
        CaseSubject.objects.bulk_create(links, batch_size=5000)
        keys.refresh([s.pk for s in self.subjects])
        print(
            f"loaded {len(self.subjects):,} subjects, {len(cases):,} cases, {len(links):,} case links in {time.perf_counter() - began:.1f} s"
        )


def load(background: int, seed: int = 389):
    rng = random.Random(seed)
    ld = Loader(rng)
    x = ld.subject("QLTT", name=MARKER, phone="0912 389 389")
    for _i in range(50):
        ring = [
            ld.subject("QLTT", phone=f"09{rng.randrange(10**8):08d}" if rng.random() < 0.1 else "")
            for _ in range(3)
        ]
        ld.case(
            "QLTT",
            [(x, "organiser")] + [(s, rng.choice(["seller", "transporter", "accomplice"])) for s in ring],
        )
        for s in ring:
            for _k in range(8):
                others = [ld.subject("QLTT") for _ in range(3)]
                ld.case("QLTT", [(s, "owner")] + [(o, rng.choice(["seller", "transporter"])) for o in others])
    # the background: preferential attachment, four agencies, shared phones
    pool = []
    for _i in range(background):
        phone = ""
        if pool and rng.random() < 0.1:
            phone = rng.choice(pool).phone or f"09{rng.randrange(10**8):08d}"
        pool.append(ld.subject(rng.choice(AGENCIES), phone=phone))
    weights = [1.0] * len(pool)
    for i in rng.sample(range(len(pool)), max(1, len(pool) // 200)):
        weights[i] = 40.0  # repeat offenders
    for _c in range(int(background * 0.8)):
        members = rng.choices(pool, weights, k=rng.randrange(2, 5))
        agency = members[0].recorded_by_agency.code
        roles = ["organiser"] + [
            rng.choice(["seller", "transporter", "accomplice", "owner"]) for _ in members[1:]
        ]
        ld.case(agency, list(zip(members, roles, strict=True)))
    ld.flush()


CPU: list[float] = []  # this process's CPU time of the last median_time (the database's is apart)


def median_time(fn, runs):
    """Median wall time of `runs` calls; the median CPU time of this process goes to CPU[-1] (on a
    machine shared by many, CPU time says what the code costs when wall time says how busy it is)."""
    times, cpu, result = [], [], None
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    CPU.append(statistics.median(cpu))
    return statistics.median(times), result


def cold(fn, *args):
    """fn(*args) with the ranked list's centrality cache emptied first."""
    from canhgiac.subjects.network import ranking

    ranking._central_cache.clear()
    return fn(*args)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--background", type=int, default=20_000, help="background subjects (default 20,000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-gc-freeze", action="store_true", help="do not gc.freeze() before timing")
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    call_command("setup", "--no-migrate", verbosity=0, stdout=open(os.devnull, "w"))
    from canhgiac.accounts import services as accounts
    from canhgiac.accounts.models import User
    from canhgiac.core import policy
    from canhgiac.directory.models import Agency
    from canhgiac.subjects.models import Subject
    from canhgiac.subjects.network import services

    if not Subject.objects.filter(name=MARKER).exists():
        load(args.background)
    if Subject.objects.filter(entity=None).exists():
        # nodes are resolved entities: a full entity-resolution run first (timed, printed)
        from canhgiac.subjects import services as subjects

        began = time.perf_counter()
        counts = subjects.resolve()
        print(f"resolve-subjects: {time.perf_counter() - began:.0f} s, {counts['entities']:,} entities")
    if connection.vendor == "postgresql":
        # planner statistics, as a database in service has them (autovacuum would gather them a
        # minute after a bulk load; the figures below should not depend on when it ran)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    x = Subject.objects.get(name=MARKER)
    users = {}
    for username, code, role in (
        ("bench_coordinator", "SCT", policy.COORDINATOR),
        ("bench_officer", "QLTT", policy.OFFICER),
    ):
        user = User.objects.filter(username=username).first() or accounts.create_user(
            username,
            "Mat-khau-do-389",
            memberships=[(Agency.objects.get(code=code, province__codename="dak_lak"), role)],
        )
        users[username] = user
    settings.ALLOWED_HOSTS = ["*"]
    print(
        f"database: {connection.vendor}; subjects {Subject.objects.count():,}; load average {os.getloadavg()}"
    )
    if not args.no_gc_freeze:
        # as `canhgiac serve` does before its workers start: what is loaded by now is frozen out of
        # the cyclic collector's full passes (--no-gc-freeze measures without, as before 7 December)
        gc.collect()
        gc.freeze()
    for username, user in users.items():
        # The centrality flags are kept per network (ranking.central_nodes): "cold" empties that
        # cache before each run (the first request after any change of the viewer's network),
        # "cached" is the same list asked again.
        t_cold, entries = median_time(lambda user=user: cold(services.attention, user), args.runs)
        cpu_cold = CPU[-1]
        t, entries = median_time(lambda user=user: services.attention(user), args.runs)
        print(
            f"[{username}] ranked list: cold {t_cold:.2f} s wall, {cpu_cold:.2f} s CPU; "
            f"cached centrality {t:.2f} s wall, {CPU[-1]:.2f} s CPU "
            f"(top score {entries[0].score if entries else '-'}, {len(entries)} listed)"
        )
        t_build, net = median_time(lambda user=user: services.build(user, x, hops=2), args.runs)
        t_layout, data = median_time(lambda net=net: services.with_layout(net), args.runs)
        kinds = {}
        for n in net.nodes.values():
            kinds[n["kind"]] = kinds.get(n["kind"], 0) + 1
        print(
            f"[{username}] 2-hop network of X: {len(net.nodes):,} nodes {kinds}, {len(net.edges):,} links; "
            f"build {t_build:.2f} s + layout {t_layout:.2f} s = {t_build + t_layout:.2f} s wall "
            f"({CPU[-2] + CPU[-1]:.2f} s CPU); "
            f"JSON {len(json.dumps(data)) / 1e6:.1f} MB"
        )
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        url = f"/api/v1/subjects/{x.pk}/network?hops=2"
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            t_http, response = median_time(lambda client=client, url=url: client.get(url), args.runs)
        print(
            f"[{username}] GET {url}: {t_http:.2f} s wall, {CPU[-1]:.2f} s CPU, HTTP {response.status_code}, {len(queries) // args.runs} queries"
        )
        page = "/subjects/attention/"
        t_page_cold, response = median_time(
            lambda client=client, page=page: cold(client.get, page), args.runs
        )
        cpu_cold = CPU[-1]
        t_page, response = median_time(lambda client=client, page=page: client.get(page), args.runs)
        print(
            f"[{username}] GET {page}: cold {t_page_cold:.2f} s wall, {cpu_cold:.2f} s CPU; "
            f"cached centrality {t_page:.2f} s wall, {CPU[-1]:.2f} s CPU, HTTP {response.status_code}"
        )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
