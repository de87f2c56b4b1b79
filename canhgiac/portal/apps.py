from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "canhgiac.portal"
    label = "portal"
    verbose_name = _("Cổng công khai")

    def ready(self):
        from canhgiac.core import policy, registry
        from canhgiac.portal import cadence, models, rules, statistics

        policy.register(models.PublicStatistics, rules.PublicStatisticsRule())
        registry.add_periodic("portal.statistics", statistics.refresh_if_stale)
        registry.add_periodic("portal.warning_cadence", cadence.check)
        registry.add_demo("portal", statistics.demo, order=95)
