"""The import's fast paths in the subjects app give what the plain ORM paths gave (issue 10:
`keys.refresh` reads only the fields it needs; `run.decisions` filters by one IN list;
`run.recluster` reads the members in two queries)."""

import pytest

from canhgiac.subjects.models import LinkKey, MatchPair, ReviewDecision, Subject
from canhgiac.subjects.network import keys
from canhgiac.subjects.resolution import run

pytestmark = pytest.mark.django_db

GOODS = [
    {"goods_category": "electronics", "description": "Điện thoại nhái", "quantity": "1", "value_vnd": 1_000}
]


@pytest.fixture
def records(make_case):
    make_case(
        "QLTT",
        detected_on="2026-03-10",
        goods=GOODS,
        subjects=[
            {
                "kind": "person",
                "name": "An Văn A",
                "role": "owner",
                "phone": "0912 345 678",
                "address": "P. Tân Lợi",
            },
            {"kind": "person", "name": "Bùi Thị B", "role": "seller", "bank_account": "0123-456-789"},
            {
                "kind": "online_account",
                "name": "Shop C",
                "role": "seller",
                "platform": "facebook",
                "handle": "shopc",
                "url": "https://facebook.com/shopc",
            },
            {"kind": "vehicle", "name": "Xe D", "role": "transporter", "plate": "47A-123.45"},
            {"kind": "person", "name": "Cao Văn E", "role": "owner"},
        ],
    )
    found = list(Subject.objects.order_by("pk"))
    # the contact fields, whatever the case form keeps of them
    fields = [
        {"phone": "0912 345 678", "address": "12 Hẻm Kín, P. Tân Lợi"},
        {"bank_account": "0123-456-789"},
        {"platform": "facebook", "handle": "shopc", "url": "https://facebook.com/shopc"},
        {"plate": "47A-123.45"},
        {},
    ]
    for subject, values in zip(found, fields, strict=True):
        Subject.objects.filter(pk=subject.pk).update(**values)
    return found


def test_refresh_writes_the_keys_of_the_model_instances(records):
    LinkKey.objects.all().delete()
    LinkKey.objects.create(subject=records[0], kind="phone", value="stale")
    keys.refresh([s.pk for s in records])
    got = set(LinkKey.objects.values_list("subject_id", "kind", "value"))
    # the old path: keys_for() of each model instance
    wanted = {(s.pk, kind, value) for s in Subject.objects.all() for kind, value in keys.keys_for(s)}
    assert got == wanted
    assert {kind for _pk, kind, _v in got} >= {
        "phone",
        "bank_account",
        "address",
        "online_account",
        "vehicle",
    }


def test_refresh_in_chunks_gives_the_same_keys(records, monkeypatch):
    keys.refresh([s.pk for s in records])
    whole = set(LinkKey.objects.values_list("subject_id", "kind", "value"))
    monkeypatch.setattr(keys, "REFRESH_CHUNK", 2)
    keys.refresh([s.pk for s in records])
    assert set(LinkKey.objects.values_list("subject_id", "kind", "value")) == whole


def test_decisions_among_ids_equal_the_two_list_filter(records):
    a, b, c, d, e = (s.pk for s in records)
    ReviewDecision.objects.bulk_create(
        [
            ReviewDecision(left_id=a, right_id=b, decision="yes"),
            ReviewDecision(left_id=a, right_id=e, decision="no"),  # e outside the ids
            ReviewDecision(left_id=c, right_id=d, decision="no"),
            ReviewDecision(left_id=b, right_id=d, decision="unsure"),
        ]
    )
    ids = {a, b, c, d}
    old = ReviewDecision.objects.filter(left_id__in=ids, right_id__in=ids)
    yes, no, decided = run.decisions(ids)
    assert decided == set(old.values_list("left_id", "right_id"))
    assert sorted(yes) == sorted(old.filter(decision="yes").values_list("left_id", "right_id"))
    assert sorted(no) == sorted(old.filter(decision="no").values_list("left_id", "right_id"))
    assert decided == {(a, b), (c, d), (b, d)}


def test_recluster_brings_in_the_other_records_of_the_entities(records):
    a, b, c, d, e = (s.pk for s in records)
    # a and e are one entity; b joins it by an automatic pair with a
    run.recluster({a, e, b})
    MatchPair.objects.bulk_create(
        [MatchPair(left_id=a, right_id=e, status="auto", probability=1.0, weight=0.0, reasons=[])]
    )
    run.recluster({a, e})
    entity = Subject.objects.get(pk=a).entity_id
    assert Subject.objects.get(pk=e).entity_id == entity
    MatchPair.objects.bulk_create(
        [MatchPair(left_id=a, right_id=b, status="auto", probability=1.0, weight=0.0, reasons=[])]
    )
    # only b given: a is found through the pair, e through a's entity (the second query)
    run.recluster({b, a})
    assert {Subject.objects.get(pk=i).entity_id for i in (a, b, e)} == {entity}
    assert Subject.objects.get(pk=c).entity_id != entity


def _old_candidates(rows):
    """run._candidates as it was before issue 10's fast path (every new record for every found one)."""
    from django.db.models import Q

    from canhgiac.subjects.models import Identifier

    out = {i: set() for i in rows}
    run_max = run.MAX_CANDIDATES
    wanted = {}
    for i, r in rows.items():
        for key in ("doc", "phone", "email", "bank"):
            if r.get(key):
                wanted.setdefault((r["doc_scheme"] if key == "doc" else key, r[key]), set()).add(i)
    cond = Q()
    for scheme, value in wanted:
        cond |= Q(scheme=scheme, value=value)
    if wanted:
        for scheme, value, subject_id in Identifier.objects.filter(cond).values_list(
            "scheme", "value", "subject_id"
        ):
            for i in wanted.get((scheme, value), ()):
                if subject_id != i and len(out[i]) < run_max:
                    out[i].add(subject_id)
    cond = Q()
    for r in rows.values():
        if r.get("block_key"):
            if r.get("birth_year") is not None:
                cond |= Q(kind=r["kind"], block_key=r["block_key"], birth_year=r["birth_year"])
            if r.get("unit"):
                cond |= Q(kind=r["kind"], block_key=r["block_key"], unit_id=int(r["unit"]))
        if r.get("address"):
            cond |= Q(kind=r["kind"], address_key=r["address"])
        if r.get("birth_date"):
            cond |= Q(kind=r["kind"], birth_date=r["birth_date"])
    found = Subject.objects.filter(cond).values_list(
        "pk", "kind", "block_key", "birth_year", "unit_id", "address_key", "birth_date"
    )
    for pk, kind, block, year, unit, address, born in found[: run_max * len(rows)]:
        for i, r in rows.items():
            if r["kind"] != kind or pk == i:
                continue
            same_block = bool(block) and block == r.get("block_key")
            same_year = year is not None and year == r.get("birth_year")
            same_unit = unit is not None and str(unit) == r.get("unit")
            same_house = bool(address) and address == r.get("address")
            same_birth = born is not None and born.isoformat() == r.get("birth_date")
            if ((same_block and (same_year or same_unit)) or same_house or same_birth) and len(
                out[i]
            ) < run_max:
                out[i].add(pk)
    return out


@pytest.mark.parametrize("cap", [300, 3])
def test_candidates_by_key_equal_the_loop_over_every_record(import_rows, monkeypatch, cap):
    from canhgiac.directory.models import AdministrativeUnit
    from canhgiac.subjects import synthetic
    from canhgiac.subjects.resolution import features

    units = list(
        AdministrativeUnit.objects.filter(parent__codename="dak_lak").values_list("code", flat=True)[:5]
    )
    rows = synthetic.records(synthetic.people(300, units, seed=11), seed=11)
    for agency in synthetic.AGENCIES:
        assert import_rows(agency, [r for r in rows if r["agency"] == agency], match=False).ok
    monkeypatch.setattr(run, "MAX_CANDIDATES", cap)  # the cap keeps the same records, in the same order
    new = features.rows_for(list(Subject.objects.order_by("pk").values_list("pk", flat=True)[:200]))
    old = _old_candidates(new)
    assert run._candidates(new) == old
    assert sum(len(c) for c in old.values()) > len(new)  # the test data do share keys


def test_match_records_reads_feature_rows_once_with_the_same_results(import_rows, monkeypatch):
    """match_records keeps the feature rows it has read for the whole call (issue 10); the
    pairs and entities are those of the old path, which read them again for every chunk: one
    call per chunk gives exactly that (nothing is carried from one call to the next)."""
    from django.db import transaction

    from canhgiac.directory.models import AdministrativeUnit
    from canhgiac.subjects import synthetic
    from canhgiac.subjects.resolution import features

    units = list(
        AdministrativeUnit.objects.filter(parent__codename="dak_lak").values_list("code", flat=True)[:5]
    )
    rows = synthetic.records(synthetic.people(150, units, seed=5), seed=5)
    for agency in synthetic.AGENCIES:
        assert import_rows(agency, [r for r in rows if r["agency"] == agency], match=False).ok
    ids = list(Subject.objects.order_by("pk").values_list("pk", flat=True))
    monkeypatch.setattr(run, "MATCH_CHUNK", 40)
    monkeypatch.setattr(run, "ROWS_AHEAD", 80)
    assert len(ids) > 3 * run.ROWS_AHEAD

    reads = []
    real_rows_for = features.rows_for

    def counted(wanted):
        wanted = list(wanted)
        reads.append(len(wanted))
        return real_rows_for(wanted)

    monkeypatch.setattr(features, "rows_for", counted)

    def outcome(calls):
        with transaction.atomic():
            for chunk in calls:
                run.match_records(chunk)
            pairs = sorted(
                MatchPair.objects.values_list("left_id", "right_id", "status", "probability", "reasons")
            )
            entities = {}
            for pk, entity in Subject.objects.values_list("pk", "entity_id"):
                entities.setdefault(entity, set()).add(pk)
            transaction.set_rollback(True)
        return pairs, sorted(sorted(group) for group in entities.values())

    reads.clear()
    one_call = outcome([ids])
    read_once = sum(reads)
    reads.clear()
    per_chunk = outcome([ids[i : i + run.MATCH_CHUNK] for i in range(0, len(ids), run.MATCH_CHUNK)])
    assert one_call == per_chunk
    assert one_call[0]  # the data do give pairs
    assert any(len(group) > 1 for group in one_call[1])  # and entities of several records
    assert read_once < sum(reads)  # fewer rows read for the same result


@pytest.mark.parametrize("inline", [0, 5000])
def test_set_entities_in_one_statement_or_through_a_table(records, monkeypatch, inline):
    """The matching's small batches update entity_id in one UPDATE … FROM unnest on PostgreSQL,
    large ones through a temporary table (issue 10); both write the same ids (SQLite: one path)."""
    from canhgiac.subjects.models import Entity

    monkeypatch.setattr(run, "SET_ENTITIES_INLINE", inline)
    first, second = (Entity.objects.create(kind="person") for _ in range(2))
    a, b, c, d, e = (s.pk for s in records)
    untouched = Subject.objects.get(pk=d).entity_id
    run._set_entities([(a, first.pk), (b, first.pk), (c, second.pk), (e, second.pk)])
    got = dict(Subject.objects.filter(pk__in=[a, b, c, d, e]).values_list("pk", "entity_id"))
    assert got == {a: first.pk, b: first.pk, c: second.pk, d: untouched, e: second.pk}
