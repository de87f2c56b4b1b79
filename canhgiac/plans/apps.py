from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "canhgiac.plans"
    label = "plans"
    verbose_name = "Kế hoạch"

    def ready(self):
        pass
