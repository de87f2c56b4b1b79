"""Permission rules: plans and tasks are read by the staff of the plan's province; progress
updates (narratives, evidence) by the reporting agency and the Standing Office."""

from canhgiac.core import policy


def _provinces(user):
    return {m.agency.province_id for m in user.active_memberships()}


class PlanPartRule(policy.Rule):
    """Plan, TaskGroup, Task, Checkpoint: `path` leads from the model to the province."""

    def __init__(self, path: str):
        self.path = path

    def _province_id(self, obj):
        for part in self.path.split("__")[:-1]:
            obj = getattr(obj, part)
        return obj.province_id

    def visible(self, user, queryset):
        if policy.is_admin(user):
            return queryset
        return queryset.filter(**{f"{self.path}__in": _provinces(user)})

    def can(self, user, action, obj):
        if policy.is_admin(user):
            return True
        if isinstance(obj, type):
            return action == "add" and policy.is_coordinator(user)
        in_province = self._province_id(obj) in _provinces(user)
        if action == "view":
            return in_province
        return in_province and policy.is_coordinator(user)


class UpdateRule(policy.Rule):
    def visible(self, user, queryset):
        from canhgiac.plans.services import oversees

        if policy.is_admin(user):
            return queryset
        if oversees(user):
            return queryset.filter(checkpoint__task__plan__province_id__in=_provinces(user))
        return queryset.filter(agency_id__in=policy.agency_ids(user))

    def can(self, user, action, obj):
        if action == "view" and not isinstance(obj, type):
            return self.visible(user, type(obj).objects.filter(pk=obj.pk)).exists()
        # Updates are written only through services.post_update (which checks can_report) and
        # never edited: a correction is a newer update.
        return action == "delete" and policy.is_admin(user)
