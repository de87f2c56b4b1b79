from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "canhgiac.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self):
        from canhgiac.accounts import models
        from canhgiac.core import policy

        class UserRule(policy.Rule):
            """Administrators manage accounts; coordinators read them; everyone reads themself."""

            def visible(self, user, queryset):
                if policy.is_coordinator(user):
                    return queryset
                return queryset.filter(pk=user.pk)

            def can(self, user, action, obj):
                if policy.is_admin(user):
                    return True
                if action == "view":
                    return policy.is_coordinator(user) or getattr(obj, "pk", None) == user.pk
                return False

        class MembershipRule(policy.Rule):
            def visible(self, user, queryset):
                return queryset if policy.is_coordinator(user) else queryset.filter(user=user)

            def can(self, user, action, obj):
                if policy.is_admin(user):
                    return True
                return action == "view" and (
                    policy.is_coordinator(user) or getattr(obj, "user_id", None) == user.pk
                )

        policy.register(models.User, UserRule())
        policy.register(models.Membership, MembershipRule())
        policy.register(models.RoleSetting, policy.ReferenceDataRule(change_roles=(policy.ADMIN,)))
