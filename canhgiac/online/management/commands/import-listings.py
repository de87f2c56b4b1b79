from django.core.management.base import BaseCommand, CommandError

from canhgiac.core import tabular
from canhgiac.online import services


class Command(BaseCommand):
    help = (
        "Nhập tin đăng trực tuyến từ tệp CSV (UTF-8) hoặc XLSX: listing_ref, platform, url, shop_name, "
        "title, description, price_vnd, category_hint. Có lỗi thì không ghi gì; mọi tin được chấm điểm "
        "trước khi lệnh kết thúc. Import listings (all or nothing, idempotent, scored before returning)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--agency", default="QLTT", help="mã cơ quan theo dõi (mặc định QLTT), hoặc 66:QLTT"
        )

    def handle(self, *args, **options):
        agency = services.default_agency(options["agency"])
        if agency is None:
            raise CommandError(f"Không có cơ quan mã “{options['agency']}”.")
        result = tabular.run_import_command(
            self,
            options["file"],
            lambda data, name: services.import_listings(None, data, name, agency=agency),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {result.rows} dòng: {result.created} tin mới, {result.updated} cập nhật, "
                f"{result.unchanged} không đổi; {result.flagged} tin bị gắn cờ (ngưỡng {services.threshold()})."
            )
        )
