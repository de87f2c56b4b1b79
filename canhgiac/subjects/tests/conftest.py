import csv
import io

import pytest

from canhgiac.cases.tests.conftest import make_case, units  # noqa: F401  (shared fixtures)
from canhgiac.core.tests.conftest import lang_son, ls  # noqa: F401
from canhgiac.subjects import imports

HEADER = [
    "source_ref",
    "kind",
    "name",
    "birth_date",
    "id_number",
    "tax_code",
    "phone",
    "address",
    "unit_code",
]


def to_csv(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(c, "") for c in header] if isinstance(row, dict) else row)
    return out.getvalue().encode()


@pytest.fixture
def import_rows(agency):
    """import_rows("QLTT", [dict, …]) -> ImportResult (through the import service)."""

    def run(code, rows, header=HEADER, **kwargs):
        return imports.import_subjects(to_csv(rows, header), "hoso.csv", agency=agency(code), **kwargs)

    return run
