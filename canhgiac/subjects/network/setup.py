"""Wiring of links and networks into the app, called by one line of SubjectsConfig.ready()."""

from django.utils.translation import gettext_lazy as _


def ready():
    from django.db.models.signals import post_save

    from canhgiac.core import policy, registry
    from canhgiac.subjects import rules
    from canhgiac.subjects.models import Relation, Subject
    from canhgiac.subjects.network import keys

    policy.register(Relation, rules.RelationRule())
    for name, check in rules.VERBS.items():
        policy.register_verb(name, check)
    post_save.connect(keys.on_subject_saved, sender=Subject, dispatch_uid="subjects.link_keys")
    registry.add_nav(
        _("Cần chú ý"), "subjects:attention", lambda user: policy.can(user, "subjects.attention"), order=23
    )
