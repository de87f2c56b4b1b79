from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from canhgiac.accounts import services
from canhgiac.core.context import acting_as


class Command(BaseCommand):
    help = (
        "Tạo mã truy cập API cho một người dùng; mã in một lần, một mình trên dòng cuối (dùng tail -1). "
        "Create an API token; it is printed once, alone on the last line."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--days", default="365", help="số ngày hiệu lực (mặc định 365)")
        parser.add_argument("--name", default="", help="tên gợi nhớ của mã")

    def handle(self, *args, **options):
        with acting_as(None):
            try:
                days = int(str(options["days"]).strip())
            except ValueError:
                days = 0  # refused below with the range in the message
            try:
                token, raw = services.create_token_for(options["username"], days, options["name"])
            except ValueError as exc:
                raise CommandError(str(exc))
        self.stdout.write(
            f"Mã truy cập cho {token.user.username}, hết hạn {timezone.localtime(token.expires_at):%d/%m/%Y}; chỉ hiện một lần:"
        )
        self.stdout.write(raw)
