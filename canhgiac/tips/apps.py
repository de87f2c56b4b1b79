from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TipsConfig(AppConfig):
    name = "canhgiac.tips"
    label = "tips"
    verbose_name = _("Tin báo")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from canhgiac.core import policy, registry
        from canhgiac.dashboard.services import add_card
        from canhgiac.portal.registry import add_link
        from canhgiac.tips import demo, lookups, models, rules, services, views

        lookups.connect()

        rule = rules.TipRule()
        for model in (models.Tip, models.TipMessage, models.TipAttachment, models.TipTransfer):
            policy.register(model, rule)
        for name, check in rules.VERBS.items():
            policy.register_verb(name, check)
        registry.add_nav(_("Tin báo"), "tips:list", lambda user: policy.can(user, "tips.list"), order=30)
        registry.add_periodic("tips.deadlines", services.run_deadlines)
        registry.add_demo("tips", demo.load, order=60)
        add_link(
            _("Gửi tin báo"),
            _("Báo cho cơ quan chức năng về buôn lậu, hàng giả, gian lận thương mại — có thể ẩn danh."),
            "tips:report",
            order=10,
        )
        add_link(
            _("Theo dõi tin báo"),
            _("Nhập mã tin báo và mã bí mật để xem kết quả xử lý và trao đổi."),
            "tips:follow",
            order=20,
        )
        add_card(views.home_cards, order=30)
