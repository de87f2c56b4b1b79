from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from canhgiac.audit import services as audit
from canhgiac.core.context import acting_as
from canhgiac.online import services
from canhgiac.online.models import Listing


class Command(BaseCommand):
    help = (
        "Ghi điểm rủi ro của tin đăng ra tệp CSV: listing_ref,risk_score,flagged,reasons (flagged 0/1 "
        "theo ngưỡng cấu hình). Export listings' risk scores."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True)
        parser.add_argument("--agency", default="", help="chỉ tin đăng của cơ quan này (mã)")

    def handle(self, *args, **options):
        listings = Listing.objects.all()
        if options["agency"]:
            agency = services.default_agency(options["agency"])
            if agency is None:
                raise CommandError(f"Không có cơ quan mã “{options['agency']}”.")
            listings = listings.filter(agency=agency)
        out = Path(options["out"])
        with acting_as(None), out.open("w", newline="", encoding="utf-8") as fh:
            n = services.export_listings(fh, listings)
            audit.record(
                "online.listings_exported",
                object_type="online.listing",
                changes={"rows": n, "file": out.name},
            )
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {n} tin đăng vào {out}"))
