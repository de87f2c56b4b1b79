from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from canhgiac.core.registry import SETUP_HOOKS


class Command(BaseCommand):
    help = "Migrate and load the reference data of the configured provinces (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--no-migrate", action="store_true", help="skip running migrations first")

    def handle(self, *args, **options):
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("createcachetable", verbosity=0)
        provinces = list(settings.CANHGIAC_PROVINCES)
        self.stdout.write(f"Nạp dữ liệu danh mục cho: {', '.join(provinces)}")
        for _order, _name, hook in SETUP_HOOKS:
            hook(provinces, self.stdout)
        self.stdout.write(self.style.SUCCESS("Xong."))
