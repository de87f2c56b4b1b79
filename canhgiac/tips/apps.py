from django.apps import AppConfig


class TipsConfig(AppConfig):
    name = "canhgiac.tips"
    label = "tips"
    verbose_name = "Tin báo"

    def ready(self):
        pass
