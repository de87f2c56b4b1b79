from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "canhgiac.dashboard"
    label = "dashboard"
    verbose_name = _("Bảng điều khiển")

    def ready(self):
        from canhgiac.dashboard import services

        services.add_card(services.directory_cards, order=900)
