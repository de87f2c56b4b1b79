"""The province directory: administrative units, agencies, reference lists, the responsibility matrix."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from vietnam_provinces import Province, VietNamDivisionType, Ward

from canhgiac.core.text import clean_name
from canhgiac.directory.models import (
    AdministrativeUnit,
    Agency,
    Field,
    GoodsCategory,
    Responsibility,
    ViolationType,
)

DATA_DIR = Path(__file__).parent / "data"

_KIND_BY_DIVISION = {
    VietNamDivisionType.TINH: AdministrativeUnit.Kind.PROVINCE,
    VietNamDivisionType.THANH_PHO_TRUNG_UONG: AdministrativeUnit.Kind.CITY,
    VietNamDivisionType.PHUONG: AdministrativeUnit.Kind.WARD,
    VietNamDivisionType.XA: AdministrativeUnit.Kind.COMMUNE,
    VietNamDivisionType.DAC_KHU: AdministrativeUnit.Kind.SPECIAL_ZONE,
}


@lru_cache(maxsize=1)
def reference_data() -> dict:
    return yaml.safe_load((DATA_DIR / "reference.yaml").read_text(encoding="utf-8"))


def configured_provinces() -> list[str]:
    return list(settings.CANHGIAC_PROVINCES)


def find_province(codename: str):
    for province in Province.iter_all():
        if province.codename == codename:
            return province
    known = ", ".join(p.codename for p in Province.iter_all())
    raise ValueError(f"Unknown province codename {codename!r}; known: {known}")


def agency_code(base_code: str, province: AdministrativeUnit) -> str:
    """Agencies of the first configured province keep the bare code (CA, QLTT, ...); those of
    further provinces in a multi-province deployment get the province code as suffix (CA-20)."""
    primary = configured_provinces()[0] if configured_provinces() else None
    return base_code if province.codename == primary else f"{base_code}-{province.code}"


def commune_agency_code(unit: AdministrativeUnit) -> str:
    return f"UBND-{unit.code}"


@transaction.atomic
def load_units(codename: str) -> tuple[AdministrativeUnit, int]:
    """Load one province and all its wards/communes from vietnam-provinces (names cleaned)."""
    p = find_province(codename)
    province, _ = AdministrativeUnit.objects.update_or_create(
        code=str(p.code.value),
        defaults={
            "name": clean_name(p.name),
            "kind": _KIND_BY_DIVISION[p.division_type],
            "codename": p.codename,
            "parent": None,
        },
    )
    existing = {u.code: u for u in AdministrativeUnit.objects.filter(parent=province)}
    count = 0
    for w in Ward.iter_all():
        if w.province_code != p.code:
            continue
        count += 1
        code, name, kind = str(w.code.value), clean_name(w.name), _KIND_BY_DIVISION[w.division_type]
        unit = existing.get(code)
        if unit is None:
            AdministrativeUnit.objects.create(
                code=code, name=name, kind=kind, codename=w.codename, parent=province
            )
        elif (unit.name, unit.kind) != (name, kind):
            unit.name, unit.kind, unit.codename = name, kind, w.codename
            unit.save()
    return province, count


@transaction.atomic
def load_agencies(province: AdministrativeUnit) -> int:
    created = 0
    offices = reference_data()["standing_office"]
    standing_code = offices.get(province.codename, offices["default"])
    for base, spec in reference_data()["agencies"].items():
        kind, name, short = spec[0], spec[1], spec[2]
        standing = base == standing_code
        _, was_created = Agency.objects.get_or_create(
            code=agency_code(base, province),
            defaults={
                "name": name.format(province=province.name),
                "short_name": short,
                "kind": kind,
                "province": province,
                "is_standing_office": standing,
            },
        )
        created += was_created
    for unit in province.children.all():
        prefix = (
            "UBND phường"
            if unit.kind == AdministrativeUnit.Kind.WARD
            else ("UBND đặc khu" if unit.kind == AdministrativeUnit.Kind.SPECIAL_ZONE else "UBND xã")
        )
        bare = unit.name.split(" ", 1)[1] if " " in unit.name else unit.name
        # "UBND xã Ea Kao", lower-case "xã" as it reads mid-sentence (not the unit's "Xã Ea Kao")
        agency, was_created = Agency.objects.get_or_create(
            code=commune_agency_code(unit),
            defaults={
                "name": f"{prefix} {bare}",
                "short_name": f"{prefix} {bare}",
                "kind": Agency.Kind.COMMUNE,
                "province": province,
                "unit": unit,
            },
        )
        if agency.short_name == f"UBND {unit.name}" != f"{prefix} {bare}":  # as earlier setups wrote it
            agency.short_name = f"{prefix} {bare}"
            agency.save()
        created += was_created
    return created


@transaction.atomic
def load_reference_lists() -> None:
    data = reference_data()
    for order, (code, spec) in enumerate(data["fields"].items()):
        Field.objects.update_or_create(
            code=code, defaults={"name": spec[0], "name_en": spec[1], "order": order}
        )
    for order, (code, spec) in enumerate(data["goods_categories"].items()):
        GoodsCategory.objects.update_or_create(
            code=code,
            defaults={
                "name": spec[0],
                "name_en": spec[1],
                "field": Field.objects.get(code=spec[2]),
                "high_risk": spec[3],
                "order": order,
            },
        )
    for order, (code, spec) in enumerate(data["violation_types"].items()):
        ViolationType.objects.update_or_create(
            code=code, defaults={"name": spec[0], "name_en": spec[1], "order": order}
        )


@transaction.atomic
def load_default_matrix(province: AdministrativeUnit) -> int:
    """Province-wide rows from reference.yaml; rows a coordinator already edited are kept."""
    created = 0
    for code, spec in reference_data()["fields"].items():
        field = Field.objects.get(code=code)
        if Responsibility.objects.filter(field=field, unit=province).exists():
            continue
        row = Responsibility.objects.create(
            field=field, unit=province, lead=Agency.objects.get(code=agency_code(spec[2], province))
        )
        row.coordinating.set(Agency.objects.filter(code__in=[agency_code(c, province) for c in spec[3]]))
        created += 1
    return created


def setup_province(codename: str, stdout=None) -> AdministrativeUnit:
    load_reference_lists()
    province, count = load_units(codename)
    load_agencies(province)
    load_default_matrix(province)
    if stdout:
        stdout.write(f"  {province.name}: {count} xã, phường")
    return province


# --- Questions other apps ask -------------------------------------------------------------


def standing_office(province: AdministrativeUnit | None = None) -> Agency:
    qs = Agency.objects.filter(is_standing_office=True)
    if province is not None:
        qs = qs.filter(province=province.province)
    return qs.order_by("id").first()


def _responsibility(unit: AdministrativeUnit, field: Field) -> Responsibility | None:
    rows = {
        r.unit_id: r
        for r in Responsibility.objects.filter(
            field=field, unit_id__in={unit.pk, unit.province.pk}
        ).select_related("lead")
    }
    return rows.get(unit.pk) or rows.get(unit.province.pk)


def lead_agency(unit: AdministrativeUnit, field: Field | None) -> Agency:
    """The agency that leads `field` in `unit`: the commune's own row if there is one, else the
    province row; the Standing Office when the field is unknown or has no row."""
    if field is not None:
        row = _responsibility(unit, field)
        if row is not None:
            return row.lead
    return standing_office(unit.province)


def coordinating_agencies(unit: AdministrativeUnit, field: Field | None) -> list[Agency]:
    if field is None:
        return []
    row = _responsibility(unit, field)
    return list(row.coordinating.all()) if row else []


def field_for_goods(goods_category: GoodsCategory | None) -> Field | None:
    return goods_category.field if goods_category else None


def units(province_codename: str | None = None):
    qs = AdministrativeUnit.objects.exclude(parent=None)
    if province_codename:
        qs = qs.filter(parent__codename=province_codename)
    return qs.select_related("parent")


def unit_by_code(code: str) -> AdministrativeUnit | None:
    return AdministrativeUnit.objects.filter(code=str(code).strip()).first()


def agency_by_code(code: str) -> Agency | None:
    return Agency.objects.filter(
        code=str(code).strip().upper() if not str(code).startswith("UBND-") else code
    ).first()


@transaction.atomic
def save_responsibility(
    *,
    field: Field,
    unit: AdministrativeUnit,
    lead: Agency,
    coordinating,
    note: str = "",
    row: Responsibility | None = None,
) -> Responsibility:
    if row is None:
        row = Responsibility(field=field, unit=unit)
    row.field, row.unit, row.lead, row.note = field, unit, lead, note
    row.save()
    row.coordinating.set([a for a in coordinating if a.pk != lead.pk])
    return row
