"""Who sees and does what in reporting (registered in the policy from apps.py).

- Coordinators (the Standing Office) and administrators see every period and submission, create
  periods and forms, grant exceptions, accept or return reports, consolidate.
- Any member of the Standing Office's agency sees every submission (read only).
- Members of a submitting agency see their periods and their agency's submissions; officers and
  leaders draft and submit; only leaders approve (send to the Standing Office).
"""

from canhgiac.core import policy
from canhgiac.reporting.models import Submission

S = Submission.Status


def standing_office_member(user) -> bool:
    return any(m.agency.is_standing_office for m in user.active_memberships())


class PeriodRule(policy.Rule):
    def visible(self, user, queryset):
        if policy.is_coordinator(user) or standing_office_member(user):
            return queryset
        return queryset.filter(submitters__in=policy.agency_ids(user)).distinct()

    def can(self, user, action, obj):
        if action == "view":
            if isinstance(obj, type):
                return policy.is_active_user(user)
            return (
                policy.is_coordinator(user)
                or standing_office_member(user)
                or bool(policy.agency_ids(user) & set(obj.submitters.values_list("pk", flat=True)))
            )
        return policy.is_coordinator(user)


class FormRule(policy.Rule):
    def visible(self, user, queryset):
        return queryset

    def can(self, user, action, obj):
        return action == "view" or policy.is_coordinator(user)


class SubmissionRule(policy.Rule):
    def visible(self, user, queryset):
        if policy.is_coordinator(user) or standing_office_member(user):
            return queryset
        return queryset.filter(agency_id__in=policy.agency_ids(user))

    def can(self, user, action, obj):
        if isinstance(obj, type):
            return action == "view" and policy.is_active_user(user)
        own = policy.agency_ids(user)
        if action == "view":
            return policy.is_coordinator(user) or standing_office_member(user) or obj.agency_id in own
        if action in ("change", "submit"):
            return obj.status in (S.DRAFT, S.RETURNED) and policy.has_role(
                user, policy.OFFICER, policy.LEADER, agency=obj.agency_id
            )
        if action == "approve":
            return obj.status == S.SUBMITTED and policy.has_role(user, policy.LEADER, agency=obj.agency_id)
        if action == "review":
            return obj.status == S.APPROVED and policy.is_coordinator(user)
        return False


class CoordinatorRule(policy.Rule):
    """Exceptions, province reports, national groups: coordinators read and write."""

    def visible(self, user, queryset):
        return queryset if policy.is_coordinator(user) or standing_office_member(user) else queryset.none()

    def can(self, user, action, obj):
        return policy.is_coordinator(user)
