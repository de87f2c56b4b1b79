import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from canhgiac.core.context import acting_as
from canhgiac.goods import codes, services


class Command(BaseCommand):
    help = (
        "Cấp N mã sê-ri có chữ ký số cho một sản phẩm và lô, ghi tệp CSV `serial,code`. "
        "Issue N signed serial codes for a product and lot; writes `serial,code` to FILE.csv."
    )

    def add_arguments(self, parser):
        parser.add_argument("--gtin", required=True)
        parser.add_argument("--lot", required=True)
        parser.add_argument("--count", required=True, type=int)
        parser.add_argument("--out", required=True)
        parser.add_argument(
            "--processes", type=int, default=None, help="worker processes signing (default: 2 or the cores)"
        )

    def handle(self, *args, **options):
        product = services.product_by_gtin(options["gtin"])
        if product is None:
            raise CommandError(f"Không có sản phẩm GTIN {options['gtin']} trong cơ sở dữ liệu hàng hóa.")
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"Không có thư mục {out.parent}")
        with acting_as(None):
            try:
                batch = codes.request_batch(None, product, options["lot"], options["count"])
            except ValidationError as exc:
                for message in exc.messages:
                    self.stderr.write(message)
                sys.exit(1)
            try:
                result = codes.issue_batch(batch, out=out, processes=options["processes"])
            except Exception as exc:
                codes.fail_batch(batch, str(exc))
                raise
        rate = result.count / result.seconds if result.seconds else 0
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã cấp {result.count} mã (lô mã #{batch.pk}, khóa {batch.key.kid}) vào {out} "
                f"trong {result.seconds:.1f} giây ({rate:,.0f} mã/giây)."
            )
        )
