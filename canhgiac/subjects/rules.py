"""Who sees subjects: coordinators those recorded in their province; other staff the subjects their
agency recorded or that appear in a case they can see (subjects are personal data, never public)."""

from django.db.models import Exists, OuterRef, Q

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
        # EXISTS rather than IN: PostgreSQL then chooses per query between probing the case links
        # of each candidate row (a network's few thousand records) and hashing every subject of
        # every visible case (a list of the whole province); IN always did the latter, about
        # 0.1–0.2 s per query for 52,000 case links (bench/subjects_network.py). The cheap tests
        # come first so a coordinator's records of the province never reach the subquery.
        linked = Exists(CaseSubject.objects.filter(subject_id=OuterRef("pk"), case__in=cases))
        return queryset.filter(
            Q(recorded_by_agency__in=ids) | Q(recorded_by_agency__province_id__in=overseen) | Q(linked)
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


# ---- links and networks (issue 12, items 4 and 5) -----------------------------------------------

RELATION_WRITE_ROLES = (policy.OFFICER, policy.LEADER)
# The ranked list "cần chú ý" names subjects with the reasons to look at them: analysis work, for
# officers, leaders and analysts of the province (and its coordinators), not for read-only viewers.
ATTENTION_ROLES = (policy.OFFICER, policy.LEADER, policy.ANALYST)


def visible_relation_filter(user) -> Q | None:
    """A Q on Relation for what `user` may see; None means everything. A relation drawn from a case
    is seen with its case; one from a document or an import by its agency and the province's
    coordinators, and by every agency of the province when shared with all."""
    if policy.is_national_admin(user):
        return None
    if not policy.is_active_user(user):
        return Q(pk__in=[])
    from canhgiac.cases.models import Case

    cases = policy.visible_to(user, Case.objects.all()).values("pk")
    overseen = sorted(overseen_provinces_of(user))
    provinces = sorted(policy.province_ids(user) or ())
    own = (
        Q(recorded_by_agency_id__in=sorted(policy.agency_ids(user)))
        | Q(recorded_by_agency__province_id__in=overseen)
        | Q(visibility="all", recorded_by_agency__province_id__in=provinces)
    )
    return Q(source="case", case__in=cases) | (~Q(source="case") & own)


def overseen_provinces_of(user):
    return policy.overseen_provinces(user) if policy.is_active_user(user) else set()


class RelationRule(policy.Rule):
    def visible(self, user, queryset):
        q = visible_relation_filter(user)
        return queryset if q is None else queryset.filter(q)

    def can(self, user, action, obj, **context):
        if action == "view" and not isinstance(obj, type):
            return self.visible(user, type(obj).objects.filter(pk=obj.pk)).exists()
        if isinstance(obj, type) or obj is None:
            agency = context.get("agency")
            if agency is not None:
                return policy.is_coordinator(user, province=agency) or policy.has_role(
                    user, *RELATION_WRITE_ROLES, agency=agency
                )
            province = context.get("province")
            return policy.is_coordinator(user, province=province) or policy.has_role(
                user, *RELATION_WRITE_ROLES, province=province
            )
        if policy.is_coordinator(user, province=policy.object_province(obj, "recorded_by_agency__province")):
            return True
        return policy.has_role(user, *RELATION_WRITE_ROLES, agency=obj.recorded_by_agency_id)


def _attention(user, obj=None, **context):
    province = context.get("province")
    return policy.is_coordinator(user, province=province) or policy.has_role(
        user, *ATTENTION_ROLES, province=province
    )


VERBS = {"subjects.attention": _attention}
