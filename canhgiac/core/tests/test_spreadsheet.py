"""Formula cells are neutralised by the one helper every CSV/XLSX writer uses."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from canhgiac.core import spreadsheet


@pytest.mark.parametrize(
    "text", ["=1+1", "+33", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x","y")']
)
def test_text_that_would_start_a_formula_is_prefixed(text):
    assert spreadsheet.safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Bình thường", "", " =x", -5, -1.5, 0, True, None])
def test_other_values_are_left_as_they_are(value):
    assert spreadsheet.safe_cell(value) is value or spreadsheet.safe_cell(value) == value


def test_the_xlsx_keeps_numbers_and_writes_formulas_as_text():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("x")
    spreadsheet.append(sheet, ['=HYPERLINK("http://evil","bấm")', -1_500_000, "-3"])
    out = io.BytesIO()
    book.save(out)
    cells = next(load_workbook(out).active.iter_rows())
    assert [c.data_type for c in cells] == ["s", "n", "s"]
    assert [c.value for c in cells] == ['\'=HYPERLINK("http://evil","bấm")', -1_500_000, "'-3"]


def test_the_csv_writer_prefixes_formula_cells():
    out = io.StringIO()
    spreadsheet.csv_writer(out).writerow(["=cmd|' /C calc'!A0", -7, "ok"])
    assert out.getvalue() == "'=cmd|' /C calc'!A0,-7,ok\r\n"
