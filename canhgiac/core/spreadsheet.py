"""Cells of every CSV and XLSX file the system writes.

A text cell that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab
or a carriage return: "CSV injection") is written as text, prefixed with an apostrophe, so a
case summary `=HYPERLINK(...)` reaches the coordinator's Excel as the words typed. Numbers,
dates and booleans are left as they are: a negative number stays a number.
Plain functions, so exports run in a request or in a background task alike.
"""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """`value`, or, for text that would start a formula, the same text prefixed with `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]


class SafeCsvWriter:
    """csv.writer whose rows are neutralised cell by cell."""

    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(out, **kwargs) -> SafeCsvWriter:
    return SafeCsvWriter(out, **kwargs)


def append(sheet, values) -> None:
    """Append one row to an openpyxl worksheet (normal or write-only), neutralised."""
    sheet.append(safe_row(values))
