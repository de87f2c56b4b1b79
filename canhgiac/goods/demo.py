"""Demo data for `canhgiac demo`: a manufacturer of the first province with a demo user and a few
registered products (one with a registration number off its format, to show the warning), and
recalls and product warnings so the public feed (`goods:feed`) has entries: a recall of one lot of
the milk, a whole-product recall of the cream, a warning written by hand and one drawn from a demo
counterfeit case's goods line."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from canhgiac.accounts.demo import DEMO_PASSWORD
from canhgiac.accounts.models import User
from canhgiac.directory.models import AdministrativeUnit, GoodsCategory
from canhgiac.goods.models import Business, BusinessMember, Product
from canhgiac.goods.products import registration_warning

PRODUCTS = [
    ("08934588012228", "Sữa tươi tiệt trùng Hoa Mai 180ml", "Hoa Mai", "milk", "", 8_500),
    ("08936012345674", "Paracetamol Hoa Mai 500mg (hộp 10 vỉ)", "Hoa Mai", "drugs", "VD-12345-19", 25_000),
    ("08936012345681", "Kem dưỡng da Hoa Mai", "Hoa Mai", "cosmetics", "CBMP 1234", 145_000),
]


@transaction.atomic
def load_demo(rng, stdout):
    unit = AdministrativeUnit.objects.exclude(parent=None).order_by("code").first()
    business, _created = Business.objects.get_or_create(
        tax_code="0100233488",
        defaults={"name": "Công ty CP Dược phẩm Hoa Mai (demo)", "address": "12 Lê Duẩn", "unit": unit},
    )
    user, created = User.objects.get_or_create(
        username="business_demo", defaults={"full_name": "Nhân viên Hoa Mai (doanh nghiệp)"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    BusinessMember.objects.get_or_create(user=user, business=business)
    for gtin, name, brand, category, number, price in PRODUCTS:
        Product.objects.get_or_create(
            gtin=gtin,
            defaults={
                "name": name,
                "brand": brand,
                "category": GoodsCategory.objects.get(code=category),
                "owner": business,
                "registration_no": number,
                "registration_warning": registration_warning(category, number),
                "reference_price_vnd": price,
            },
        )
    notices = _load_recalls_and_warnings()
    stdout.write(f"goods: {notices}")
    stdout.write(f"goods: business_demo (doanh nghiệp, mật khẩu {DEMO_PASSWORD}), {len(PRODUCTS)} sản phẩm")


def _load_recalls_and_warnings() -> str:
    """Recorded in system scope (the lead agency of each product's field); idempotent."""
    from canhgiac.cases import services as cases
    from canhgiac.goods import recalls
    from canhgiac.goods.models import ProductWarning

    today = timezone.localdate()
    milk, drug, cream = (Product.objects.get(gtin=gtin) for gtin, *_rest in PRODUCTS)
    recalls.record_recall(
        None,
        milk,
        lot="L2411A",
        reason="Lô sản phẩm không đạt chỉ tiêu vi sinh (Coliforms) theo kết quả kiểm nghiệm; "
        "đề nghị người tiêu dùng ngừng sử dụng và đổi trả tại nơi mua.",
        issued_on=today - dt.timedelta(days=12),
    )
    recalls.record_recall(
        None,
        cream,
        reason="Sản phẩm chứa chất cấm (thủy ngân) vượt giới hạn cho phép; thu hồi toàn bộ sản phẩm trên thị trường.",
        issued_on=today - dt.timedelta(days=5),
    )
    if not ProductWarning.objects.filter(product=drug, source=ProductWarning.Source.MANUAL).exists():
        recalls.add_warning(
            None,
            drug,
            text="Phát hiện thuốc giả mạo nhãn Paracetamol Hoa Mai 500mg rao bán trên mạng xã hội, vỉ thuốc "
            "không có số lô in nổi. Chỉ mua thuốc tại nhà thuốc đạt chuẩn; kiểm tra mã trên hộp.",
        )
    from_case = 0
    line_id = cases.demo_counterfeit_line(drug.category_id)
    if line_id is not None:
        cases.name_product_on_line(None, line_id, drug)
        recalls.warn_from_case_goods(None, line_id)
        from_case = 1
    return f"2 thu hồi, {1 + from_case} cảnh báo sản phẩm"
