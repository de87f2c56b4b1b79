from django.core.management.base import BaseCommand, CommandError

from canhgiac.core.context import acting_as
from canhgiac.directory.models import AdministrativeUnit
from canhgiac.goods import signing
from canhgiac.goods.models import SigningKey


class Command(BaseCommand):
    help = (
        "Khóa ký mã hàng hóa: list | rotate --province CODE | retire KID | revoke KID --reason TEXT. "
        "The provinces' Ed25519 signing keys: list them, rotate (a new active key; the old one still "
        "verifies), retire a key taken out of service (the codes it signed stay genuine) or revoke a "
        "compromised key (the codes it signed can no longer be trusted)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "rotate", "retire", "revoke"])
        parser.add_argument("kid", nargs="?", default="")
        parser.add_argument("--province", default="", help="province code (rotate)")
        parser.add_argument("--reason", default="", help="why the key is revoked or retired")

    def handle(self, *args, **options):
        action = options["action"]
        with acting_as(None):
            if action == "rotate":
                province = AdministrativeUnit.objects.filter(code=options["province"], parent=None).first()
                if province is None:
                    raise CommandError(f"Không có tỉnh mã “{options['province']}”.")
                key = signing.create_key(province)
                self.stdout.write(self.style.SUCCESS(f"Khóa mới {key.kid} đang dùng cho {province.name}."))
            elif action == "retire":
                try:
                    key = signing.retire_key(options["kid"], options["reason"])
                except ValueError as exc:
                    raise CommandError(str(exc)) from None
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Đã thay khóa {key.kid}: mã đã ký bằng khóa này vẫn được xác nhận là thật."
                    )
                )
            elif action == "revoke":
                try:
                    key = signing.revoke_key(options["kid"], options["reason"])
                except ValueError as exc:
                    raise CommandError(str(exc)) from None
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Đã thu hồi khóa {key.kid} (bị lộ): mã đã ký bằng khóa này sẽ được báo là không thể tin cậy."
                    )
                )
        for key in SigningKey.objects.select_related("province").order_by("province__code", "id"):
            self.stdout.write(f"{key.kid}\t{key.status}\t{key.province.name}\t{key.created_at:%d/%m/%Y}")
