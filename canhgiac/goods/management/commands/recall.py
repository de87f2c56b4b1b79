import os
import sys

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from canhgiac.core.context import acting_as
from canhgiac.core.dates import parse_date
from canhgiac.goods import services


class Command(BaseCommand):
    help = (
        "Ghi nhận thu hồi một sản phẩm (hoặc một lô): canhgiac recall --gtin GTIN [--lot LOT] --reason TEXT. "
        "Record a recall of a product or of one lot. Acts as --username (who must be an officer or leader "
        "of the lead agency of the product's field), else as CANHGIAC_RECALL_USERNAME if configured, else as "
        "the system (the lead agency of the field is recorded). Recording the same active recall again "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--gtin", required=True)
        parser.add_argument("--lot", default="")
        parser.add_argument("--reason", required=True)
        parser.add_argument("--date", default="", help="ngày thu hồi dd/mm/yyyy (mặc định: hôm nay)")
        parser.add_argument("--username", default="")

    def handle(self, *args, **options):
        from canhgiac.accounts.models import User

        username = (
            options["username"]
            or getattr(settings, "CANHGIAC_RECALL_USERNAME", "")
            or os.environ.get("CANHGIAC_RECALL_USERNAME", "")
        )
        user = None
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"Không có tài khoản đang hoạt động tên “{username}”.")
        product = services.product_by_gtin(options["gtin"])
        if product is None:
            try:
                services.clean_gtin(options["gtin"])
            except ValueError as exc:
                raise CommandError(f"Mã GTIN {exc}")
            raise CommandError(f"Mã GTIN {options['gtin']} chưa được đăng ký.")
        try:
            issued_on = parse_date(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError("--date: ngày không đúng dạng dd/mm/yyyy.")
        try:
            with acting_as(user):
                recall = services.record_recall(
                    user, product, lot=options["lot"], reason=options["reason"], issued_on=issued_on
                )
        except PermissionDenied:
            raise CommandError(
                f"{username} không được ghi nhận thu hồi sản phẩm này: chỉ cán bộ của "
                f"{services.lead_agency_name(product)} (cơ quan chủ trì lĩnh vực)."
            )
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            sys.exit(1)
        product.refresh_from_db(fields=["status"])
        what = f"lô {recall.lot} của " if recall.lot else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Thu hồi {what}{product.name} ({product.gtin}), ngày {recall.issued_on:%d/%m/%Y}, "
                f"{recall.agency.name}; tình trạng sản phẩm: {product.get_status_display()} (mã {recall.pk})."
            )
        )
