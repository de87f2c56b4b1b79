from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubjectsConfig(AppConfig):
    name = "canhgiac.subjects"
    label = "subjects"
    verbose_name = _("Đối tượng")

    def ready(self):
        from canhgiac.core import policy
        from canhgiac.subjects.models import Entity, Subject
        from canhgiac.subjects.rules import EntityRule, SubjectRule, can_review

        policy.register(Subject, SubjectRule())
        policy.register(Entity, EntityRule())
        policy.register_verb("subjects.review", can_review)

        from django.utils.translation import gettext_lazy as _

        from canhgiac.core import registry

        def staff(user):
            return policy.is_staff_member(user)

        registry.add_nav(_("Đối tượng"), "subjects:list", staff, order=22)
        registry.add_nav(
            _("Xem xét ghép hồ sơ"),
            "subjects:review",
            lambda user: policy.can(user, "subjects.review"),
            order=24,
        )

        from canhgiac.subjects.network import setup as network

        network.ready()
