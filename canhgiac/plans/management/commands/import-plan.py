from django.core.management.base import BaseCommand, CommandError

from canhgiac.core.context import acting_as
from canhgiac.plans import loader


class Command(BaseCommand):
    help = "Load a plan file (format canhgiac-plan/1, docs/plan-format.md); re-import updates the plan."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the plan YAML file")

    def handle(self, *args, **options):
        try:
            with acting_as(None):
                result = loader.import_file(options["file"])
        except loader.PlanFileError as exc:
            raise CommandError(
                "Tệp kế hoạch không hợp lệ:\n" + "\n".join(f"  - {w}: {m}" for w, m in exc.errors)
            )
        verb = "Đã tạo" if result.created else "Đã cập nhật"
        self.stdout.write(
            f"{verb} kế hoạch {result.plan.code}: {result.groups} nhóm, {result.tasks} nhiệm vụ, "
            f"{result.checkpoints} mốc kiểm điểm."
        )
        if result.needs_assignment:
            self.stdout.write(
                self.style.WARNING(
                    "Cần phân công cơ quan chủ trì (văn bản không nêu cơ quan có mã): "
                    + ", ".join(result.needs_assignment)
                )
            )
