from django.core.management.base import BaseCommand

from canhgiac.core.periodic import run_periodic


class Command(BaseCommand):
    help = "Run every periodic job once (reminders, escalations, digests). Safe to run again."

    def handle(self, *args, **options):
        for line in run_periodic():
            self.stdout.write(line)
