from django.core.management.base import BaseCommand

from canhgiac.accounts import provisioning
from canhgiac.core import tabular


class Command(BaseCommand):
    help = (
        "Tạo tài khoản từ tệp CSV (UTF-8) hoặc XLSX: username, full_name, email, phone, province, agency, "
        "role. Kiểm tra cả tệp trước; có lỗi thì không ghi gì. Create accounts from a file, all or nothing; "
        "re-importing changes nothing that is already there."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--email",
            action="store_true",
            help="gửi mật khẩu lần đầu qua thư điện tử thay vì in ra màn hình",
        )

    def handle(self, *args, **options):
        result = tabular.run_import_command(
            self,
            options["file"],
            lambda data, name: provisioning.import_users(data, name, mail=options["email"]),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {result.rows} dòng, {result.users} người dùng: {result.created} mới, "
                f"{result.updated} cập nhật, {result.unchanged} không đổi; "
                f"{result.memberships_added} vai trò được thêm."
            )
        )
        if result.passwords:
            self.stdout.write("Mật khẩu lần đầu (chỉ hiện một lần; người dùng đổi khi đăng nhập):")
            for username, password in result.passwords:
                self.stdout.write(f"{username}\t{password}")
        if result.mailed:
            self.stdout.write(f"Đã gửi mật khẩu lần đầu qua thư cho {len(result.mailed)} người dùng.")
