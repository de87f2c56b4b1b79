from django.core.management.base import BaseCommand, CommandError

from canhgiac.core.context import acting_as
from canhgiac.directory.models import AdministrativeUnit
from canhgiac.goods import signing
from canhgiac.goods.models import SigningKey


class Command(BaseCommand):
    help = (
        "Khóa ký mã hàng hóa: list | rotate --province CODE | revoke KID --reason TEXT. "
        "The provinces' Ed25519 signing keys: list them, rotate (a new active key; the old one still "
        "verifies) or revoke (codes signed with it no longer verify)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "rotate", "revoke"])
        parser.add_argument("kid", nargs="?", default="")
        parser.add_argument("--province", default="", help="province code (rotate)")
        parser.add_argument("--reason", default="", help="why the key is revoked (revoke)")

    def handle(self, *args, **options):
        action = options["action"]
        with acting_as(None):
            if action == "rotate":
                province = AdministrativeUnit.objects.filter(code=options["province"], parent=None).first()
                if province is None:
                    raise CommandError(f"Không có tỉnh mã “{options['province']}”.")
                key = signing.create_key(province)
                self.stdout.write(self.style.SUCCESS(f"Khóa mới {key.kid} đang dùng cho {province.name}."))
            elif action == "revoke":
                try:
                    key = signing.revoke_key(options["kid"], options["reason"])
                except ValueError as exc:
                    raise CommandError(str(exc)) from None
                self.stdout.write(self.style.SUCCESS(f"Đã thu hồi khóa {key.kid}."))
        for key in SigningKey.objects.select_related("province").order_by("province__code", "id"):
            self.stdout.write(f"{key.kid}\t{key.status}\t{key.province.name}\t{key.created_at:%d/%m/%Y}")
