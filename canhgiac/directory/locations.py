"""Coordinates of the administrative units: reference data the deployment loads, never shipped.

A unit's `latitude`/`longitude` is one representative point (the People's Committee's seat or the
unit's centroid), WGS 84 decimal degrees. They come from the province's own GIS or land office, or
from the Ministry's administrative-unit dataset, as a CSV or XLSX file with the header
`code,latitude,longitude` (the unit's code as `AdministrativeUnit.code`, the 2025 codes). The file
is checked whole before anything is written (all or nothing); each error names its line and column.

Decimals: a point (`12.6675`) or a comma (`12,6675`, the Vietnamese decimal mark; quote it in a CSV:
`"12,6675"`) is read as the decimal mark. Coordinates are never grouped in thousands, so a comma
can only be a decimal mark here (unlike amounts elsewhere in the project). A row with both cells
empty removes the unit's coordinates. Values are kept to 6 decimals (about 0.1 m).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from canhgiac.core.tabular import FileFormatError, RowError, read_table
from canhgiac.directory.models import LATITUDE_RANGE, LONGITUDE_RANGE, AdministrativeUnit

COLUMNS = ("code", "latitude", "longitude")
PLACES = Decimal("0.000001")
VERB = "directory.import_locations"


@dataclass
class LocationImportResult:
    rows: int = 0
    changed: int = 0
    unchanged: int = 0
    cleared: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_degrees(value) -> Decimal:
    """A coordinate cell as a Decimal: numbers from XLSX as they are, text with a point or a
    comma as the decimal mark. ValueError (in Vietnamese) when it is not a number."""
    if isinstance(value, bool):
        raise ValueError(_("không phải là số"))
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace("\u2212", "-")
        if "," in text and "." in text:
            raise ValueError(
                _("“%(value)s” có cả dấu chấm và dấu phẩy; tọa độ chỉ có một dấu thập phân.")
                % {"value": text}
            )
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("“%(value)s” không phải là số thập phân.") % {"value": text}) from None
    if not number.is_finite():
        raise ValueError(_("không phải là số"))
    if abs(number) >= 1000:
        return number  # out of range anyway; quantize would overflow the context's precision
    return number.quantize(PLACES, rounding=ROUND_HALF_EVEN)


def _in_range(number: Decimal, bounds, what: str) -> str:
    low, high = bounds
    if low <= number <= high:
        return ""
    return _(
        "%(what)s %(value)s nằm ngoài lãnh thổ Việt Nam (cho phép từ %(low)s đến %(high)s độ; kiểm tra xem có đảo vĩ độ và kinh độ không)."
    ) % {"what": what, "value": _degrees(number), "low": _degrees(low), "high": _degrees(high)}


def _degrees(number: Decimal) -> str:
    """12.500000 -> '12,5' (the Vietnamese decimal mark)."""
    return format(number.normalize(), "f").replace(".", ",")


def import_unit_locations(data: bytes, filename: str, *, provinces: set[int] | None = None):
    """Check the whole file, then set the coordinates of every unit it names in one transaction,
    audited in bulk. `provinces`: the provinces the uploader administers (their units and the
    provinces themselves); None for every unit (a national administrator, the command line).
    Re-importing the same file changes nothing and records nothing."""
    from canhgiac.audit import services as audit

    result = LocationImportResult()
    try:
        header, rows = read_table(data, filename)
    except FileFormatError as exc:
        result.errors.append(RowError(1, "", str(exc)))
        return result
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        result.errors.append(
            RowError(
                1,
                "",
                _("Thiếu cột %(missing)s; dòng tiêu đề phải là: %(columns)s.")
                % {"missing": ", ".join(missing), "columns": ",".join(COLUMNS)},
            )
        )
        return result
    index = {name: header.index(name) for name in COLUMNS}
    result.rows = len(rows)

    def cell(cells, name):
        i = index[name]
        return cells[i] if i < len(cells) else ""

    codes = {str(cell(cells, "code")).strip() for _line, cells in rows}
    units = AdministrativeUnit.objects.filter(code__in=codes - {""})
    if provinces is not None:
        units = units.filter(Q(parent__in=provinces) | Q(pk__in=provinces))
    known = {u.code: u for u in units}
    wanted: dict[str, tuple[Decimal | None, Decimal | None]] = {}
    seen: dict[str, int] = {}
    for line, cells in rows:
        code = str(cell(cells, "code")).strip()
        if not code:
            result.errors.append(RowError(line, "code", _("Thiếu mã đơn vị hành chính.")))
            continue
        if code in seen:
            result.errors.append(
                RowError(
                    line, "code", _("Mã %(code)s đã có ở dòng %(line)s.") % {"code": code, "line": seen[code]}
                )
            )
            continue
        seen[code] = line
        if code not in known:
            message = (
                _("Không có đơn vị hành chính mã %(code)s trong tỉnh bạn quản trị.")
                if provinces is not None
                else _("Không có đơn vị hành chính mã %(code)s (mã xã, phường theo danh mục năm 2025).")
            )
            result.errors.append(RowError(line, "code", message % {"code": code}))
        values = {}
        raw = {name: cell(cells, name) for name in ("latitude", "longitude")}
        if raw["latitude"] in ("", None) and raw["longitude"] in ("", None):
            wanted[code] = (None, None)  # both empty: remove the unit's coordinates
            continue
        for name, bounds, what in (
            ("latitude", LATITUDE_RANGE, _("Vĩ độ")),
            ("longitude", LONGITUDE_RANGE, _("Kinh độ")),
        ):
            if raw[name] in ("", None):
                result.errors.append(
                    RowError(
                        line,
                        name,
                        _("Thiếu %(what)s (để trống cả hai cột để xóa tọa độ).") % {"what": what.lower()},
                    )
                )
                continue
            try:
                number = parse_degrees(raw[name])
            except ValueError as exc:
                result.errors.append(RowError(line, name, str(exc)))
                continue
            problem = _in_range(number, bounds, what)
            if problem:
                result.errors.append(RowError(line, name, problem))
                continue
            values[name] = number
        if len(values) == 2:
            wanted[code] = (values["latitude"], values["longitude"])
    if result.errors:
        return result
    changed, changes = [], []
    for code, (latitude, longitude) in wanted.items():
        unit = known[code]
        if (unit.latitude, unit.longitude) == (latitude, longitude):
            result.unchanged += 1
            continue
        change = {}
        for name, value in (("latitude", latitude), ("longitude", longitude)):
            before = getattr(unit, name)
            if before != value:
                change[name] = {
                    "before": str(before) if before is not None else None,
                    "after": str(value) if value is not None else None,
                }
            setattr(unit, name, value)
        changed.append(unit)
        changes.append(change)
        if latitude is None:
            result.cleared += 1
    result.changed = len(changed)
    if changed:
        with transaction.atomic():
            AdministrativeUnit.objects.bulk_update(changed, ["latitude", "longitude"], batch_size=1000)
            audit.record_many("update", changed, changes=changes)
            audit.record(
                "directory.unit_locations_imported",
                object_type="directory.administrativeunit",
                object_repr=Path(filename).name[:200],
                changes={
                    "file": Path(filename).name,
                    "rows": result.rows,
                    "changed": result.changed,
                    "unchanged": result.unchanged,
                    "cleared": result.cleared,
                },
            )
    return result


@dataclass
class Coverage:
    province: AdministrativeUnit
    units: int
    located: int

    @property
    def missing(self) -> int:
        return self.units - self.located


def coverage(provinces) -> list[Coverage]:
    """For each province, how many of its wards and communes have coordinates (one query)."""
    provinces = list(provinces)
    counts = {
        row["parent_id"]: row
        for row in AdministrativeUnit.objects.filter(parent__in=provinces)
        .values("parent_id")
        .annotate(
            n=Count("id"),
            located=Count("id", filter=Q(latitude__isnull=False, longitude__isnull=False)),
        )
        .order_by()
    }
    return [
        Coverage(p, counts.get(p.pk, {}).get("n", 0), counts.get(p.pk, {}).get("located", 0))
        for p in provinces
    ]


def located_count(province_ids=None) -> int:
    qs = AdministrativeUnit.objects.filter(latitude__isnull=False, longitude__isnull=False)
    if province_ids is not None:
        qs = qs.filter(Q(parent__in=province_ids) | Q(pk__in=province_ids))
    return qs.count()
