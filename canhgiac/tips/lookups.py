"""Reference data a tip submission reads, cached in each process.

A public tip names a commune, a goods category and a violation type by code, and is routed through
the responsibility matrix (field -> lead and coordinating agencies). Those rows change a few times
a year, yet reading them cost 6-8 queries per tip. Here they are kept per process:

- a change of any directory row (save, delete, many-to-many) made in this process clears the cache
  at once; other processes (gunicorn workers, other app servers) pick it up within
  TIP_LOOKUP_CACHE_SECONDS (default 60; 0 turns the cache off). docs/tips.md says so.
- a change of settings clears it too (tests change settings around every test).
- unknown codes are not cached: a new commune or category is found at once.

Cached instances are shared between threads and only read.
"""

from __future__ import annotations

import threading
import time

from django.core.signals import setting_changed
from django.db.models.signals import m2m_changed, post_delete, post_save

from canhgiac.directory import services as directory
from canhgiac.directory.models import AdministrativeUnit, Field, GoodsCategory, ViolationType
from canhgiac.tips import conf

_cache: dict[tuple, tuple[float, object]] = {}
_lock = threading.Lock()


def clear(**_kwargs) -> None:
    with _lock:
        _cache.clear()


def _cached(key: tuple, load):
    ttl = conf.get("TIP_LOOKUP_CACHE_SECONDS")
    now = time.monotonic()
    hit = _cache.get(key)
    if ttl > 0 and hit is not None and hit[0] > now:
        return hit[1]
    value = load()
    if ttl > 0 and value is not None:
        with _lock:
            _cache[key] = (now + ttl, value)
    return value


def unit(code: str) -> AdministrativeUnit | None:
    return _cached(
        ("unit", code), lambda: AdministrativeUnit.objects.filter(code=code).select_related("parent").first()
    )


def goods_category(code: str) -> GoodsCategory | None:
    return _cached(
        ("goods", code), lambda: GoodsCategory.objects.filter(code=code).select_related("field").first()
    )


def violation_type(code: str) -> ViolationType | None:
    return _cached(("violation", code), lambda: ViolationType.objects.filter(code=code).first())


def field(code: str | None) -> Field | None:
    if not code:
        return None
    return _cached(("field", code), lambda: Field.objects.filter(code=code).first())


def default_province() -> AdministrativeUnit | None:
    """The province a tip without a commune belongs to (the first configured one)."""

    def load():
        codes = directory.configured_provinces()
        qs = AdministrativeUnit.objects.filter(parent=None)
        return (qs.filter(codename=codes[0]).first() if codes else None) or qs.order_by("code").first()

    return _cached(("default_province",), load)


def agencies(where: AdministrativeUnit, field: Field | None):
    """(lead agency, coordinating agencies other than the lead) for `field` in `where` by the
    responsibility matrix (directory.lead_agency / coordinating_agencies)."""

    def load():
        lead = directory.lead_agency(where, field)
        coordinating = [a for a in directory.coordinating_agencies(where, field) if a.pk != lead.pk]
        return lead, coordinating

    lead, coordinating = _cached(("agencies", where.pk, field.pk if field else None), load)
    return lead, list(coordinating)


def _directory_changed(sender, **_kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is not None and meta.app_label == "directory":  # many-to-many tables included
        clear()


def connect() -> None:
    post_save.connect(_directory_changed, dispatch_uid="tips_lookups_save")
    post_delete.connect(_directory_changed, dispatch_uid="tips_lookups_delete")
    m2m_changed.connect(_directory_changed, dispatch_uid="tips_lookups_m2m")
    setting_changed.connect(clear, dispatch_uid="tips_lookups_settings")
