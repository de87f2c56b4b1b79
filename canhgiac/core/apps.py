from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "canhgiac.core"
    label = "core"
    verbose_name = _("Hệ thống")

    def ready(self):
        from canhgiac.core import lookups, policy

        lookups.register()  # `field__any=values` (long id lists without per-item preparation)
        from canhgiac.core.models import Job
        from canhgiac.core.rules import JobRule

        policy.register(Job, JobRule())

        from canhgiac.core import exports, jobs, ratelimit, registry

        registry.add_periodic("ratelimit-purge", ratelimit.purge)
        # A job of a dead worker is failed by any other worker within a few seconds (tick) and by
        # `run-periodic` (cron on a host without a worker).
        registry.add_periodic("core.orphaned_jobs", jobs.fail_orphaned_jobs_hook)
        registry.add_tick("core.orphaned_jobs", jobs.fail_orphaned_jobs)
        registry.add_periodic("core.exports_purge", exports.purge)
