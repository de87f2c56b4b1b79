import time

from django.core.management.base import BaseCommand

from canhgiac.core.context import acting_as
from canhgiac.subjects import services


class Command(BaseCommand):
    help = (
        "Đối chiếu toàn bộ hồ sơ đối tượng (huấn luyện mô hình nếu chưa có). "
        "Full entity-resolution run (trains the model when none is saved); prints counts and time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--retrain", action="store_true", help="huấn luyện lại mô hình")

    def handle(self, *args, **options):
        start = time.monotonic()
        with acting_as(None):
            counts = services.resolve(
                retrain=options["retrain"], progress=lambda m: self.stderr.write(f"… {m}")
            )
        seconds = time.monotonic() - start
        for key in (
            "records",
            "entities",
            "exact_pairs",
            "model_pairs",
            "auto_pairs",
            "review_pairs",
            "decisions",
            "entities_new",
            "records_moved",
        ):
            self.stdout.write(f"{key}: {counts.get(key, 0)}")
        self.stdout.write("stages: " + ", ".join(f"{k} {v}s" for k, v in counts.get("timing", {}).items()))
        self.stdout.write(self.style.SUCCESS(f"time: {seconds:.1f}s"))
