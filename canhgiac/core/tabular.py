"""Reading the import files of every app: CSV (UTF-8, with or without BOM) or XLSX, one header row,
and the line-numbered error every import reports (header = line 1)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field, fields

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


# ---------------------------------------------------------------- importing


@dataclass
class Row:
    """One data row of an import file, its cells looked up by column name."""

    line: int
    cells: list
    index: dict[str, int]

    def value(self, column: str):
        """The cell as read (numbers and dates keep their type, text is stripped); "" when the
        column is absent or the row is short."""
        i = self.index.get(column)
        value = self.cells[i] if i is not None and i < len(self.cells) else ""
        if value is None:
            return ""
        return value.strip() if isinstance(value, str) else value

    def text(self, column: str) -> str:
        """The cell as text ("" when absent)."""
        return str(self.value(column))


@dataclass
class Table:
    header: list[str]
    rows: list[Row]
    errors: list[RowError]


def read_import(data: bytes, filename: str, *, required, known, max_rows: int) -> Table:
    """The rows of an import file, and the errors that stop the import before any row is checked:
    an unreadable file, each missing required column, too many rows. The rows are returned even
    then (an import reports how many the file had)."""
    try:
        header, rows = read_table(data, filename)
    except FileFormatError as exc:
        return Table([], [], [RowError(1, "", str(exc))])
    index = {name: i for i, name in enumerate(header) if name in known}
    table = Table(header, [Row(line, cells, index) for line, cells in rows], [])
    table.errors = [RowError(1, c, _("thiếu cột bắt buộc.")) for c in required if c not in header]
    if not table.errors and len(rows) > max_rows:
        table.errors = [RowError(1, "", _("Tệp quá lớn: tối đa %(n)s dòng mỗi lần nhập.") % {"n": max_rows})]
    return table


@dataclass
class ImportResult:
    """What an all-or-nothing import did, or the errors that stopped it (then nothing was
    written). Imports add their own counts as fields; `as_dict` is the API's and the command's
    answer."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, list):
                value = [v.as_dict() if isinstance(v, RowError) else v for v in value]
            out[f.name] = value
        return out


def run_import_command(command, file: str, run):
    """What every `import-…` command does around its import: FILE must exist; `run(data, name)`
    runs as the command line (no user); when the import refuses the file its errors go to stderr
    and the command exits 1 (nothing was written). Returns the result otherwise."""
    import sys
    from pathlib import Path

    from django.core.management.base import CommandError

    from canhgiac.core.context import acting_as

    path = Path(file)
    if not path.is_file():
        raise CommandError(f"Không tìm thấy tệp {path}")
    with acting_as(None):
        result = run(path.read_bytes(), path.name)
    if not result.ok:
        for error in result.errors:
            command.stderr.write(str(error))
        command.stderr.write(f"Tệp có {len(result.errors)} lỗi; chưa ghi dữ liệu nào.")
        sys.exit(1)
    return result
