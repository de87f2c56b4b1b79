import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from canhgiac.core.context import acting_as
from canhgiac.directory import services as directory
from canhgiac.online import services


class Command(BaseCommand):
    help = (
        "Nhập danh sách phải ký cam kết (người bán, báo chí, bác sĩ, KOL …) từ tệp CSV (UTF-8) hoặc XLSX: "
        "kind, name, identifier, contact, commune, platform, url [, registered_on]. Có lỗi thì không ghi gì; "
        "nhập lại cùng tệp không thay đổi gì. Import the registers of signers (all or nothing, idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--province", default="", help="mã hoặc tên mã của tỉnh (mặc định: tỉnh đầu tiên đã nạp)"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}")
        code = options["province"].strip()
        province = (
            (directory.province_by_codename(code) or directory.unit_by_code(code))
            if code
            else directory.home_province()
        )
        if province is None:
            raise CommandError(f"Không có tỉnh “{code}”.")
        with acting_as(None):
            result = services.import_signers(None, path.read_bytes(), path.name, province)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            self.stderr.write(f"Tệp có {len(result.errors)} lỗi; chưa ghi dữ liệu nào.")
            sys.exit(1)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {result.rows} dòng: {result.created} mới, {result.updated} cập nhật, "
                f"{result.unchanged} không đổi."
            )
        )
