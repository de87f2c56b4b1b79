"""Who sees subjects: coordinators all; other staff the subjects their agency recorded or that
appear in a case they can see (subjects are personal data, never public)."""

from django.db.models import Q

from canhgiac.core import policy


class SubjectRule(policy.Rule):
    def visible(self, user, queryset):
        if policy.is_coordinator(user):
            return queryset
        ids = policy.agency_ids(user)
        if not ids:
            return queryset.none()
        from canhgiac.cases.models import Case, CaseSubject

        cases = policy.visible_to(user, Case.objects.all()).values("pk")
        linked = CaseSubject.objects.filter(case__in=cases).values("subject_id")
        return queryset.filter(Q(recorded_by_agency__in=ids) | Q(pk__in=linked))

    def can(self, user, action, obj):
        if policy.is_coordinator(user):
            return True
        if action == "view" and not isinstance(obj, type):
            return self.visible(user, type(obj).objects.filter(pk=obj.pk)).exists()
        return policy.has_role(user, policy.OFFICER, policy.LEADER)
