from django.apps import AppConfig


class SubjectsConfig(AppConfig):
    name = "canhgiac.subjects"
    label = "subjects"
    verbose_name = "Đối tượng"

    def ready(self):
        from canhgiac.core import policy
        from canhgiac.subjects.models import Subject
        from canhgiac.subjects.policy import SubjectRule

        policy.register(Subject, SubjectRule())
