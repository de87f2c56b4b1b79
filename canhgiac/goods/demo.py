"""Demo data for `canhgiac demo`: a manufacturer of the first province with a demo user and a few
registered products (one with a registration number off its format, to show the warning)."""

from django.db import transaction

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
    stdout.write(f"goods: business_demo (doanh nghiệp, mật khẩu {DEMO_PASSWORD}), {len(PRODUCTS)} sản phẩm")
