from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "canhgiac.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from canhgiac.accounts import models
        from canhgiac.accounts.rules import VERBS, MembershipRule, UserRule
        from canhgiac.core import policy

        policy.register(models.User, UserRule())
        policy.register(models.Membership, MembershipRule())
        policy.register(models.RoleSetting, policy.ReferenceDataRule(change_roles=(policy.ADMIN,)))
        policy.register(models.CommitteeMember, policy.ReferenceDataRule(path="province", scoped_reads=True))
        for name, check in VERBS.items():
            policy.register_verb(name, check)

        from canhgiac.core import registry

        registry.add_nav(
            _("Ban Chỉ đạo"),
            "accounts:committee",
            lambda u: policy.can(u, "accounts.name_committee"),
            order=87,
        )
