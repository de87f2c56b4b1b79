"""The audit trail: administrators and the Standing Office read the events of their province's
users (the actor's memberships name the province); national administrators read all; nobody
edits it."""

from canhgiac.core import policy


class AuditRule(policy.Rule):
    def visible(self, user, queryset):
        if not policy.is_coordinator(user):
            return queryset.none()
        ids = policy.province_ids(user)
        if ids is None:
            return queryset
        from django.db.models import Q

        from canhgiac.accounts.models import Membership
        from canhgiac.directory.models import AdministrativeUnit

        actors = Membership.objects.filter(agency__province_id__in=ids).values("user_id")
        # Events with no actor (the system, anonymous visitors) name no province: in a deployment of
        # one province they are that province's; with several, national administrators read them.
        if AdministrativeUnit.objects.filter(parent=None).count() == 1:
            return queryset.filter(Q(actor_id__in=actors) | Q(actor=None))
        return queryset.filter(actor_id__in=actors)

    def can(self, user, action, obj, **context):
        if action != "view":
            return False
        if isinstance(obj, type) or obj is None:
            return policy.is_coordinator(user, province=context.get("province"))
        return self.visible(user, type(obj).objects.filter(pk=obj.pk)).exists()


def _read_trail(user, obj=None, **context):
    return policy.is_coordinator(user, province=context.get("province"))


VERBS = {"audit.view": _read_trail}
