import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from canhgiac.core.context import acting_as
from canhgiac.goods import services


class Command(BaseCommand):
    help = (
        "Nhập sản phẩm từ tệp CSV (UTF-8) hoặc XLSX: gtin, name, brand, category, owner_tax_code, "
        "registration_no, reference_price_vnd. Có lỗi thì không ghi gì. Import products, all or "
        "nothing; matched by GTIN, so importing again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}")
        with acting_as(None):
            result = services.import_products(None, path.read_bytes(), path.name)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            self.stderr.write(f"Tệp có {len(result.errors)} lỗi; chưa ghi dữ liệu nào.")
            sys.exit(1)
        for warning in result.warnings:
            self.stdout.write(f"Cảnh báo — {warning}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {result.rows} dòng: {result.created} sản phẩm mới, {result.updated} cập nhật, "
                f"{result.unchanged} không đổi; {len(result.warnings)} cảnh báo số đăng ký."
            )
        )
