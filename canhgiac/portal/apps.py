from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "canhgiac.portal"
    label = "portal"
    verbose_name = "Cổng công khai"
