from pathlib import Path

from django.core.management.base import BaseCommand

from canhgiac.audit import services as audit
from canhgiac.core.context import acting_as
from canhgiac.subjects import services


class Command(BaseCommand):
    help = "Xuất cụm đối tượng: source_ref,agency_code,cluster_id (one row per source record)."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="tệp CSV ghi ra")

    def handle(self, *args, **options):
        path = Path(options["out"])
        with acting_as(None), path.open("w", encoding="utf-8", newline="") as out:
            n = services.export_clusters(out)
            audit.record(
                "subjects.clusters_exported",
                object_type="subjects.entity",
                object_repr=path.name[:200],
                changes={"file": path.name, "rows": n},
            )
        self.stdout.write(self.style.SUCCESS(f"Đã ghi {n} dòng vào {path}"))
