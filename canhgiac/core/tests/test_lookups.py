"""`field__in_ids`: the same rows as `field__in`, for many ids, on SQLite and PostgreSQL."""

import numpy as np
import pytest

from canhgiac.directory.models import Agency


@pytest.mark.django_db
def test_in_ids_selects_what_in_selects(lang_son):  # noqa: F811
    ids = list(Agency.objects.order_by("pk").values_list("pk", flat=True))
    assert len(ids) >= 3
    wanted = ids[::2] + [10**12, 10**12]  # a missing id, twice
    same = set(Agency.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    assert set(Agency.objects.filter(pk__in_ids=wanted).values_list("pk", flat=True)) == same
    # a set, numpy integers, a foreign key, exclude
    assert set(Agency.objects.filter(pk__in_ids=set(np.array(wanted))).values_list("pk", flat=True)) == same
    provinces = set(Agency.objects.filter(pk__in=ids[:2]).values_list("province_id", flat=True))
    assert Agency.objects.filter(province_id__in_ids=provinces).count() == (
        Agency.objects.filter(province_id__in=provinces).count()
    )
    assert Agency.objects.exclude(pk__in_ids=wanted).count() == len(ids) - len(same)


@pytest.mark.django_db
def test_in_ids_of_nothing_is_nothing_and_only_integers_enter(lang_son):  # noqa: F811
    assert not Agency.objects.filter(pk__in_ids=[]).exists()
    assert Agency.objects.exclude(pk__in_ids=[]).count() == Agency.objects.count()
    with pytest.raises((ValueError, TypeError)):
        list(Agency.objects.filter(pk__in_ids=["1) OR (1=1"]))


@pytest.mark.django_db
def test_in_ids_takes_tens_of_thousands(lang_son):  # noqa: F811
    first = Agency.objects.order_by("pk").values_list("pk", flat=True).first()
    many = list(range(first, first + 40_000))  # more than SQLite's 32,766 variables
    assert Agency.objects.filter(pk__in_ids=many).count() == Agency.objects.filter(pk__gte=first).count()
