"""Query plans that keep the EPCIS queries fast at 10,000,000 events (bench/epcis_query.py), checked
at test scale on PostgreSQL: the prefix matches (`MATCH_epcClass=<GTIN>`, `urn:epc:idpat:…*`, a
GTIN's trace) are ranges of the identifier index, not a scan of every identifier row. The answers
themselves are checked on both databases by test_epcis_capture.py."""

import datetime as dt

import pytest
from django.db import connection
from django.http import QueryDict

from canhgiac.goods.epcis import query
from canhgiac.goods.epcis.identifiers import check_digit
from canhgiac.goods.models import EpcisEpc, EpcisEvent

GTIN = "08934588012228"


@pytest.fixture
def identifiers(db):
    """Identifier rows of many GTINs (items, and lot classes in quantity lists), analysed, so the
    planner sees a table like the store's rather than an empty one."""
    moment = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    event = EpcisEvent.objects.create(
        event_hash="ni:///sha-256;plans",
        event_type="ObjectEvent",
        event_time=moment,
        record_time=moment,
        body={},
    )
    rows = []
    for g in range(1200, 1240):  # GTIN (the tests' 08934588012228 among them)
        gtin = f"089345880{g:04d}"
        gtin += check_digit(gtin)
        for n in range(100):
            rows.append(EpcisEpc(event=event, epc=f"https://id.gs1.org/01/{gtin}/21/{n}", role="e"))
        for lot in range(5):
            rows.append(EpcisEpc(event=event, epc=f"https://id.gs1.org/01/{gtin}/10/L{lot}", role="q"))
    EpcisEpc.objects.bulk_create(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE goods_epcisepc")
    return event


def _plan(queryset) -> str:
    with connection.cursor() as cursor:
        # a test table is tiny: forbid the sequential scan so the plan shows whether the index
        # *can* answer the condition (with the default collation's index it cannot)
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        f"MATCH_epcClass=https://id.gs1.org/01/{GTIN}",
        "MATCH_epc=urn:epc:idpat:sgtin:8934588.001222.*",
        "MATCH_anyEPC=urn:epc:id:sgtin:8934588.001222.7",
    ],
)
def test_identifier_matches_are_ranges_of_the_identifier_index(identifiers, params):
    if connection.vendor != "postgresql":
        pytest.skip("the pattern opclass is PostgreSQL's; SQLite's LIKE plan is not this index")
    condition, _per_page, _after = query.filters(QueryDict(params))
    # the identifier lookup the events query is filtered by (`pk IN (SELECT event_id …)`)
    (_lookup, identifier_rows), *_rest = condition.children
    plan = _plan(identifier_rows)
    assert "goods_epcis_epc_pat_idx" in plan, plan
    conds = [x for x in plan.splitlines() if "Index Cond" in x and "epc)::text" in x]
    assert conds, plan
    if "*" in params or "epcClass" in params:
        # the prefix is the index range (~>=~ … ~<~), not a filter over every row
        assert any("~>=~" in x and "~<~" in x for x in conds), plan
    else:
        assert all("~>=~" not in x for x in conds), plan


@pytest.mark.django_db
def test_a_gtin_trace_reads_its_identifiers_by_index_range(identifiers):
    if connection.vendor != "postgresql":
        pytest.skip("the pattern opclass is PostgreSQL's")
    plan = _plan(EpcisEpc.objects.filter(epc__startswith=f"https://id.gs1.org/01/{GTIN}/").values("epc"))
    assert "goods_epcis_epc_pat_idx" in plan and "~>=~" in plan, plan


@pytest.fixture
def week_of_events(db):
    """Events of several steps over half a year, half of them in Đắk Lắk, analysed."""
    from canhgiac.directory.models import AdministrativeUnit

    provinces = [AdministrativeUnit.objects.get(codename="dak_lak").pk, None]
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    steps = ["retail_selling", "shipping", "receiving", "inspecting"]
    EpcisEvent.objects.bulk_create(
        EpcisEvent(
            event_hash=f"ni:///sha-256;plan{n}",
            event_type="ObjectEvent",
            event_time=start + dt.timedelta(hours=n),
            record_time=start,
            biz_step=f"https://ref.gs1.org/cbv/BizStep-{steps[n % 4]}",
            province_id=provinces[n % 2],
            body={"n": n},
        )
        for n in range(4000)
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE goods_epcisevent")
    return provinces


@pytest.mark.django_db
def test_a_step_and_time_window_page_takes_its_ids_from_the_step_index(week_of_events):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plan")
    condition, _per_page, _after = query.filters(
        QueryDict(
            "EQ_bizStep=retail_selling&GE_eventTime=2026-02-01T00:00:00Z&LT_eventTime=2026-02-08T00:00:00Z"
        )
    )
    ids = (
        EpcisEvent.objects.filter(condition, province_id__in=week_of_events[:1], pk__gt=100)
        .order_by("pk")
        .values("pk")[:31]
    )
    plan = _plan(ids)
    # every condition (step, window, province, page token) answered inside the index, no body read
    assert "goods_epcis_step_page_idx" in plan, plan
    assert "goods_epcisevent_pkey" not in plan, plan
