"""Entity-resolution benchmark of the subjects app: quality, full run at scale, incremental match.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cg_subjects_bench \
        .venv/bin/python bench/subjects_er.py quality [--people 2000]
    DATABASE_URL=... .venv/bin/python bench/subjects_er.py scale [--records 1000000]

`quality`: a fresh database; the four agencies' files of bench/subjects_generator.py imported
through the import-subjects door, `resolve-subjects` (training the model), the clusters exported
through `export-clusters`' service; prints pairwise precision, recall and F1 against the truth, and
the same for exact identifiers alone (the old matching), for a range of thresholds.

`scale`: a fresh database; N synthetic records bulk-loaded (COPY, as a historic load), then a full
run (timed, with peak memory of the process including DuckDB's), then the incremental match of
new records with N present (median and 95th percentile over 50 records). Figures are printed,
never asserted.
"""

import argparse
import io
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cg_subjects_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canhgiac.settings")


def fresh_database(url: str) -> None:
    from urllib.parse import urlsplit, urlunsplit

    if not url.startswith("postgres"):
        return
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def copy_database(url: str, source: str, target: str) -> None:
    """CREATE DATABASE target TEMPLATE source (a file copy: seconds for a loaded million records)."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres", query=""))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}"')
        conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def database_exists(url: str, name: str) -> bool:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres", query=""))
    with psycopg.connect(admin, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def setup(fresh: bool = True):
    import django

    if not fresh:
        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # a kept database may predate a migration
        return
    fresh_database(os.environ["DATABASE_URL"])
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("setup", "--no-migrate", verbosity=0, stdout=open(os.devnull, "w"))


def units() -> list[str]:
    from canhgiac.directory.models import AdministrativeUnit

    return list(AdministrativeUnit.objects.filter(parent__codename="dak_lak").values_list("code", flat=True))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def clusters() -> dict:
    import csv

    from canhgiac.subjects import services

    out = io.StringIO()
    services.export_clusters(out)
    out.seek(0)
    return {(r["agency_code"], r["source_ref"]): r["cluster_id"] for r in csv.DictReader(out)}


def quality(args):
    setup()
    from canhgiac.directory import services as directory
    from canhgiac.subjects import imports, services, synthetic
    from canhgiac.subjects.models import MatchModel, MatchPair
    from canhgiac.subjects.resolution import clusters as cl
    from canhgiac.subjects.resolution import run

    rows = synthetic.records(synthetic.people(args.people, units(), args.seed), args.seed)
    truth = {(r["agency"], r["source_ref"]): r["true_id"] for r in rows}
    print(f"{args.people} identities, {len(rows)} records, {len(synthetic.pairs_of(truth))} true pairs")
    t = time.monotonic()
    import csv

    from bench.subjects_generator import COLUMNS  # noqa: E402

    for agency in synthetic.AGENCIES:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(COLUMNS)
        for r in rows:
            if r["agency"] == agency:
                w.writerow([r[c] for c in COLUMNS])
        result = imports.import_subjects(
            buf.getvalue().encode(), f"{agency}.csv", agency=directory.agency_by_code(agency), match=False
        )
        assert result.ok, result.errors[:3]
    print(f"import: {time.monotonic() - t:.1f}s")
    exact = run.exact_pairs()
    from canhgiac.subjects.models import Subject

    ids = list(Subject.objects.values_list("pk", flat=True))
    key = {
        pk: (a, ref)
        for pk, a, ref in Subject.objects.values_list("pk", "recorded_by_agency__code", "source_ref")
    }
    groups = run.cluster(ids, [], [], exact, [])
    exact_labels = {key[i]: n for n, g in enumerate(groups) for i in g}
    m = synthetic.pairwise(truth, exact_labels)
    print(f"exact identifiers only: precision {m['precision']:.3f} recall {m['recall']:.3f} F1 {m['f1']:.3f}")
    t = time.monotonic()
    counts = services.resolve()
    print(f"resolve-subjects: {time.monotonic() - t:.1f}s {counts}")
    m = synthetic.pairwise(truth, clusters())
    model = MatchModel.objects.first()
    print(
        f"model (auto ≥ {model.auto_threshold}, review ≥ {model.review_threshold}): "
        f"precision {m['precision']:.4f} recall {m['recall']:.4f} F1 {m['f1']:.4f} "
        f"(found {m['found_pairs']} pairs, {m['tp']} true)"
    )
    # the same pairs clustered at other upper thresholds (what the threshold would give; pairs the
    # namesake guard holds for review never join automatically, whatever the threshold)
    from canhgiac.subjects.resolution import model as er

    every = [
        (a, b, p, er.NAMESAKE in [code for code, _w in reasons])
        for a, b, p, reasons in MatchPair.objects.values_list("left_id", "right_id", "probability", "reasons")
    ]
    pairs = [(a, b, p) for a, b, p, guarded in every if not guarded]
    exact_set = {(a, b) for a, b, _c in exact}
    for threshold in (0.5, 0.8, 0.9, 0.95, 0.99, 0.999):
        auto = [(a, b, p) for a, b, p in pairs if p >= threshold and (a, b) not in exact_set]
        c = cl.Clusters(ids)
        for a, b, _code in exact:
            c.join(a, b)
        for a, b, _p in sorted(auto, key=lambda x: -x[2]):
            c.join(a, b)
        labels = {key[i]: n for n, g in enumerate(c.groups()) for i in g}
        m = synthetic.pairwise(truth, labels)
        review = sum(
            1
            for a, b, p, guarded in every
            if (a, b) not in exact_set and p >= model.review_threshold and (guarded or p < threshold)
        )
        print(
            f"  upper threshold {threshold}: P {m['precision']:.4f} R {m['recall']:.4f} F1 {m['f1']:.4f}, "
            f"{review} pairs between the thresholds"
        )
    # what the review queue is worth: every pair in it answered as the truth says (a simulated
    # reviewer; not the system's own figure)
    review = [
        (a, b)
        for a, b, st in MatchPair.objects.values_list("left_id", "right_id", "status")
        if st == "review"
    ]
    yes = [(a, b) for a, b in review if truth[key[a]] == truth[key[b]]]
    no = [(a, b) for a, b in review if truth[key[a]] != truth[key[b]]]
    auto = list(MatchPair.objects.filter(status="auto").values_list("left_id", "right_id", "probability"))
    groups = run.cluster(ids, yes, no, [], auto)
    m = synthetic.pairwise(truth, {key[i]: n for n, g in enumerate(groups) for i in g})
    print(
        f"with the {len(review)} review pairs answered correctly (simulated reviewer): "
        f"precision {m['precision']:.4f} recall {m['recall']:.4f} F1 {m['f1']:.4f}"
    )


def scale(args):
    """Load N records (or, with --reuse, copy the database a previous load left), then time the
    full run and the incremental match."""
    from urllib.parse import urlsplit

    url = os.environ["DATABASE_URL"]
    name = urlsplit(url).path.lstrip("/")
    snapshot = f"{name}_loaded_{args.records}_{args.seed}"
    postgres = url.startswith("postgres")
    if args.reuse and postgres and database_exists(url, snapshot):
        t = time.monotonic()
        copy_database(url, snapshot, name)
        setup(fresh=False)
        from canhgiac.subjects.models import Subject

        loaded = Subject.objects.count()
        print(f"copied the loaded database {snapshot} ({loaded} records) in {time.monotonic() - t:.0f}s")
    else:
        setup()
        loaded = load(args)
        if args.reuse and postgres:
            from django.db import connection

            connection.close()
            t = time.monotonic()
            copy_database(url, name, snapshot)
            print(f"kept the loaded database as {snapshot} for --reuse ({time.monotonic() - t:.0f}s)")
    if args.load_only:
        return
    from canhgiac.subjects import services

    base = peak_mb()
    cpu = time.process_time()
    t = time.monotonic()
    counts = services.resolve(progress=lambda m: print(f"  … {m} ({time.monotonic() - t:.0f}s)", flush=True))
    print(
        f"full run: {time.monotonic() - t:.0f}s ({time.process_time() - cpu:.0f} CPU-s of this process), "
        f"peak memory {peak_mb():.0f} MB (before the run {base:.0f} MB), load average {os.getloadavg()}"
    )
    print(counts)
    if not args.no_incremental:
        incremental(args, loaded=loaded)


def load(args) -> int:
    """N synthetic records bulk-loaded (COPY, as a historic load, no audit); returns the count."""
    from django.db import connection, transaction

    from canhgiac.core import bulk
    from canhgiac.core.text import fold
    from canhgiac.directory import services as directory
    from canhgiac.directory.models import AdministrativeUnit
    from canhgiac.subjects import normalize, synthetic
    from canhgiac.subjects.models import Identifier, Subject, identifier_rows, matching_keys

    agencies = {a: directory.agency_by_code(a).pk for a in synthetic.AGENCIES}
    unit_ids = dict(AdministrativeUnit.objects.filter(parent__codename="dak_lak").values_list("code", "pk"))
    people = max(1, args.records // 2)
    t = time.monotonic()
    loaded = 0
    chunk = 50_000
    for start in range(0, people, chunk):
        idents = synthetic.people(min(chunk, people - start), list(unit_ids), args.seed + start)
        for ident in idents:
            ident["true_id"] += start
        rows = synthetic.records(idents, args.seed + start)
        subject_rows, ident_rows = [], []
        for r in rows:
            try:
                birth_date, birth_year = normalize.birth(r["birth_date"])
            except ValueError:
                birth_date, birth_year = None, None
            kind = "organisation" if r["kind"] == "organization" else r["kind"]
            values = {
                "kind": kind,
                "name": r["name"],
                "name_folded": fold(r["name"]),
                "birth_date": birth_date,
                "birth_year": birth_year,
                "identifier": normalize.compact(r["tax_code"] or r["id_number"]),
                "tax_code": r["tax_code"],
                "phone": r["phone"][:20],
                "address": r["address"],
                "unit_id": unit_ids.get(r["unit_code"]),
                "source_ref": r["source_ref"] + f"-{start}",
                "origin": "import",
                "recorded_by_agency_id": agencies[r["agency"]],
            }
            values.update(matching_keys(values))
            subject_rows.append((values, {**values, "identifier": r["id_number"]}))
        with transaction.atomic():
            bulk.insert_rows(Subject, [v for v, _g in subject_rows])
            for v, given in subject_rows:
                for scheme, value, g in identifier_rows(given):
                    ident_rows.append({"subject_id": v["id"], "scheme": scheme, "value": value, "given": g})
            bulk.insert_rows(Identifier, ident_rows)
        loaded += len(rows)
        if loaded >= args.records:
            break
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"loaded {loaded} records in {time.monotonic() - t:.0f}s (bulk COPY), load average {os.getloadavg()}"
    )
    return loaded


def incremental(args, unit_ids=None, agencies=None, loaded=None):
    """New records, each matched alone with everything present (`incremental` mode: on the
    database a `scale` run left, without loading it again)."""
    import django

    django.setup()
    from django.db import transaction

    from canhgiac.directory import services as directory
    from canhgiac.directory.models import AdministrativeUnit
    from canhgiac.subjects import normalize, synthetic
    from canhgiac.subjects import services as subj
    from canhgiac.subjects.models import Subject

    if unit_ids is None:
        unit_ids = dict(
            AdministrativeUnit.objects.filter(parent__codename="dak_lak").values_list("code", "pk")
        )
        agencies = {a: directory.agency_by_code(a).pk for a in synthetic.AGENCIES}
    if loaded is None:
        loaded = Subject.objects.count()
    idents = synthetic.people(100, list(unit_ids), args.seed + 777)
    rows = synthetic.records(idents, args.seed + 777)[:50]
    times = []
    for r in rows:
        with transaction.atomic():
            birth_date, birth_year = normalize.birth(r["birth_date"])
            subject = Subject.objects.create(
                kind="organisation" if r["kind"] == "organization" else r["kind"],
                name=r["name"],
                birth_date=birth_date,
                birth_year=birth_year,
                identifier=r["id_number"] or r["tax_code"],
                tax_code=r["tax_code"],
                phone=r["phone"][:20],
                address=r["address"],
                unit_id=unit_ids.get(r["unit_code"]),
                source_ref=f"inc{int(time.time())}-" + r["source_ref"],
                recorded_by_agency_id=agencies[r["agency"]],
            )
            s = time.perf_counter()
            subj.match_new([subject.pk])
            times.append((time.perf_counter() - s) * 1000)
    times.sort()
    print(
        f"incremental match with {loaded} present: median {statistics.median(times):.0f} ms, "
        f"p95 {times[int(len(times) * 0.95) - 1]:.0f} ms, max {times[-1]:.0f} ms"
    )


def blocks(args):
    """Pairs each prediction blocking rule makes, per group, on the database as it is (the sum of
    n(n-1)/2 over the rule's blocks, before splink drops the pairs an earlier rule made), and the
    largest block: the rules that grow with the square of the records show here."""
    import django

    django.setup()
    import duckdb

    from canhgiac.subjects.resolution import features
    from canhgiac.subjects.resolution import model as er

    rows = features.all_rows()
    con = duckdb.connect()
    for group in er.GROUPS:
        frame = er.frame([r for r in rows if er.group_of(r["kind"]) == group])
        con.register("f", frame)
        print(f"{group}: {len(frame)} records")
        for rule in er.prediction_rules():
            columns = rule.get_blocking_rule("duckdb").blocking_rule_sql
            keys = [c.split('"')[1] for c in columns.split(" AND ")]
            where = " AND ".join(f'"{k}" IS NOT NULL' for k in keys)
            by = ", ".join(f'"{k}"' for k in keys)
            pairs, top = con.execute(
                f"SELECT coalesce(sum(n * (n - 1) / 2), 0), coalesce(max(n), 0) "
                f"FROM (SELECT count(*) AS n FROM f WHERE {where} GROUP BY {by})"
            ).fetchone()
            print(f"  {', '.join(keys):28} {int(pairs):>14,} pairs, largest block {int(top):,}")
        con.unregister("f")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["quality", "scale", "incremental", "blocks"])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=389)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="scale: keep the loaded database as <name>_loaded_<N>_<seed> and copy it on later runs",
    )
    parser.add_argument("--load-only", action="store_true", help="scale: load (and keep), no run")
    parser.add_argument("--no-incremental", action="store_true", help="scale: skip the incremental match")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()}")
    {"quality": quality, "scale": scale, "incremental": incremental, "blocks": blocks}[args.mode](args)
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    main()
