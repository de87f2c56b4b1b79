from django.core.management.base import BaseCommand, CommandError

from canhgiac.core import tabular
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
        code = options["province"].strip()
        province = (
            (directory.province_by_codename(code) or directory.unit_by_code(code))
            if code
            else directory.home_province()
        )
        if province is None:
            raise CommandError(f"Không có tỉnh “{code}”.")
        result = tabular.run_import_command(
            self, options["file"], lambda data, name: services.import_signers(None, data, name, province)
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {result.rows} dòng: {result.created} mới, {result.updated} cập nhật, "
                f"{result.unchanged} không đổi."
            )
        )
