"""Case exports in the import's own columns (cases.imports.COLUMNS), so a file can go round:
export → edit → import. One row per goods line or subject of a case (as the import reads them),
the case's fields repeated on each row. Built by a task (core.exports) or streamed for small sets.
"""

from __future__ import annotations

import codecs
import datetime as dt
from decimal import Decimal

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.audit import services as audit
from canhgiac.cases import imports, services
from canhgiac.cases.filtersets import CaseFilterSet
from canhgiac.core import spreadsheet
from canhgiac.core.exports import exporter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
MAX_XLSX_ROWS = 100_000
CHUNK = 2000
# status/outcome → the import's `handling` word (cases.imports.HANDLING read backwards)
_HANDLING = {value: word for word, value in imports.HANDLING.items()}


def filtered_cases(user, params: dict):
    """The cases `user` may see, filtered as the list page filters them (params: its query)."""
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    filterset = CaseFilterSet(query or None, queryset=services.scoped_cases(user), user=user)
    return filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset


def record_export(qs, fmt: str, params: dict) -> int:
    count = qs.count()
    audit.record(
        "cases.export",
        object_type="cases.case",
        object_repr=f"{count} vụ việc",
        changes={"format": fmt, "filters": params, "rows": count},
    )
    return count


def file_name(fmt: str) -> str:
    return f"vu-viec-{timezone.localdate():%Y%m%d}.{fmt}"


def _quantity(value: Decimal | None):
    if value is None:
        return ""
    if value == value.to_integral_value():
        return int(value)
    return format(value.normalize(), "f").replace(".", ",")  # "," is the decimal mark on import


def cell(value):
    """The one place where an exported cell's value is made; a spreadsheet-formula neutraliser
    (core hardening) plugs in here."""
    return value


def case_blocks(qs, *, dates_as_text: bool = True):
    """The rows of each case of `qs` (one list per case), read from the database in chunks."""
    qs = (
        qs.select_related("lead_agency", "unit", "violation_type")
        .prefetch_related("goods__goods_category", "subject_links__subject")
        .order_by("-detected_on", "-id")
    )
    for c in qs.iterator(chunk_size=CHUNK):
        detected = c.detected_on.isoformat() if dates_as_text else c.detected_on
        case = {
            "case_ref": c.agency_ref or c.reference,
            "agency_code": c.lead_agency.code,
            "detected_on": detected,
            "unit_code": c.unit.code,
            "violation_type": c.violation_type.code,
            "summary": c.summary,
            "handling": _HANDLING.get((c.status, c.outcome), ""),
            "decision_no": c.decision_no,
            "fine_vnd": c.fine_vnd,
            "budget_revenue_vnd": c.budget_revenue_vnd,
            "defendants": c.defendants or "",
            "online_url": c.online_url,
        }
        goods, links = list(c.goods.all()), list(c.subject_links.all())
        block = []
        for i in range(max(len(goods), len(links), 1)):
            row = dict(case)
            if i < len(goods):
                g = goods[i]
                row.update(
                    goods_category=g.goods_category.code,
                    goods_description=g.description,
                    quantity=_quantity(g.quantity),
                    unit=g.unit,
                    goods_value_vnd=g.value_vnd,
                )
            if i < len(links):
                s = links[i].subject
                row.update(
                    subject_kind=s.kind,
                    subject_name=s.name,
                    subject_id=s.identifier,
                    subject_role=links[i].role,
                )
            block.append([cell(row.get(name, "")) for name in imports.COLUMNS])
        yield block


def csv_chunks(qs, progress=None, total: int = 0):
    """The CSV file (UTF-8 with BOM, for Excel) as text chunks of about CHUNK rows."""

    class Echo:
        def write(self, value):
            return value

    writer = spreadsheet.csv_writer(Echo())
    buffer = ["\ufeff", writer.writerow(imports.COLUMNS)]
    for done, block in enumerate(case_blocks(qs), start=1):
        buffer.extend(writer.writerow(row) for row in block)
        if len(buffer) >= CHUNK:
            yield "".join(buffer)
            buffer = []
            if progress:
                progress(done, total)
    yield "".join(buffer)


@exporter("cases.csv")
def build_csv(user, params, out, progress):
    qs = filtered_cases(user, params)
    total = record_export(qs, "csv", params)
    progress(0, total)
    encode = codecs.getincrementalencoder("utf-8")()
    for chunk in csv_chunks(qs, progress, total):
        out.write(encode.encode(chunk))
    progress(total, total)
    return file_name("csv"), CSV_TYPE


@exporter("cases.xlsx")
def build_xlsx(user, params, out, progress):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    qs = filtered_cases(user, params)
    total = record_export(qs, "xlsx", params)
    if total > MAX_XLSX_ROWS:
        raise ValueError(_("Quá nhiều dòng cho tệp XLSX (tối đa 100.000); hãy lọc hẹp hơn hoặc xuất CSV."))
    progress(0, total)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Vụ việc"))
    sheet.append(list(imports.COLUMNS))
    date_col = imports.COLUMNS.index("detected_on")
    for done, block in enumerate(case_blocks(qs, dates_as_text=False), start=1):
        for row in block:
            if isinstance(row[date_col], dt.date):  # a real date cell, shown dd/mm/yyyy
                date = WriteOnlyCell(sheet, value=row[date_col])
                date.number_format = "DD/MM/YYYY"
                row[date_col] = date
            spreadsheet.append(sheet, row)
        if done % 500 == 0:
            progress(done, total)
    book.save(out)
    progress(total, total)
    return file_name("xlsx"), XLSX_TYPE
