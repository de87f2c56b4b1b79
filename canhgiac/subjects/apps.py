from django.apps import AppConfig


class SubjectsConfig(AppConfig):
    name = "canhgiac.subjects"
    label = "subjects"
    verbose_name = "Đối tượng"

    def ready(self):
        pass
