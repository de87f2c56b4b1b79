from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoodsConfig(AppConfig):
    name = "canhgiac.goods"
    label = "goods"
    verbose_name = _("Hàng hóa")

    def ready(self):
        from canhgiac.core import policy, registry
        from canhgiac.goods import rules
        from canhgiac.goods.models import (
            Business,
            BusinessMember,
            CodeBatch,
            CodeCheck,
            Product,
            ProductWarning,
            Recall,
            SerialCode,
            SigningKey,
        )

        policy.register(Business, rules.BusinessRule())
        policy.register(BusinessMember, rules.BusinessMemberRule())
        policy.register(Product, rules.ProductRule())
        policy.register(SigningKey, rules.SigningKeyRule())
        policy.register(CodeBatch, rules.CodeBatchRule())
        policy.register(SerialCode, rules.SerialCodeRule())
        policy.register(CodeCheck, rules.CodeCheckRule())
        policy.register(Recall, rules.RecallRule())
        policy.register(ProductWarning, rules.ProductWarningRule())
        for name, check in rules.VERBS.items():
            policy.register_verb(name, check)
        policy.register_principal(policy.BUSINESS, rules.businesses_of)

        # the public check keeps products, recalls, keys, issuers and communes a few seconds per
        # process (verify.py); a change saved in this process empties those caches at once
        from django.db.models.signals import post_delete, post_save

        from canhgiac.directory.models import AdministrativeUnit, GoodsCategory

        for model in (Product, Recall, Business, SigningKey, CodeBatch, GoodsCategory, AdministrativeUnit):
            post_save.connect(
                _forget_check_caches, sender=model, dispatch_uid=f"goods-check-{model.__name__}"
            )
            post_delete.connect(
                _forget_check_caches, sender=model, dispatch_uid=f"goods-check-d-{model.__name__}"
            )

        from canhgiac.goods.epcis import rules as epcis_rules
        from canhgiac.goods.epcis.models import EpcisEvent

        policy.register(EpcisEvent, epcis_rules.EpcisEventRule())
        for name, check in epcis_rules.VERBS.items():
            policy.register_verb(name, check)

        registry.add_external_area("goods", home="goods:business_home")
        registry.add_setup("goods.keys", setup_keys, order=70)
        registry.add_nav(
            _("Kiểm tra mã hàng hóa"), "goods:checks", lambda u: policy.can(u, "goods.view_checks"), order=32
        )
        registry.add_nav(
            _("Sản phẩm"), "goods:products", lambda u: policy.can(u, "goods.list_products"), order=30
        )
        registry.add_nav(_("Thu hồi, cảnh báo"), "goods:recalls", policy.is_staff_member, order=31)
        registry.add_nav(
            _("Truy xuất nguồn gốc"),
            "goods:trace",
            lambda u: policy.is_staff_member(u) and policy.can(u, "goods.epcis_query"),
            order=33,
        )
        # staff are never business users: the menu asks the database only for non-staff accounts
        registry.add_nav(_("Khu vực doanh nghiệp"), "goods:business_home", policy.is_external, order=5)

        from canhgiac.dashboard import leaders as dashboard
        from canhgiac.goods import figures

        dashboard.add_hotspot_source("goods_checks", _("Kiểm tra mã nghi giả, giả"), figures.leads_by_unit)

        from canhgiac.goods import demo

        registry.add_demo("goods", demo.load_demo, order=40)

        from canhgiac.portal.registry import add_link

        add_link(
            _("Tra cứu sản phẩm"),
            _("Nhập mã vạch để xem sản phẩm đã đăng ký: tên, doanh nghiệp, số đăng ký, tình trạng lưu hành."),
            "goods:lookup",
            order=30,
        )
        add_link(
            _("Kiểm tra hàng thật, hàng giả"),
            _(
                "Quét mã QR trên sản phẩm bằng camera điện thoại hoặc nhập mã để biết mã thật, mã giả, "
                "sản phẩm bị thu hồi; báo ngay nếu nghi hàng giả."
            ),
            "goods:check",
            order=29,
        )
        add_link(
            _("Sản phẩm bị thu hồi, cảnh báo hàng giả"),
            _("Nguồn tin Atom: các quyết định thu hồi sản phẩm, lô hàng và cảnh báo hàng giả mới nhất."),
            "goods:feed",
            order=31,
        )


def _forget_check_caches(sender, **kwargs):
    from canhgiac.goods import verify

    verify.forget_cached()


def setup_keys(provinces, stdout):
    """`canhgiac setup`: each configured province gets its Ed25519 signing key if it has none."""
    from canhgiac.directory.models import AdministrativeUnit
    from canhgiac.goods import signing

    for codename in provinces:
        province = AdministrativeUnit.objects.filter(codename=codename, parent__isnull=True).first()
        if province is None:
            continue
        key = signing.active_key(province)
        if key is None:
            key = signing.create_key(province)
            if stdout is not None:
                stdout.write(f"Tạo khóa ký mã hàng hóa {key.kid} cho {province.name}.")
