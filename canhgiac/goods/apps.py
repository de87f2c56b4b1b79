from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoodsConfig(AppConfig):
    name = "canhgiac.goods"
    label = "goods"
    verbose_name = _("Hàng hóa")

    def ready(self):
        from canhgiac.core import policy, registry
        from canhgiac.goods import rules
        from canhgiac.goods.models import Business, BusinessMember, Product

        policy.register(Business, rules.BusinessRule())
        policy.register(BusinessMember, rules.BusinessMemberRule())
        policy.register(Product, rules.ProductRule())
        for name, check in rules.VERBS.items():
            policy.register_verb(name, check)
        policy.register_principal(policy.BUSINESS, rules.businesses_of)

        from canhgiac.goods.epcis import rules as epcis_rules
        from canhgiac.goods.epcis.models import EpcisEvent

        policy.register(EpcisEvent, epcis_rules.EpcisEventRule())
        for name, check in epcis_rules.VERBS.items():
            policy.register_verb(name, check)

        registry.add_external_area("goods", home="goods:business_home")
        registry.add_nav(
            _("Sản phẩm"), "goods:products", lambda u: policy.can(u, "goods.list_products"), order=30
        )
        registry.add_nav(
            _("Truy xuất nguồn gốc"),
            "goods:trace",
            lambda u: policy.is_staff_member(u) and policy.can(u, "goods.epcis_query"),
            order=31,
        )
        # staff are never business users: the menu asks the database only for non-staff accounts
        registry.add_nav(_("Khu vực doanh nghiệp"), "goods:business_home", policy.is_external, order=5)

        from canhgiac.goods import demo

        registry.add_demo("goods", demo.load_demo, order=40)

        from canhgiac.portal.registry import add_link

        add_link(
            _("Tra cứu sản phẩm"),
            _("Nhập mã vạch để xem sản phẩm đã đăng ký: tên, doanh nghiệp, số đăng ký, tình trạng lưu hành."),
            "goods:lookup",
            order=30,
        )
