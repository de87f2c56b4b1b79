from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "canhgiac.plans"
    label = "plans"
    verbose_name = _("Kế hoạch")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from canhgiac.core import policy, registry
        from canhgiac.plans import demo, loader, models, reminders
        from canhgiac.plans.rules import VERBS, PlanPartRule, UpdateRule

        policy.register(models.Plan, PlanPartRule("province"))
        policy.register(models.TaskGroup, PlanPartRule("plan__province"))
        policy.register(models.Task, PlanPartRule("plan__province"))
        policy.register(models.Checkpoint, PlanPartRule("task__plan__province"))
        policy.register(models.Update, UpdateRule())
        for name, check in VERBS.items():
            policy.register_verb(name, check)

        from canhgiac.directory.signals import border_changed

        border_changed.connect(_follow_border, dispatch_uid="plans_follow_border")
        registry.add_setup("plans", loader.load_shipped, order=50)
        registry.add_demo("plans", demo.load_demo, order=50)
        registry.add_periodic("plans.reminders", reminders.run)
        registry.add_nav(_("Kế hoạch"), "plans:list", policy.is_active_user, order=40)
        try:
            from canhgiac.dashboard.services import add_card
            from canhgiac.plans.views import home_cards

            add_card(home_cards, order=40)
        except ImportError:  # the dashboard app is optional
            pass


def _follow_border(sender, province, added=(), removed=(), **kwargs):
    from canhgiac.plans import loader

    loader.follow_border_flags(province, reason="directory.border")
