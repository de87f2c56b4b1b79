import random

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from canhgiac.core.context import acting_as
from canhgiac.core.registry import DEMO_HOOKS


class Command(BaseCommand):
    help = "setup + one demo account per role (printed) + synthetic sample data. Refused when DEBUG is off."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=389, help="random seed for the sample data")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Từ chối: lệnh demo tạo tài khoản có mật khẩu công khai, chỉ chạy khi DEBUG=true "
                "(refused: demo accounts have published passwords; run with DEBUG=true)."
            )
        call_command("setup", stdout=self.stdout)
        from canhgiac.accounts.demo import ensure_demo_accounts

        accounts = ensure_demo_accounts()
        rng = random.Random(options["seed"])
        with acting_as(None):
            for _order, name, hook in DEMO_HOOKS:
                self.stdout.write(f"Dữ liệu mẫu: {name}")
                hook(rng, self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"\nTài khoản dùng thử (mật khẩu chung: {accounts['password']}):")
        )
        for username, label in accounts["rows"]:
            self.stdout.write(f"  {username:<22} {label}")
