from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    name = "canhgiac.committee"
    label = "committee"
    verbose_name = _("Ban Chỉ đạo 389")

    def ready(self):
        from canhgiac.committee import models
        from canhgiac.committee.logic.membership import ensure_provincial
        from canhgiac.committee.rules import BulletinRule, CommitteePartRule, ReceiptRule, RecordRule
        from canhgiac.core import policy, registry

        for model in (models.Committee, models.Decision, models.Member):
            policy.register(model, CommitteePartRule())
        for model in (
            models.Meeting,
            models.Regulation,
            models.Course,
            models.Material,
            models.Commendation,
            models.FocalPoint,
            models.Exchange,
            models.TaskLink,
        ):
            policy.register(model, RecordRule())
        policy.register(models.Conclusion, RecordRule("meeting__province"))
        policy.register(models.Attendance, RecordRule("course__province"))
        policy.register(models.Bulletin, BulletinRule())
        policy.register(models.Receipt, ReceiptRule())
        registry.add_setup("committee", ensure_provincial, order=60)
        from canhgiac.committee.demo import load_demo

        registry.add_demo("committee", load_demo, order=95)

        from canhgiac.committee.dashboard import commune_committees
        from canhgiac.dashboard import leaders as dashboard

        dashboard.add_commune_part(commune_committees)
        # The coordinator's menu: the Standing Office keeps the committee's records.
        registry.add_nav(
            _("Ban Chỉ đạo"), "committee:index", lambda user: policy.is_coordinator(user), order=45
        )
        # Everyone else on the staff reaches the bulletins sent to their agency or commune.
        registry.add_nav(
            _("Cảnh báo nghiệp vụ"),
            "committee:bulletins",
            lambda user: policy.is_staff_member(user) and not policy.is_coordinator(user),
            order=46,
        )
