"""canhgiac report-export --from D --to D --out FILE.docx|FILE.xlsx

Writes the province's consolidated report for the window straight from the system's figures."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from canhgiac.core import dates
from canhgiac.core.context import acting_as
from canhgiac.reporting import services


def parse_date(text: str) -> dt.date:
    try:
        day = dates.parse_date(text)
    except ValueError:
        day = None
    if day is None:
        raise CommandError(f"Ngày không hợp lệ: {text!r} (dùng YYYY-MM-DD hoặc dd/mm/yyyy)")
    return day


class Command(BaseCommand):
    help = "Xuất báo cáo tổng hợp của tỉnh (DOCX hoặc XLSX) cho một khoảng thời gian, từ số liệu hệ thống."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD hoặc dd/mm/yyyy")
        parser.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD hoặc dd/mm/yyyy")
        parser.add_argument("--out", required=True, help="tệp .docx hoặc .xlsx")

    def handle(self, *args, **options):
        date_from, date_to = parse_date(options["date_from"]), parse_date(options["date_to"])
        if date_to < date_from:
            raise CommandError("--to phải sau --from")
        out = Path(options["out"])
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in ("docx", "xlsx"):
            raise CommandError("--out phải là tệp .docx hoặc .xlsx")
        with acting_as(None):
            _name, _type, content = services.export_report(
                None, fmt=fmt, date_from=date_from, date_to=date_to
            )
        out.write_bytes(content)
        self.stdout.write(f"Đã ghi {out} ({len(content):,} byte)")
