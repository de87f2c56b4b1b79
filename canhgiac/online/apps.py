from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnlineConfig(AppConfig):
    name = "canhgiac.online"
    label = "online"
    verbose_name = _("Thương mại điện tử")

    def ready(self):
        from canhgiac.core import policy, registry
        from canhgiac.online import handling, rules, setup
        from canhgiac.online.models import (
            Commitment,
            Evidence,
            Listing,
            OnlineAccount,
            Platform,
            Signer,
            SignerIdentity,
            SignerKind,
            Takedown,
        )

        policy.register(Listing, rules.ListingRule())
        policy.register(OnlineAccount, rules.AccountRule())
        policy.register(Evidence, rules.ChildRule())
        policy.register(Takedown, rules.ChildRule())
        policy.register(Platform, policy.ReferenceDataRule((policy.ADMIN,)))
        policy.register(SignerKind, policy.ReferenceDataRule((policy.ADMIN,)))
        policy.register(Signer, rules.SignerRule())
        policy.register(Commitment, rules.CommitmentRule())
        policy.register(SignerIdentity, rules.SignerIdentityRule())
        for name, check in rules.VERBS.items():
            policy.register_verb(name, check)

        registry.add_setup("online", setup.load, order=45)
        registry.add_periodic("online.takedowns", handling.check_takedowns)
        registry.add_nav(
            _("Thương mại điện tử"), "online:queue", lambda u: policy.can(u, "online.review"), order=35
        )
        # the signer area, for accounts that sign a commitment without being staff or a business
        registry.add_nav(
            _("Cam kết của tôi"),
            "online:sign",
            lambda u: not policy.is_staff_member(u) and not policy.is_external(u),
            order=36,
            external=True,
        )

        from canhgiac.dashboard.services import add_card
        from canhgiac.online import cards, demo

        add_card(cards.online_cards, order=45)

        from canhgiac.dashboard import leaders as dashboard
        from canhgiac.online import leaders

        dashboard.add_target(leaders.commitment_targets)
        dashboard.add_today(leaders.today_items)
        dashboard.add_hotspot_source("online_flagged", _("Tin đăng bị gắn cờ"), leaders.flagged_by_unit)

        registry.add_demo("online", demo.load_demo, order=45)

        from canhgiac.portal.registry import add_link

        add_link(
            _("Cam kết kinh doanh trực tuyến"),
            _(
                "Danh sách người bán, nền tảng, báo chí, người nổi tiếng đã ký cam kết không kinh doanh, quảng cáo hàng giả, hàng lậu."
            ),
            "online:public_commitments",
            order=40,
        )
