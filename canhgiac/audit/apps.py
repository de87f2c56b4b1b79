from django.apps import AppConfig
from django.db.models.signals import post_migrate
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
        post_migrate.connect(_ensure_head, sender=self, dispatch_uid="audit_ensure_head")
        registry.add_periodic("audit-anchor", _anchor_if_due)
        registry.add_tick("audit-seal", _seal)

        policy.register(AuditEvent, AuditRule())
        for name, check in VERBS.items():
            policy.register_verb(name, check)
        registry.add_nav(_("Nhật ký"), "audit:list", lambda user: policy.can(user, "audit.view"), order=95)


def _ensure_head(using="default", **kwargs):
    from canhgiac.audit import services

    if using == "default":
        services.ensure_head()


def _anchor_if_due(now):
    from canhgiac.audit import services

    return services.anchor_if_due(now)


def _seal():
    from canhgiac.audit import services

    services.seal(wait=False)
