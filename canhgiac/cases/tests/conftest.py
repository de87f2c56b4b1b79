import csv
import io

import pytest

from canhgiac.cases.imports import COLUMNS


@pytest.fixture
def units(db):
    from canhgiac.directory.models import AdministrativeUnit

    return list(AdministrativeUnit.objects.exclude(parent=None).order_by("code")[:3])


@pytest.fixture
def csv_bytes():
    """csv_bytes(rows: list[dict], bom=False) -> bytes of a CSV with the contract's header."""

    def build(rows, bom=False):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in COLUMNS})
        data = out.getvalue().encode("utf-8")
        return (b"\xef\xbb\xbf" + data) if bom else data

    return build


@pytest.fixture
def make_case(db, units):
    """make_case(agency_code, **data) -> Case, recorded in system scope."""
    from canhgiac.cases import services

    counter = iter(range(1, 10_000))

    def make(agency_code="QLTT", **data):
        values = {
            "lead_agency_code": agency_code,
            "detected_on": "2026-03-10",
            "unit_code": units[0].code,
            "violation_type": "counterfeit",
            "summary": f"Vụ mẫu số {next(counter)}",
            "goods": [
                {
                    "goods_category": "cosmetics",
                    "description": "Mỹ phẩm giả",
                    "quantity": "10",
                    "unit": "hộp",
                    "value_vnd": 1_000_000,
                }
            ],
        }
        values.update(data)
        return services.create_case(None, values)

    return make
