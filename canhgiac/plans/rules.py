"""Permission rules: plans and tasks are read by the staff of the plan's province; progress
updates (narratives, evidence) by the reporting agency and the Standing Office."""

from canhgiac.core import policy


def _provinces(user):
    return policy.province_ids(user) or set()


class PlanPartRule(policy.Rule):
    """Plan, TaskGroup, Task, Checkpoint: `path` leads from the model to the province."""

    def __init__(self, path: str):
        self.path = path

    def _province_id(self, obj):
        for part in self.path.split("__")[:-1]:
            obj = getattr(obj, part)
        return obj.province_id

    def visible(self, user, queryset):
        return policy.scope(user, queryset, self.path)

    def can(self, user, action, obj, **context):
        if isinstance(obj, type):
            return action == "add" and policy.is_coordinator(user, province=context.get("province"))
        province = self._province_id(obj)
        if action == "view":
            return policy.in_province(user, province)
        return policy.is_coordinator(user, province=province)


class UpdateRule(policy.Rule):
    def visible(self, user, queryset):
        from canhgiac.plans.services import oversees

        if policy.is_national_admin(user):
            return queryset
        if oversees(user):
            return queryset.filter(checkpoint__task__plan__province_id__in=_provinces(user))
        return queryset.filter(agency_id__in=policy.agency_ids(user))

    def can(self, user, action, obj, **context):
        if action == "view" and not isinstance(obj, type):
            return self.visible(user, type(obj).objects.filter(pk=obj.pk)).exists()
        # Updates are written only through services.post_update (which checks can_report) and
        # never edited: a correction is a newer update.
        return action == "delete" and policy.is_admin(user, province=obj.agency.province_id)


def _manage_agency_plan(user, obj=None, agency=None, **context):
    """An agency's own plan: its officers and leaders, and the Standing Office of its province."""
    return agency is not None and (
        policy.is_coordinator(user, province=agency)
        or policy.has_role(user, policy.LEADER, policy.OFFICER, agency=agency)
    )


def _report(user, obj=None, agency=None, **context):
    """Progress on a task: the reporting roles of the agency itself (and its province admins)."""
    from canhgiac.plans.services import REPORT_ROLES

    return agency is not None and (
        policy.is_admin(user, province=agency) or policy.has_role(user, *REPORT_ROLES, agency=agency)
    )


VERBS = {"plans.manage_agency_plan": _manage_agency_plan, "plans.report": _report}
