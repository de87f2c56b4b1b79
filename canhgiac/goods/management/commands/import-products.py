from django.core.management.base import BaseCommand

from canhgiac.core import tabular
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
        result = tabular.run_import_command(
            self, options["file"], lambda data, name: services.import_products(None, data, name)
        )
        for warning in result.warnings:
            self.stdout.write(f"Cảnh báo — {warning}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {result.rows} dòng: {result.created} sản phẩm mới, {result.updated} cập nhật, "
                f"{result.unchanged} không đổi; {len(result.warnings)} cảnh báo số đăng ký."
            )
        )
