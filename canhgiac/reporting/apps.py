from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "canhgiac.reporting"
    label = "reporting"
    verbose_name = _("Báo cáo")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from canhgiac.core import policy, registry
        from canhgiac.reporting import models, rules, sources

        policy.register(models.Period, rules.PeriodRule())
        policy.register(models.Submission, rules.SubmissionRule())
        for model in (models.ReportForm, models.Indicator, models.Section):
            policy.register(model, rules.FormRule())
        for model in (
            models.SubmissionException,
            models.ProvinceReport,
            models.NationalGroup,
            models.ConsolidatedSnapshot,
        ):
            policy.register(model, rules.CoordinatorRule())
        for name, check in rules.VERBS.items():
            policy.register_verb(name, check)
        sources.register_builtin_sources()

        def setup(provinces, stdout):
            from canhgiac.reporting import services

            services.load_standard_form()
            services.load_national_groups()
            services.load_online_review_forms()
            stdout.write(
                "Báo cáo: biểu mẫu chuẩn 389, 3 nhóm báo cáo quốc gia và 2 biểu rà soát quảng cáo, chất lượng"
            )

        def demo(rng, stdout):
            from canhgiac.reporting.demo import load_demo

            stdout.write(load_demo(rng))

        def periodic(now):
            from canhgiac.reporting import services

            return services.send_reminders(now)

        registry.add_setup("reporting", setup, order=60)
        registry.add_demo("reporting", demo, order=90)

        def refresh_snapshots(now):
            from canhgiac.reporting import snapshots

            return snapshots.refresh_old(now)

        registry.add_periodic("reporting.reminders", periodic)
        registry.add_periodic("reporting.consolidated_refresh", refresh_snapshots)
        registry.add_nav(_("Báo cáo định kỳ"), "reporting:index", policy.is_active_user, order=60)

        from canhgiac.dashboard.services import add_card
        from canhgiac.reporting.cards import reporting_cards

        add_card(reporting_cards, order=60)
