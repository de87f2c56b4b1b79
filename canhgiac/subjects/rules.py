"""Who sees subjects: coordinators those recorded in their province; other staff the subjects their
agency recorded or that appear in a case they can see (subjects are personal data, never public)."""

from django.db.models import Q

from canhgiac.core import policy

PROVINCE = "recorded_by_agency__province"


class SubjectRule(policy.Rule):
    def visible(self, user, queryset):
        if policy.is_national_admin(user):
            return queryset
        from canhgiac.cases.models import Case, CaseSubject
        from canhgiac.cases.rules import overseen_provinces

        overseen = overseen_provinces(user) if policy.is_active_user(user) else set()
        ids = policy.agency_ids(user)
        if not ids:
            return queryset.none()
        cases = policy.visible_to(user, Case.objects.all()).values("pk")
        linked = CaseSubject.objects.filter(case__in=cases).values("subject_id")
        return queryset.filter(
            Q(recorded_by_agency__in=ids) | Q(pk__in=linked) | Q(recorded_by_agency__province_id__in=overseen)
        )

    def can(self, user, action, obj, **context):
        if action == "view" and not isinstance(obj, type):
            return self.visible(user, type(obj).objects.filter(pk=obj.pk)).exists()
        province = context.get("province")
        if not isinstance(obj, type) and obj is not None:
            province = policy.object_province(obj, PROVINCE)
        if policy.is_coordinator(user, province=province):
            return True
        return policy.has_role(user, policy.OFFICER, policy.LEADER, province=province)
