from django.core.management.base import BaseCommand, CommandError

from canhgiac.audit.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a directory made by `canhgiac backup` into the configured (empty) database, copy the "
        "uploaded files back and merge the backup's audit anchors; then run audit-verify --until."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--force", action="store_true", help="restore over a database that has tables")

    def handle(self, *args, **options):
        try:
            manifest = restore(options["directory"], force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        anchor = manifest["anchor"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã khôi phục chuỗi nhật ký {anchor['chain']} ({anchor['count']} sự kiện, sao lưu lúc "
                f"{anchor['time']}). Kiểm tra: canhgiac audit-verify --until {anchor['time']}"
            )
        )
