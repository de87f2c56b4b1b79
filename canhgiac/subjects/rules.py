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


REVIEW_ROLES = (policy.ADMIN, policy.COORDINATOR, policy.LEADER, policy.OFFICER, policy.ANALYST)


def can_review(user, obj=None, **context) -> bool:
    """Answer the review queue (same entity or not): staff who handle or analyse cases, in their
    province. Each pair shown still needs both records visible to the reviewer."""
    return policy.has_role(user, *REVIEW_ROLES, province=context.get("province"))


class EntityRule(policy.Rule):
    """A resolved entity is seen through its records: a user sees an entity when they may see at
    least one of its records (what the page shows of the others is `records_of_entity`)."""

    def visible(self, user, queryset):
        from django.db.models import Exists, OuterRef

        from canhgiac.subjects.models import Subject

        records = policy.visible_to(user, Subject.objects.filter(entity_id=OuterRef("pk")))
        return queryset.filter(Exists(records))

    def can(self, user, action, obj, **context):
        if action == "view" and obj is not None and not isinstance(obj, type):
            return self.visible(user, type(obj).objects.filter(pk=obj.pk)).exists()
        return False
