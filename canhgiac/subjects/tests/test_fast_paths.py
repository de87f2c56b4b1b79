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
