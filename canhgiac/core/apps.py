from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "canhgiac.core"
    label = "core"
    verbose_name = _("Hệ thống")

    def ready(self):
        from canhgiac.core import policy
        from canhgiac.core.models import Job

        class JobRule(policy.Rule):
            def visible(self, user, queryset):
                return queryset if policy.is_admin(user) else queryset.filter(owner=user)

            def can(self, user, action, obj):
                return action == "view" and (
                    policy.is_admin(user) or getattr(obj, "owner_id", None) == user.pk
                )

        policy.register(Job, JobRule())

        from canhgiac.core import ratelimit
        from canhgiac.core.registry import add_periodic

        add_periodic("ratelimit-purge", ratelimit.purge)
