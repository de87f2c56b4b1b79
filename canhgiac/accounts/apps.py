from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "canhgiac.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from canhgiac.accounts import models
        from canhgiac.accounts.rules import MembershipRule, UserRule
        from canhgiac.core import policy

        policy.register(models.User, UserRule())
        policy.register(models.Membership, MembershipRule())
        policy.register(models.RoleSetting, policy.ReferenceDataRule(change_roles=(policy.ADMIN,)))
