from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "canhgiac.dashboard"
    label = "dashboard"
    verbose_name = "Bảng điều khiển"

    def ready(self):
        from canhgiac.dashboard import services

        services.add_card(services.directory_cards, order=900)
