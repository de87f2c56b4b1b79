import json

from django.core.management.base import BaseCommand, CommandError

from canhgiac.cases import services


class Command(BaseCommand):
    help = "Số liệu vụ việc của một kỳ và cùng kỳ năm trước (Case figures for a period, system scope)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD hoặc dd/mm/yyyy")
        parser.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD hoặc dd/mm/yyyy")
        parser.add_argument("--agency", help="mã cơ quan chủ trì")
        parser.add_argument("--unit", help="mã xã, phường (hoặc tỉnh)")
        parser.add_argument("--json", action="store_true", help="in JSON")

    def handle(self, *args, **options):
        try:
            date_from = services.parse_date(options["date_from"])
            date_to = services.parse_date(options["date_to"])
        except ValueError as exc:
            raise CommandError(f"Ngày không hợp lệ: {exc}")
        if date_from > date_to:
            raise CommandError("--from phải không sau --to")
        figures = services.summary(
            None, date_from, date_to, agency_code=options.get("agency"), unit_code=options.get("unit")
        )
        if options["json"]:
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        totals, last = figures["totals"], figures["same_period_last_year"]
        self.stdout.write(f"Kỳ {date_from:%d/%m/%Y} – {date_to:%d/%m/%Y}")
        for key in services.TOTAL_KEYS:
            self.stdout.write(
                f"  {key:<20} {totals[key]:>18,}  (cùng kỳ: {last[key]:,}; {figures['change_pct'][key]}%)"
            )
