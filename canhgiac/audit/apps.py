from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "canhgiac.audit"
    label = "audit"
    verbose_name = _("Nhật ký")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from canhgiac.audit import signals
        from canhgiac.audit.models import AuditEvent
        from canhgiac.core import policy, registry

        signals.connect()

        class AuditRule(policy.Rule):
            """Administrators and the Standing Office read the whole trail; nobody edits it."""

            def visible(self, user, queryset):
                return queryset if policy.is_coordinator(user) else queryset.none()

            def can(self, user, action, obj):
                return action == "view" and policy.is_coordinator(user)

        policy.register(AuditEvent, AuditRule())
        registry.add_nav(_("Nhật ký"), "audit:list", policy.is_coordinator, order=95)
