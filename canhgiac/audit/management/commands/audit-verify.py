from django.core.management.base import BaseCommand, CommandError

from canhgiac.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exits non-zero naming the first broken event."

    def handle(self, *args, **options):
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"Chuỗi nhật ký bị phá vỡ tại sự kiện #{result.broken_id}: {result.reason} "
                f"(đã kiểm tra hợp lệ {result.checked} sự kiện trước đó)"
            )
        self.stdout.write(self.style.SUCCESS(f"Chuỗi nhật ký toàn vẹn: {result.checked} sự kiện."))
