"""The province directory: administrative units, agencies, reference lists, the responsibility matrix."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from vietnam_provinces import Province, VietNamDivisionType, Ward

from canhgiac.core.text import clean_name, fold
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
    """Every province's agencies keep the short code (CA, QLTT, ...): codes are unique within a
    province, and `Agency.key` ("<province code>:<short code>") is unique in the deployment."""
    return base_code


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
            province=province,
            code=agency_code(base, province),
            defaults={
                "name": name.format(province=province.name),
                "short_name": short,
                "kind": kind,
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
            province=province,
            code=commune_agency_code(unit),
            defaults={
                "name": f"{prefix} {bare}",
                "short_name": f"{prefix} {bare}",
                "kind": Agency.Kind.COMMUNE,
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
        agencies = Agency.objects.filter(province=province)
        row = Responsibility.objects.create(
            field=field, unit=province, lead=agencies.get(code=agency_code(spec[2], province))
        )
        row.coordinating.set(agencies.filter(code__in=[agency_code(c, province) for c in spec[3]]))
        created += 1
    return created


@transaction.atomic
def load_border_flags(province: AdministrativeUnit) -> int:
    """Flag the province's border communes from reference.yaml, once: while none is flagged (so
    the Standing Office's later edits are kept)."""
    codes = (reference_data().get("border_communes") or {}).get(province.codename) or []
    communes = province.children.all()
    if not codes or communes.filter(border=True).exists():
        return 0
    flagged = 0
    for unit in communes.filter(code__in=codes):
        unit.border = True
        unit.save()
        flagged += 1
    return flagged


def border_units(province: AdministrativeUnit | None = None):
    qs = AdministrativeUnit.objects.exclude(parent=None).select_related("parent")
    return qs.filter(parent=province) if province is not None else qs


@transaction.atomic
def set_border_communes(user, province: AdministrativeUnit, codes) -> int:
    """The Standing Office sets which communes of its province lie on the border; returns how
    many flags changed (each change audited through the model)."""
    from canhgiac.core import policy

    if not policy.can(user, "set_border", province):
        raise PermissionDenied
    from canhgiac.directory.signals import border_changed

    wanted = {str(c) for c in codes}
    added, removed = [], []
    for unit in province.children.all():
        flag = unit.code in wanted
        if unit.border != flag:
            unit.border = flag
            unit.save()
            (added if flag else removed).append(unit.code)
    if added or removed:
        # Plan tasks written for "UBND các xã biên giới" follow at once, in this transaction.
        border_changed.send(AdministrativeUnit, province=province, added=added, removed=removed)
    return len(added) + len(removed)


def setup_province(codename: str, stdout=None) -> AdministrativeUnit:
    load_reference_lists()
    province, count = load_units(codename)
    load_border_flags(province)
    load_agencies(province)
    load_default_matrix(province)
    if stdout:
        stdout.write(f"  {province.name}: {count} xã, phường")
    return province


# --- Questions other apps ask -------------------------------------------------------------


def home_province(user=None) -> AdministrativeUnit | None:
    """The province a user acts in (their first agency membership's); for the system and for
    national users, the first province loaded."""
    for m in user.active_memberships() if getattr(user, "is_authenticated", False) else []:
        if m.agency_id:
            return m.agency.province
    return AdministrativeUnit.objects.filter(parent=None).order_by("id").first()


def agencies_for(user, queryset=None):
    """The active agencies a user's forms and filters may offer: those of the provinces the user
    acts in (every province for national administrators; none for a user without a province).
    The one place choice lists are scoped (policy.scope)."""
    from canhgiac.core import policy

    qs = Agency.objects.filter(is_active=True) if queryset is None else queryset
    return policy.scope(user, qs, "province")


def units_for(user, *, communes_only: bool = True):
    """The wards and communes (and, with communes_only=False, the provinces themselves) of the
    provinces the user acts in, for choice lists."""
    from django.db.models import Q

    from canhgiac.core import policy

    ids = policy.province_ids(user)
    qs = (
        AdministrativeUnit.objects.exclude(parent=None) if communes_only else AdministrativeUnit.objects.all()
    )
    if ids is None:
        return qs
    return qs.filter(parent__in=ids) if communes_only else qs.filter(Q(parent__in=ids) | Q(pk__in=ids))


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


def province_by_codename(codename: str) -> AdministrativeUnit | None:
    return AdministrativeUnit.objects.filter(parent=None, codename=str(codename).strip()).first()


def agency_by_code(code: str, province: AdministrativeUnit | str | None = None) -> Agency | None:
    """The agency with short code `code` (QLTT, UBND-<unit code>) in `province` (a unit or its
    codename); without a province, in the one province loaded, or by its key ("66:QLTT").
    None when the code is unknown or ambiguous (several provinces loaded, none given)."""
    code = str(code or "").strip()
    if not code:
        return None
    if ":" in code:
        return Agency.objects.filter(key=code).first()
    code = "UBND-" + code[5:].strip() if code.upper().startswith("UBND-") else code.upper()
    qs = Agency.objects.filter(code=code)
    if isinstance(province, str):
        province = province_by_codename(province)
        if province is None:
            return None
    if province is not None:
        qs = qs.filter(province=province.province)
    found = list(qs[:2])
    return found[0] if len(found) == 1 else None


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


# --- Hotlines (seed 004, 7.6: every agency publishes its hotline) -----------------------------

_HOTLINE_RE = re.compile(r"^(\+84|0)\d{2,3}( ?[.\-]? ?\d){6,8}$|^1[89]00( ?[.\-]? ?\d){4,6}$|^1\d{2}$")


def publish_hotline(user, agency: Agency, *, hotline: str, email: str = "", hours: str = "") -> Agency:
    """An agency's leader publishes its hotline, email and hours; each change is audited (the
    model is audited) and stamped so the Standing Office sees who has published."""
    from django.core.validators import validate_email
    from django.utils import timezone

    from canhgiac.core import policy

    if not policy.can(user, "publish_hotline", agency):
        raise PermissionDenied
    errors = {}
    hotline = " ".join((hotline or "").split())
    email = (email or "").strip().lower()
    hours = " ".join((hours or "").split())
    if not hotline:
        errors["hotline"] = ["Số đường dây nóng: bắt buộc (ví dụ 0262 3852 389)."]
    elif len(hotline) > 40 or not _HOTLINE_RE.match(hotline):
        errors["hotline"] = [
            "Số đường dây nóng: không hợp lệ (ví dụ 0262 3852 389, 0912 345 678 hoặc 1900 1234)."
        ]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ["Thư điện tử: không hợp lệ."]
    if len(hours) > 120:
        errors["hours"] = ["Thời gian tiếp nhận: dài quá 120 ký tự."]
    if errors:
        raise ValidationError(errors)
    agency.hotline, agency.email, agency.hotline_hours = hotline, email, hours
    agency.hotline_published_at = timezone.now()
    agency.save()
    return agency


def hotline_directory(province: AdministrativeUnit | None = None) -> dict:
    """The public list: the provincial agencies under each field they lead (from the province rows
    of the matrix), then each commune's People's Committee; only agencies that published."""
    agencies = Agency.objects.filter(is_active=True).exclude(hotline="").select_related("unit", "province")
    if province is not None:
        agencies = agencies.filter(province=province)
    by_field = []
    rows = Responsibility.objects.filter(unit__parent=None).select_related("field", "lead")
    if province is not None:
        rows = rows.filter(unit=province)
    seen = set()
    for row in rows.order_by("field__order"):
        if row.lead.hotline and row.lead.is_active:
            by_field.append((row.field, row.lead))
            seen.add(row.lead_id)
    others = [a for a in agencies if a.kind != Agency.Kind.COMMUNE and a.pk not in seen]
    communes = sorted(
        (a for a in agencies if a.kind == Agency.Kind.COMMUNE),
        key=lambda a: fold(a.unit.name if a.unit_id else a.name),
    )
    return {"by_field": by_field, "others": others, "communes": communes}


def hotline_status(province: AdministrativeUnit | None = None):
    """Every active agency with whether it has published its hotline (for the Standing Office)."""
    qs = Agency.objects.filter(is_active=True).select_related("unit")
    if province is not None:
        qs = qs.filter(province=province)
    return qs.order_by("kind", "name_folded")


def demo_hotlines(rng, stdout=None) -> int:
    """Realistic demo numbers for every agency: provincial bodies on the 0262 3 85x xxx exchange
    of Buôn Ma Thuột, communes on 0262 3 6xx xxx / 3 7xx xxx; only where none was published."""
    from django.utils import timezone

    filled = 0
    area_codes = {"dak_lak": "0262", "lang_son": "0205"}
    for agency in (
        Agency.objects.filter(is_active=True, hotline="").select_related("province").order_by("code")
    ):
        area = area_codes.get(agency.province.codename, "0262")
        if agency.kind == Agency.Kind.COMMUNE:
            number = f"{area} 3{rng.choice('67')}{rng.randint(10, 99)} {rng.randint(100, 999)}"
            hours = "Giờ hành chính, thứ Hai đến thứ Sáu"
        else:
            number = f"{area} 385{rng.randint(0, 9)} {rng.randint(100, 999)}"
            hours = "24/7" if agency.kind == Agency.Kind.FORCE else "7h00–17h00, thứ Hai đến thứ Sáu"
        agency.hotline, agency.hotline_hours = number, hours
        if not agency.email:
            domain = agency.province.codename.replace("_", "")
            agency.email = f"{agency.code.lower().replace('-', '')}@{domain}.gov.vn"
        agency.hotline_published_at = timezone.now()
        agency.save()
        filled += 1
    if stdout:
        stdout.write(f"  Đường dây nóng: {filled} cơ quan")
    return filled


# --- coordinates of the units (reference data the deployment loads) ------------------------


def import_unit_locations(user, data: bytes, filename: str):
    """Set the units' coordinates from a file (directory.locations); `user` None for the command
    line (every unit), else an administrator: the provinces they administer."""
    from canhgiac.core import policy
    from canhgiac.directory import locations

    provinces = None
    if user is not None:
        if not policy.can(user, locations.VERB):
            raise PermissionDenied
        provinces = policy.province_ids(user)
        if provinces is not None:
            provinces = {p for p in provinces if policy.can(user, locations.VERB, province=p)}
    return locations.import_unit_locations(data, filename, provinces=provinces)


def location_coverage(provinces):
    from canhgiac.directory import locations

    return locations.coverage(provinces)


def location_provinces(user) -> list[AdministrativeUnit]:
    """The provinces whose unit coordinates `user` may load (administrators), by code."""
    from canhgiac.core import policy
    from canhgiac.directory import locations

    return [
        p
        for p in AdministrativeUnit.objects.filter(parent=None).order_by("code")
        if policy.can(user, locations.VERB, province=p)
    ]
