from django.core.management.base import BaseCommand, CommandError

from canhgiac.core import tabular
from canhgiac.directory import services as directory
from canhgiac.subjects import imports


class Command(BaseCommand):
    help = (
        "Nhập hồ sơ đối tượng của một cơ quan từ tệp CSV (UTF-8) hoặc XLSX; có lỗi thì không ghi gì. "
        "Import an agency's subject records, all or nothing; re-importing updates by source_ref."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--agency", required=True, help="mã cơ quan (QLTT, CA, UBND-<mã xã>)")
        parser.add_argument("--province", help="tên mã tỉnh (vietnam-provinces) khi nạp nhiều tỉnh")

    def handle(self, *args, **options):
        agency = directory.agency_by_code(options["agency"], options.get("province"))
        if agency is None:
            raise CommandError(f"Không có cơ quan mã “{options['agency']}”.")
        result = tabular.run_import_command(
            self, options["file"], lambda data, name: imports.import_subjects(data, name, agency=agency)
        )
        matched = result.matched or {}
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {result.rows} dòng: {result.created} mới, {result.updated} cập nhật, "
                f"{result.unchanged} không đổi. Đối chiếu: {matched.get('auto', 0)} cặp tự ghép, "
                f"{matched.get('review', 0)} cặp chờ xem xét."
            )
        )
