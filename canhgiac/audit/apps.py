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
        from canhgiac.audit.rules import VERBS, AuditRule
        from canhgiac.core import policy, registry

        signals.connect()

        policy.register(AuditEvent, AuditRule())
        for name, check in VERBS.items():
            policy.register_verb(name, check)
        registry.add_nav(_("Nhật ký"), "audit:list", lambda user: policy.can(user, "audit.view"), order=95)
