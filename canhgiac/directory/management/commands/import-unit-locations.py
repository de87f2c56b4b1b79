from django.core.management.base import BaseCommand

from canhgiac.core import tabular
from canhgiac.core.numbers import format_vn_number as n
from canhgiac.directory import services
from canhgiac.directory.models import AdministrativeUnit


class Command(BaseCommand):
    help = (
        "Nạp tọa độ (vĩ độ, kinh độ WGS 84) của xã, phường từ tệp CSV (UTF-8) hoặc XLSX với dòng tiêu đề "
        "code,latitude,longitude; dấu thập phân là dấu chấm hoặc dấu phẩy. Có lỗi thì không ghi gì. "
        "Load the units' coordinates from a file, all or nothing; re-importing changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        result = tabular.run_import_command(
            self, options["file"], lambda data, name: services.import_unit_locations(None, data, name)
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã đọc {n(result.rows)} dòng: {n(result.changed - result.cleared)} đơn vị được đặt tọa độ, "
                f"{n(result.cleared)} đơn vị bị xóa tọa độ, {n(result.unchanged)} đơn vị không đổi."
            )
        )
        provinces = AdministrativeUnit.objects.filter(parent=None).order_by("code")
        for row in services.location_coverage(provinces):
            self.stdout.write(f"  {row.province.name}: {n(row.located)}/{n(row.units)} xã, phường có tọa độ")
