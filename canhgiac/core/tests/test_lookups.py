"""`field__any=values` (core.lookups) selects the same rows as `field__in=values` (issue 10: the
imports' id lists without Django's per-item preparation)."""

import numpy as np
import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from canhgiac.directory.models import AdministrativeUnit, Agency

pytestmark = pytest.mark.django_db


def _ids(qs):
    return sorted(qs.values_list("pk", flat=True))


def test_any_selects_what_in_selects():
    units = list(AdministrativeUnit.objects.values_list("pk", "code", "parent_id"))
    assert len(units) > 10
    some = [pk for pk, _c, _p in units[::3]]
    codes = [code for _pk, code, _p in units[1::4]]
    parents = {p for _pk, _c, p in units if p is not None}
    cases = [
        ("pk", some),
        ("pk", set(some)),
        ("pk", iter(some)),
        ("pk", [*some, *some]),  # duplicates
        ("pk", [*some, 10**12]),  # an id beyond int4
        ("code", codes),
        ("code", {*codes, "x" * 300}),  # longer than the column: never cut to match
        ("parent", parents),  # a foreign key
        ("parent_id", list(parents)),
    ]
    for name, values in cases:
        values = list(values)
        want = _ids(AdministrativeUnit.objects.filter(**{f"{name}__in": values}))
        got = _ids(AdministrativeUnit.objects.filter(**{f"{name}__any": set(values)}))
        assert got == want, name
        assert got  # the comparison is not between two empty lists
    # inside Q combinations and with other conditions
    q_in = Q(pk__in=some) | Q(code__in=codes)
    q_any = Q(pk__any=set(some)) | Q(code__any=codes)
    assert _ids(AdministrativeUnit.objects.filter(q_any)) == _ids(AdministrativeUnit.objects.filter(q_in))
    assert _ids(AdministrativeUnit.objects.exclude(pk__any=some)) == _ids(
        AdministrativeUnit.objects.exclude(pk__in=some)
    )


def test_any_of_nothing_matches_nothing_without_a_query():
    with CaptureQueriesContext(connection) as queries:
        assert list(Agency.objects.filter(pk__any=[])) == []
    assert len(queries) == 0
    assert _ids(Agency.objects.filter(Q(pk__any=set()) | Q(pk__gt=0))) == _ids(Agency.objects.all())


def test_any_sends_one_parameter_on_postgresql():
    some = list(AdministrativeUnit.objects.values_list("pk", flat=True)[:50])
    with CaptureQueriesContext(connection) as queries:
        list(AdministrativeUnit.objects.filter(pk__any=set(some)))
    sql = queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and "::bigint[]" in sql
    else:
        assert " IN (" in sql


def test_any_refuses_a_single_value():
    with pytest.raises(TypeError):
        list(Agency.objects.filter(code__any="QLTT"))


def test_any_of_ids_takes_numpy_integers_and_only_integers_enter(lang_son):  # noqa: F811
    ids = list(Agency.objects.order_by("pk").values_list("pk", flat=True))
    wanted = ids[::2] + [10**12, 10**12]  # a missing id, twice
    same = set(Agency.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    assert same
    assert set(Agency.objects.filter(pk__any=set(np.array(wanted))).values_list("pk", flat=True)) == same
    assert set(Agency.objects.filter(pk__any=[*wanted, None]).values_list("pk", flat=True)) == same
    assert Agency.objects.exclude(pk__any=[]).count() == Agency.objects.count()
    with pytest.raises((ValueError, TypeError)):
        list(Agency.objects.filter(pk__any=["1) OR (1=1"]))


def test_any_takes_tens_of_thousands_of_ids(lang_son):  # noqa: F811
    first = Agency.objects.order_by("pk").values_list("pk", flat=True).first()
    many = list(range(first, first + 40_000))  # more than SQLite's 32,766 variables
    assert Agency.objects.filter(pk__any=many).count() == Agency.objects.filter(pk__gte=first).count()
