from django.core.management.base import BaseCommand

from canhgiac.core import tabular
from canhgiac.goods import services


class Command(BaseCommand):
    help = (
        "Tạo doanh nghiệp và tài khoản của họ từ tệp CSV (UTF-8) hoặc XLSX: tax_code, name, address, "
        "unit_code, email, username. Có lỗi thì không ghi gì. Create business accounts from a file, "
        "all or nothing; re-importing changes nothing that is already there."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        result = tabular.run_import_command(
            self, options["file"], lambda data, name: services.import_businesses(data, name)
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {result.rows} dòng: {result.businesses_created} doanh nghiệp mới, "
                f"{result.businesses_updated} cập nhật; {result.users_created} tài khoản mới, "
                f"{result.members_added} người dùng được gắn với doanh nghiệp."
            )
        )
        if result.passwords:
            self.stdout.write("Mật khẩu lần đầu (chỉ hiện một lần; người dùng đổi khi đăng nhập):")
            for username, password in result.passwords:
                self.stdout.write(f"{username}\t{password}")
