"""Reading the import files of every app: CSV (UTF-8, with or without BOM) or XLSX, one header row,
and the line-numbered error every import reports (header = line 1)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        where = _("Dòng %(line)s") % {"line": self.line}
        if self.column:
            where += ", " + _("cột %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"

    def as_dict(self):
        return {"line": self.line, "column": self.column, "message": self.message}


class FileFormatError(Exception):
    pass


# ---------------------------------------------------------------- reading


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def read_table(data: bytes, filename: str) -> tuple[list[str], list[tuple[int, list]]]:
    """Header and (line number, cells) of every non-blank row of a CSV or XLSX file."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:
            raise FileFormatError(_("Không đọc được tệp XLSX (tệp hỏng hoặc không đúng định dạng)."))
        sheet = book.worksheets[0]
        rows = [
            (i, [_cell(v) for v in row]) for i, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
        book.close()
    elif name.endswith(".csv") or name.endswith(".txt"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileFormatError(_("Tệp CSV phải được mã hóa UTF-8."))
        reader = csv.reader(io.StringIO(text, newline=""))
        rows = [(reader.line_num, [c.strip() for c in row]) for row in reader]
    else:
        raise FileFormatError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
    rows = [(n, cells) for n, cells in rows if any(c not in ("", None) for c in cells)]
    if not rows:
        raise FileFormatError(_("Tệp trống: cần một dòng tiêu đề và các dòng dữ liệu."))
    header_line, header = rows[0]
    if header_line != 1:
        raise FileFormatError(_("Dòng 1 phải là dòng tiêu đề."))
    header = [str(h).strip().lower().lstrip("\ufeff") for h in header]
    return header, rows[1:]
