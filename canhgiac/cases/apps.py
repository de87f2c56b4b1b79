from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "canhgiac.cases"
    label = "cases"
    verbose_name = _("Vụ việc")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from canhgiac.cases import rules
        from canhgiac.cases.models import Attachment, Case, CaseGoods, CaseSubject, Inspection, Warning
        from canhgiac.core import policy, registry

        policy.register(Case, rules.CaseRule())
        for model in (CaseGoods, CaseSubject, Attachment):
            policy.register(model, rules.CaseChildRule())
        policy.register(Inspection, rules.InspectionRule())
        policy.register(Warning, rules.WarningRule())
        for name, check in rules.VERBS.items():
            policy.register_verb(name, check)

        def staff(user):
            return policy.can(user, "cases.list")

        registry.add_nav(_("Vụ việc"), "cases:list", staff, order=20)
        registry.add_nav(_("Số liệu vụ việc"), "cases:figures", staff, order=21)
        registry.add_nav(_("Kiểm tra"), "cases:inspections", staff, order=25)
        registry.add_nav(
            _("Cảnh báo"), "cases:warnings_manage", lambda u: policy.can(u, "cases.publish_warning"), order=26
        )

        from canhgiac.cases import demo

        registry.add_demo("cases", demo.load_demo, order=30)

        from canhgiac.cases.cards import case_cards
        from canhgiac.dashboard.services import add_card

        add_card(case_cards, order=20)

        from canhgiac.portal.registry import add_link

        add_link(
            _("Cảnh báo vi phạm"),
            _(
                "Các vụ buôn lậu, hàng giả, gian lận thương mại đã bị xử lý — để người dân "
                "và doanh nghiệp cảnh giác."
            ),
            "portal:warnings",
            order=40,
        )
