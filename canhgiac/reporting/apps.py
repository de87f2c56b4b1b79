from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "canhgiac.reporting"
    label = "reporting"
    verbose_name = "Báo cáo"

    def ready(self):
        pass
