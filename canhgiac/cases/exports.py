"""Case exports in the import's own columns (cases.imports.COLUMNS), so a file can go round:
export → edit → import. One row per goods line or subject of a case (as the import reads them),
the case's fields repeated on each row. Built by a task (core.exports) or streamed for small sets.

Subjects' identification numbers (CCCD, tax code) are personal data: the default export leaves the
`subject_id` column out. An export "kèm số định danh" (the `identifiers=1` parameter) needs the
`cases.export_identifiers` verb, fills the numbers of the cases the user answers for (leaders of
the owning agency, the province's coordinators; cases.rules.identifier_scope) and records one
`cases.case.identifiers_exported` event per case whose numbers left, as a view of personal data.
That file goes round through the import (subjects matched on their numbers).
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
IDENTIFIERS = "identifiers"  # the request/job parameter asking for an export "kèm số định danh"
PLAIN_COLUMNS = tuple(c for c in imports.COLUMNS if c != "subject_id")


def wants_identifiers(params: dict) -> bool:
    value = params.get(IDENTIFIERS)
    value = value[-1] if isinstance(value, list) and value else value
    return str(value or "") in ("1", "true", "on")


def columns(with_identifiers: bool) -> tuple[str, ...]:
    return imports.COLUMNS if with_identifiers else PLAIN_COLUMNS


def filtered_cases(user, params: dict):
    """The cases `user` may see, filtered as the list page filters them (params: its query)."""
    query = QueryDict(mutable=True)
    for key, value in params.items():
        if key == IDENTIFIERS:
            continue
        query.setlist(key, value if isinstance(value, list) else [value])
    filterset = CaseFilterSet(query or None, queryset=services.scoped_cases(user), user=user)
    return filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset


def _identifier_filter(user):
    from django.db.models import Q

    from canhgiac.cases.rules import identifier_scope

    scope = identifier_scope(user)
    if scope is None:
        return Q()
    provinces, leads = scope
    return Q(lead_agency__province_id__in=sorted(provinces)) | Q(lead_agency_id__in=sorted(leads))


def record_export(qs, fmt: str, params: dict, user=None) -> int:
    """Audit the export; with identification numbers, also one event per case whose numbers are
    in the file (a view of personal data, written in bulk)."""
    from canhgiac.cases.models import Case

    count = qs.count()
    with_ids = wants_identifiers(params)
    audit.record(
        "cases.export",
        object_type="cases.case",
        object_repr=f"{count} vụ việc",
        changes={
            "format": fmt,
            "filters": {k: v for k, v in params.items() if k != IDENTIFIERS},
            "rows": count,
            "identifiers": with_ids,
        },
    )
    if with_ids:
        ids = (
            qs.filter(_identifier_filter(user))
            .filter(subject_links__subject__identifier__gt="")
            .order_by()
            .values_list("pk", flat=True)
            .distinct()
        )
        # A subquery, not a list: an export may hold 100,000 cases (SQLite bounds bound parameters).
        shown = list(Case.objects.filter(pk__in=ids).only("pk", "reference").order_by("pk"))
        audit.record_many(
            "cases.case.identifiers_exported",
            shown,
            actor=user,
            changes=[{"format": fmt}] * len(shown),
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


def case_blocks(qs, *, dates_as_text: bool = True, identifiers_for=None):
    """The rows of each case of `qs` (one list per case), read from the database in chunks.
    Without `identifiers_for` (a predicate on a case) the `subject_id` column is left out; with
    it, the column is there and filled for the cases the predicate accepts."""
    names = columns(identifiers_for is not None)
    qs = (
        qs.select_related("lead_agency", "unit", "violation_type")
        .prefetch_related("goods__goods_category", "goods__product", "subject_links__subject")
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
                    product_gtin=g.product.gtin if g.product_id else "",
                )
            if i < len(links):
                s = links[i].subject
                row.update(subject_kind=s.kind, subject_name=s.name, subject_role=links[i].role)
                if identifiers_for is not None and identifiers_for(c):
                    row["subject_id"] = s.identifier
            block.append([cell(row.get(name, "")) for name in names])
        yield block


def identifier_predicate(user, params: dict):
    """None for a plain export; for one "kèm số định danh", a predicate telling whether a case's
    numbers may go in the file (the user's identifier scope)."""
    if not wants_identifiers(params):
        return None
    from canhgiac.cases.rules import identifier_scope
    from canhgiac.core import policy

    policy.require(user, "cases.export_identifiers")

    scope = identifier_scope(user)
    if scope is None:
        return lambda case: True
    provinces, leads = scope
    return lambda case: case.lead_agency.province_id in provinces or case.lead_agency_id in leads


def csv_chunks(qs, progress=None, total: int = 0, identifiers_for=None):
    """The CSV file (UTF-8 with BOM, for Excel) as text chunks of about CHUNK rows."""

    class Echo:
        def write(self, value):
            return value

    writer = spreadsheet.csv_writer(Echo())
    buffer = ["\ufeff", writer.writerow(columns(identifiers_for is not None))]
    for done, block in enumerate(case_blocks(qs, identifiers_for=identifiers_for), start=1):
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
    total = record_export(qs, "csv", params, user)
    progress(0, total)
    encode = codecs.getincrementalencoder("utf-8")()
    for chunk in csv_chunks(qs, progress, total, identifier_predicate(user, params)):
        out.write(encode.encode(chunk))
    progress(total, total)
    return file_name("csv"), CSV_TYPE


@exporter("cases.xlsx")
def build_xlsx(user, params, out, progress):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    qs = filtered_cases(user, params)
    total = record_export(qs, "xlsx", params, user)
    if total > MAX_XLSX_ROWS:
        raise ValueError(_("Quá nhiều dòng cho tệp XLSX (tối đa 100.000); hãy lọc hẹp hơn hoặc xuất CSV."))
    progress(0, total)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Vụ việc"))
    identifiers_for = identifier_predicate(user, params)
    names = columns(identifiers_for is not None)
    sheet.append(list(names))
    date_col = names.index("detected_on")
    blocks = case_blocks(qs, dates_as_text=False, identifiers_for=identifiers_for)
    for done, block in enumerate(blocks, start=1):
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
