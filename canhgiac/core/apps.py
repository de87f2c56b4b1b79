from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "canhgiac.core"
    label = "core"
    verbose_name = _("Hệ thống")

    def ready(self):
        from canhgiac.core import policy
        from canhgiac.core.models import Job
        from canhgiac.core.rules import JobRule

        policy.register(Job, JobRule())

        from canhgiac.core import exports, ratelimit, registry

        registry.add_periodic("ratelimit-purge", ratelimit.purge)
        registry.add_periodic("core.exports_purge", exports.purge)
