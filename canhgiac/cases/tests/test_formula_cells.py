"""A case summary typed as a formula reaches the coordinator's CSV and XLSX as text."""

import io

from openpyxl import load_workbook

FORMULA = '=HYPERLINK("http://evil.example/x","Bấm vào đây")'


def test_case_exports_write_formula_summaries_as_text(make_case, signed_in, officer_qltt, export_download):
    case = make_case("QLTT", summary=FORMULA)
    client = signed_in(officer_qltt)
    body = b"".join(client.post("/cases/export.csv").streaming_content).decode("utf-8")
    line = next(row for row in body.splitlines() if case.reference in row)
    assert ",\"'=HYPERLINK(" in line and ',"=HYPERLINK(' not in line

    _job, _page, download = export_download(client, "/cases/export.xlsx")
    data = b"".join(download.streaming_content) if download.streaming else download.content
    sheet = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == case.reference)
    summary = row[header.index("summary")]
    assert summary.data_type == "s" and summary.value == "'" + FORMULA
    value = row[header.index("goods_value_vnd")]
    assert value.data_type == "n" and value.value == 1_000_000
