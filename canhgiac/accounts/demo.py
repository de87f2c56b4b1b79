"""Demo accounts, one per role (only ever created by `canhgiac demo`, which needs DEBUG)."""

from django.db import transaction

from canhgiac.accounts.models import ROLE_LABELS, Membership, User
from canhgiac.core import policy
from canhgiac.directory.models import Agency

DEMO_PASSWORD = "CanhGiac389!demo"

# username, full name, agency code (first province), role
DEMO_ACCOUNTS = [
    ("admin", "Quản trị hệ thống", "SCT", policy.ADMIN),
    ("coordinator_sct", "Nguyễn Văn Thường Trực", "SCT", policy.COORDINATOR),
    # The Standing Office's director names the committee's head and deputies (/accounts/committee/).
    ("leader_sct", "Đặng Văn Giám Đốc", "SCT", policy.LEADER),
    ("leader_qltt", "Trần Thị Lãnh Đạo", "QLTT", policy.LEADER),
    ("officer_qltt", "Lê Văn Kiểm Soát", "QLTT", policy.OFFICER),
    ("officer_ca", "Phạm Văn Công An", "CA", policy.OFFICER),
    ("tip_handler_qltt", "Hoàng Thị Tin Báo", "QLTT", policy.TIP_HANDLER),
    ("analyst_sct", "Vũ Văn Phân Tích", "SCT", policy.ANALYST),
    ("viewer_syt", "Đỗ Thị Người Xem", "SYT", policy.VIEWER),
    ("commune_officer", "Bùi Văn Cán Bộ Xã", None, policy.OFFICER),
    # The commune's leader approves the commune's reports.
    ("commune_leader", "Y Điêng Chủ Tịch Xã", None, policy.LEADER),
]


@transaction.atomic
def ensure_demo_accounts() -> dict:
    rows = []
    for username, full_name, agency_code, role in DEMO_ACCOUNTS:
        if agency_code:
            agency = Agency.objects.get(code=agency_code)
        else:
            agency = Agency.objects.filter(kind=Agency.Kind.COMMUNE).order_by("code").first()
        user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role == policy.ADMIN
            user.save()
        Membership.objects.get_or_create(user=user, agency=agency, role=role)
        rows.append((username, f"{ROLE_LABELS[role]} — {agency}"))
    return {"password": DEMO_PASSWORD, "rows": rows}
