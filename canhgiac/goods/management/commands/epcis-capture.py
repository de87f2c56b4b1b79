import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from canhgiac.core.context import acting_as
from canhgiac.goods.epcis import capture


class Command(BaseCommand):
    help = (
        "Nhận sự kiện EPCIS 2.0 từ tệp JSON/JSON-LD (EPCISDocument hoặc một sự kiện), như "
        "POST /api/v1/epcis/capture: sai ở đâu thì không lưu gì. --bulk: tệp JSON Lines, mỗi dòng "
        "một tài liệu; kiểm tra hết rồi mới lưu, theo từng lô. Capture EPCIS events from FILE; "
        "events already stored (same event hash) are not stored again."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--bulk", action="store_true", help="FILE is JSON Lines: one document per line")
        parser.add_argument("--business", default="", help="tax code of the business the events are sent for")
        parser.add_argument(
            "--province",
            default="",
            help="code (66) or codename (dak_lak) of the province whose staff read the events (default: the business's; "
            "without either, each event takes the province of the owner of the registered product "
            "it names)",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}")
        business = None
        if options["business"]:
            from canhgiac.goods import services

            business = services.business_by_tax_code(options["business"])
            if business is None:
                raise CommandError(f"Không có doanh nghiệp mã số thuế {options['business']}")
        province = None
        if options["province"]:
            from canhgiac.directory import services as directory

            province = directory.unit_by_code(options["province"])
            if province is None or province.parent_id is not None:
                province = directory.province_by_codename(options["province"])
            if province is None:
                raise CommandError(f"Không có tỉnh, thành phố mã {options['province']}")
        with acting_as(None):
            if options["bulk"]:
                total = capture.capture_lines(
                    path, business=business, province=province, out=self.stdout, err=self.stderr
                )
            else:
                try:
                    data = json.loads(path.read_text(encoding="utf-8"))
                except (ValueError, UnicodeDecodeError) as exc:
                    self.stderr.write(f"{path}: không phải JSON UTF-8 hợp lệ ({exc}).")
                    sys.exit(1)
                try:
                    total = capture.capture(None, data, business=business, province=province)
                except capture.CaptureRefused as exc:
                    for error in exc.errors():
                        where = f"sự kiện {error['event']}, " if "event" in error else ""
                        self.stderr.write(f"{where}{error['field']}: {error['message']}")
                    self.stderr.write("Tài liệu bị từ chối; chưa lưu sự kiện nào.")
                    sys.exit(1)
        if total is None:
            sys.exit(1)
        self.stdout.write(
            self.style.SUCCESS(
                f"{total.events} sự kiện: {total.stored} lưu mới, {total.duplicates} đã có, "
                f"{total.declared} khai báo sai, {total.unregistered} về sản phẩm chưa đăng ký."
            )
        )
