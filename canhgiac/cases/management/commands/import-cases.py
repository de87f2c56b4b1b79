import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from canhgiac.cases import imports
from canhgiac.core.context import acting_as


class Command(BaseCommand):
    help = (
        "Nhập vụ việc từ tệp CSV (UTF-8) hoặc XLSX. Kiểm tra cả tệp trước; có lỗi thì không ghi gì. "
        "Import cases from a CSV or XLSX file, all or nothing; re-importing updates, never duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--agency", help="mã cơ quan cho các dòng để trống agency_code (và chỉ cơ quan đó)"
        )
        parser.add_argument(
            "--province",
            help="tên mã tỉnh (vietnam-provinces) của các mã cơ quan; mặc định tỉnh nạp đầu tiên",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}")
        with acting_as(None):
            result = imports.import_cases(
                path.read_bytes(),
                path.name,
                agency_code=options.get("agency"),
                province=options.get("province"),
            )
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            self.stderr.write(f"Tệp có {len(result.errors)} lỗi; chưa ghi dữ liệu nào.")
            sys.exit(1)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {result.rows} dòng, {result.cases} vụ việc: {result.created} mới, {result.updated} cập nhật, "
                f"{result.unchanged} không đổi."
            )
        )
