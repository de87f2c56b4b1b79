from django.core.management.base import BaseCommand, CommandError

from canhgiac.audit.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump -Fc or SQLite's online backup), the uploaded files and the "
        "audit anchors into an empty directory, anchoring the audit chain first."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, **options):
        try:
            manifest = backup(options["directory"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        anchor = manifest["anchor"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu vào {options['directory']}: chuỗi nhật ký {anchor['chain']}, "
                f"{anchor['count']} sự kiện, lúc {anchor['time']}."
            )
        )
