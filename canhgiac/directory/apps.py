from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "canhgiac.directory"
    label = "directory"
    verbose_name = _("Danh mục")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from canhgiac.core import policy, registry
        from canhgiac.directory import models, rules, services

        policy.register(models.AdministrativeUnit, rules.AdministrativeUnitRule(change_roles=(policy.ADMIN,)))
        policy.register(models.Agency, rules.AgencyRule(change_roles=(policy.ADMIN,)))
        for model in (
            models.Field,
            models.GoodsCategory,
            models.ViolationType,
        ):
            policy.register(model, policy.ReferenceDataRule(change_roles=(policy.ADMIN,)))
        policy.register(
            models.Responsibility, policy.ReferenceDataRule(change_roles=(policy.ADMIN, policy.COORDINATOR))
        )

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
        registry.add_demo(
            "directory.hotlines", lambda rng, stdout: services.demo_hotlines(rng, stdout), order=15
        )
