from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background worker (django-tasks-db's db_worker); stops cleanly on SIGTERM/Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch", action="store_true", help="process queued tasks, then exit")

    def handle(self, *args, **options):
        argv = ["--interval", str(options["interval"]), "--queue-name", "*", "--no-reload"]
        if options["batch"]:
            argv.append("--batch")
        call_command("db_worker", *argv)
