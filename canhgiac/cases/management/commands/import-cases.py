from django.core.management.base import BaseCommand

from canhgiac.cases import imports
from canhgiac.core import tabular


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
        result = tabular.run_import_command(
            self,
            options["file"],
            lambda data, name: imports.import_cases(
                data,
                name,
                agency_code=options.get("agency"),
                province=options.get("province"),
            ),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {result.rows} dòng, {result.cases} vụ việc: {result.created} mới, {result.updated} cập nhật, "
                f"{result.unchanged} không đổi."
            )
        )
