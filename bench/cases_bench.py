"""Benchmark of the cases register on PostgreSQL with 1,000,000 cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cg_cases_bench .venv/bin/python bench/cases_bench.py [--cases N]

Creates (or reuses) the database, migrates, loads the reference data, bulk-loads N cases with their
goods lines through COPY, then prints:
- the bulk load rate (COPY) and the rate of the real import contract (`import-cases`, with
  validation and audit) on a smaller file;
- the yearly summary's time (system scope, a coordinator, an officer);
- the filtered list page's time and query count for several page sizes.
Figures are printed, never asserted.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cg_cases_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canhgiac.settings")

SUMMARIES = [
    "Bán mỹ phẩm giả nhãn hiệu tại cửa hàng",
    "Vận chuyển thuốc lá điếu nhập lậu qua biên giới",
    "Kinh doanh sữa bột không rõ nguồn gốc xuất xứ",
    "Bán thực phẩm chức năng giả trên mạng xã hội",
    "Phân bón kém chất lượng ghi sai hàm lượng",
    "Kinh doanh thuốc tân dược không có giấy phép",
    "Giày dép giả mạo nhãn hiệu tại chợ",
    "Xăng dầu vận chuyển trái phép không hóa đơn",
]
TYPES = [
    "counterfeit",
    "smuggling",
    "unknown_origin",
    "counterfeit",
    "trade_fraud",
    "prohibited_goods",
    "ip_infringement",
    "smuggling",
]
CATEGORIES = [
    "cosmetics",
    "alcohol_tobacco",
    "milk",
    "functional_food",
    "fertilizer",
    "drugs",
    "textiles_footwear",
    "fuel",
]


def ensure_database(url: str) -> None:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)  # the query string may carry options such as ?options=-c%20jit%3Doff
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def bulk_load(count: int, seed: int = 389) -> float:
    """COPY `count` cases and about 1.3 goods lines each; returns seconds."""
    from django.db import connection

    from canhgiac.cases.models import Case, CaseGoods, ReferenceCounter
    from canhgiac.core.text import fold
    from canhgiac.directory.models import AdministrativeUnit, Agency, GoodsCategory, ViolationType

    rng = random.Random(seed)
    agencies = list(Agency.objects.exclude(kind=Agency.Kind.COMMUNE).values_list("id", "code"))
    forces = [a for a in agencies if a[1] in ("QLTT", "CA", "BDBP", "HQ", "SYT", "THUE", "SNNMT")]
    communes = list(Agency.objects.filter(kind=Agency.Kind.COMMUNE).values_list("id", "unit_id"))
    units = list(AdministrativeUnit.objects.exclude(parent=None).values_list("id", flat=True))
    types = {v.code: v.pk for v in ViolationType.objects.all()}
    cats = {c.code: c.pk for c in GoodsCategory.objects.all()}
    ca_id = next(a[0] for a in agencies if a[1] == "CA")
    start_id = (Case.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    goods_start = (CaseGoods.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    first_day, days = dt.date(2021, 1, 1), (dt.date(2026, 11, 20) - dt.date(2021, 1, 1)).days
    counters = dict(ReferenceCounter.objects.values_list("year", "last"))
    now = dt.datetime.now(dt.UTC)
    case_cols = [
        "id",
        "created_at",
        "updated_at",
        "reference",
        "lead_agency_id",
        "agency_ref",
        "detected_on",
        "unit_id",
        "address",
        "violation_type_id",
        "summary",
        "online_platform",
        "online_url",
        "status",
        "outcome",
        "visibility",
        "sensitive",
        "origin",
        "decision_no",
        "decision_date",
        "issuing_body",
        "fine_vnd",
        "budget_revenue_vnd",
        "defendants",
        "goods_value_vnd",
        "search_folded",
        "signs_of_crime",
    ]
    goods_cols = [
        "id",
        "case_id",
        "goods_category_id",
        "description",
        "brand",
        "quantity",
        "unit",
        "value_vnd",
        "disposition",
        "case_detected_on",
        "counts_category",
    ]
    shared = []
    began = time.perf_counter()
    goods_id = goods_start
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY cases_case ({', '.join(case_cols)}) FROM STDIN") as cases_copy:
            goods_rows = []
            for i in range(count):
                pk = start_id + i
                day = first_day + dt.timedelta(days=rng.randrange(days))
                counters[day.year] = counters.get(day.year, 0) + 1
                k = rng.randrange(len(SUMMARIES))
                if rng.random() < 0.2:
                    lead, unit = rng.choice(communes)
                else:
                    lead, unit = rng.choice(forces)[0], rng.choice(units)
                handling = rng.choices(
                    ["administrative", "criminal", "transferred", "no_violation", ""], [60, 6, 6, 4, 24]
                )[0]
                fine = rng.randrange(1, 80) * 1_000_000 if handling == "administrative" else 0
                revenue = fine + (rng.randrange(0, 30) * 1_000_000 if handling else 0)
                lines = [
                    (rng.randrange(1, 500), rng.randrange(1, 20_000) * 1000)
                    for _ in range(rng.choices([0, 1, 2, 3], [10, 60, 20, 10])[0])
                ]
                visibility = rng.choices(["own", "all", "shared"], [40, 50, 10])[0]
                summary = f"{SUMMARIES[k]} số {pk}"
                cases_copy.write_row(
                    (
                        pk,
                        now,
                        now,
                        f"VV-{day.year}-{counters[day.year]:06d}",
                        lead,
                        f"B-{pk}",
                        day,
                        unit,
                        f"Thôn {rng.randrange(1, 15)}",
                        types[TYPES[k]],
                        summary,
                        "",
                        "",
                        "closed" if handling else "handling",
                        handling,
                        visibility,
                        rng.random() < 0.03,
                        "bench",
                        "",
                        None,
                        "",
                        fine,
                        revenue,
                        2 if handling == "criminal" else 0,
                        sum(v for _q, v in lines),
                        fold(summary),
                        handling == "criminal",
                    )
                )
                seen = set()
                for quantity, value in lines:
                    cat = CATEGORIES[k] if rng.random() < 0.8 else rng.choice(CATEGORIES)
                    goods_rows.append(
                        (
                            goods_id,
                            pk,
                            cats[cat],
                            "Hàng hóa vi phạm",
                            "",
                            quantity,
                            "cái",
                            value,
                            "",
                            day,
                            cat not in seen,
                        )
                    )
                    seen.add(cat)
                    goods_id += 1
                if visibility == "shared":
                    shared.append((pk, ca_id))
        with raw.copy(f"COPY cases_casegoods ({', '.join(goods_cols)}) FROM STDIN") as goods_copy:
            for row in goods_rows:
                goods_copy.write_row(row)
        with raw.copy("COPY cases_case_shared_with (case_id, agency_id) FROM STDIN") as shared_copy:
            for row in shared:
                shared_copy.write_row(row)
        for table in ("cases_case", "cases_casegoods", "cases_case_shared_with"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        for year, last in counters.items():
            ReferenceCounter.objects.update_or_create(year=year, defaults={"last": last})
    elapsed = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case; ANALYZE cases_casegoods; ANALYZE cases_case_shared_with")
    return elapsed


def contract_import_rate(rows: int) -> tuple[float, int]:
    """The real import path (validation, audit, one transaction) on a generated CSV; returns (s, cases)."""
    import csv
    import io

    from canhgiac.cases import imports
    from canhgiac.directory.models import AdministrativeUnit

    units = list(AdministrativeUnit.objects.exclude(parent=None).values_list("code", flat=True))
    rng = random.Random(7)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=imports.COLUMNS)
    writer.writeheader()
    run = int(time.time())
    for i in range(rows):
        k = (i // 2 + rng.randrange(1)) % len(SUMMARIES)  # both rows of a case share its case-level columns
        writer.writerow(
            {
                "case_ref": f"IMP-{run}-{i // 2}",
                "agency_code": "QLTT",
                "detected_on": "2026-05-01",
                "unit_code": units[(i // 2) % len(units)],
                "violation_type": TYPES[k],
                "summary": SUMMARIES[k],
                "goods_category": CATEGORIES[k],
                "goods_description": f"Hàng {i}",
                "quantity": "10",
                "unit": "hộp",
                "goods_value_vnd": "1000000",
                "handling": "administrative",
                "fine_vnd": "5000000",
                "budget_revenue_vnd": "5000000",
                "subject_kind": "person",
                "subject_name": f"Người {i // 2}",
                "subject_id": f"0{run % 1000:03d}{i // 2:08d}",
                "subject_role": "seller",
            }
        )
    began = time.perf_counter()
    result = imports.import_cases(out.getvalue().encode(), "bench.csv")
    elapsed = time.perf_counter() - began
    assert result.ok, result.errors[:3]
    return elapsed, result.created


def timed(fn, repeat=3):
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times), min(times)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases to reach (default 1,000,000)")
    parser.add_argument("--import-rows", type=int, default=2000, help="rows of the contract import test")
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from canhgiac.accounts import services as accounts
    from canhgiac.accounts.models import User
    from canhgiac.cases import services
    from canhgiac.cases.models import Case
    from canhgiac.core.context import acting_as
    from canhgiac.directory.models import Agency

    call_command("migrate", verbosity=0)
    call_command("setup", "--no-migrate", verbosity=0, stdout=open(os.devnull, "w"))
    existing = Case.objects.count()
    print(f"PostgreSQL: {connection.pg_version}; cases present: {existing:,}")
    if existing < args.cases:
        missing = args.cases - existing
        seconds = bulk_load(missing)
        print(
            f"bulk load (COPY): {missing:,} cases + goods lines in {seconds:.1f} s = {missing / seconds:,.0f} cases/s"
        )
    with acting_as(None):
        seconds, created = contract_import_rate(args.import_rows)
    print(
        f"import-cases contract (validate + audit, one transaction): {args.import_rows:,} rows / {created:,} "
        f"cases in {seconds:.1f} s = {args.import_rows / seconds:,.0f} rows/s, {created / seconds:,.0f} cases/s"
    )

    users = {}
    for username, code, role in (
        ("bench_coordinator", "SCT", "coordinator"),
        ("bench_officer", "CA", "officer"),
    ):
        user = User.objects.filter(username=username).first() or accounts.create_user(
            username, "Bench-389-pass!", memberships=[(Agency.objects.get(code=code), role)]
        )
        users[role] = user
    total = Case.objects.count()
    year = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    print(
        f"\ncases in database: {total:,}; in 2025: {Case.objects.filter(detected_on__range=year).count():,}"
    )
    for label, user in (
        ("system scope", None),
        ("coordinator", users["coordinator"]),
        ("officer (CA)", users["officer"]),
    ):
        with CaptureQueriesContext(connection) as ctx:
            figures = services.summary(user, *year)
        median, best = timed(lambda u=user: services.summary(u, *year))
        print(
            f"yearly summary 2025, {label:<13}: median {median * 1000:.0f} ms (best {best * 1000:.0f} ms), "
            f"{len(ctx.captured_queries)} queries, {figures['totals']['cases']:,} cases"
        )

    client = Client()
    client.force_login(users["coordinator"], backend="django.contrib.auth.backends.ModelBackend")
    officer = Client()
    officer.force_login(users["officer"], backend="django.contrib.auth.backends.ModelBackend")
    filters = [
        ("no filter", ""),
        ("agency+year", "agency=QLTT&detected_from=2025-01-01&detected_to=2025-12-31"),
        ("type+goods", "violation_type=counterfeit&goods_category=cosmetics&detected_from=2025-06-01"),
        ("text search", "q=sua+bot&detected_from=2025-01-01"),
    ]
    print()
    for who, c in (("coordinator", client), ("officer (CA)", officer)):
        for label, query in filters:
            for per_page in (25, 100):
                url = f"/cases/?{query}&per_page={per_page}"
                c.get(url)  # warm
                executed = []
                with connection.execute_wrapper(
                    lambda run, sql, params, many, context, log=executed: (
                        log.append(sql),
                        run(sql, params, many, context),
                    )[1]
                ):
                    response = c.get(url)
                assert response.status_code == 200
                median, best = timed(lambda u=url, cl=c: cl.get(u), repeat=5)
                print(
                    f"list page, {who:<12} {label:<12} per_page={per_page:<3}: median {median * 1000:.0f} ms "
                    f"(best {best * 1000:.0f} ms), {len(executed)} queries"
                )


if __name__ == "__main__":
    main()
