from django.core.management.base import BaseCommand

from canhgiac.core.context import acting_as
from canhgiac.tips import services


class Command(BaseCommand):
    help = (
        "Re-encrypt tipsters' contact details with the first TIP_CONTACT_KEY (after putting a new key "
        "in front); then the old keys can be removed."
    )

    def handle(self, *args, **options):
        with acting_as(None):
            count = services.rotate_contact_keys()
        self.stdout.write(self.style.SUCCESS(f"Đã mã hóa lại thông tin liên hệ của {count} tin báo."))
