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
                mine = getattr(obj, "owner_id", None) == user.pk
                if action == "download":  # an export's file: only to the user who asked for it
                    return bool(user.is_authenticated) and mine
                return action == "view" and (policy.is_admin(user) or mine)

        policy.register(Job, JobRule())

        from canhgiac.core import exports, registry

        registry.add_periodic("core.exports_purge", exports.purge)
