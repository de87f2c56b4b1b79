from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "canhgiac.directory"
    label = "directory"
    verbose_name = _("Danh mục")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from canhgiac.core import policy, registry
        from canhgiac.directory import services
        from canhgiac.directory.rules import register_rules

        register_rules()

        def setup(provinces, stdout):
            for codename in provinces:
                services.setup_province(codename, stdout)

        registry.add_setup("directory", setup, order=10)
        registry.add_nav(_("Ma trận trách nhiệm"), "directory:matrix", lambda user: True, order=80)
        registry.add_nav(_("Danh bạ cơ quan"), "directory:agencies", lambda user: True, order=85)
        registry.add_nav(_("Xã biên giới"), "directory:border", policy.is_coordinator, order=86)
        registry.add_nav(
            _("Đường dây nóng"),
            "directory:hotline",
            lambda user: policy.has_role(user, policy.LEADER) or policy.is_coordinator(user),
            order=87,
        )
        registry.add_nav(
            _("Tọa độ xã, phường"),
            "directory:locations",
            lambda user: policy.can(user, "directory.import_locations"),
            order=88,
        )
        registry.add_demo(
            "directory.hotlines", lambda rng, stdout: services.demo_hotlines(rng, stdout), order=15
        )
