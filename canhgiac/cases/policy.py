"""Who sees and changes cases.

- Coordinators (Standing Office) and administrators: every case.
- Staff of the lead (owning) agency: its cases; a commune officer's agency is the commune's
  People's Committee, so commune officers see their commune agency's cases.
- Other agencies: a non-sensitive case shared with them by name, shared with all member agencies,
  or one they took part in.
- A sensitive case: the owning agency and coordinators only, whatever its sharing.
Adding: officers, leaders and tip handlers (who open the case of a tip they verified); changes:
officers and leaders of the lead agency (and coordinators); deletion by leaders.
"""

from django.db.models import Q

from canhgiac.core import policy

WRITE_ROLES = (policy.OFFICER, policy.LEADER)
# Recording a case is officers' and leaders' work; a tip handler records the case that comes out of
# a tip they verified (the seeds' handling flow), so they may add cases for their agency too.
# Changing a recorded case stays with officers and leaders (WRITE_ROLES).
ADD_ROLES = (*WRITE_ROLES, policy.TIP_HANDLER)


def visible_case_filter(user) -> Q | None:
    """A Q on Case for what `user` may see; None means everything."""
    if policy.is_coordinator(user):
        return None
    ids = sorted(policy.agency_ids(user))
    if not ids:
        return Q(pk__in=[])
    from canhgiac.cases.models import Case

    # IN (…) becomes one hashed subplan per query, which PostgreSQL evaluates faster than per-row EXISTS
    # probes when a figure scans a whole year (measured in bench/cases_bench.py).
    shared = Case.shared_with.through.objects.filter(agency_id__in=ids).values("case_id")
    joined = Case.participating_agencies.through.objects.filter(agency_id__in=ids).values("case_id")
    open_to_us = (
        Q(visibility=Case.Visibility.ALL)
        | Q(visibility=Case.Visibility.SHARED, pk__in=shared)
        | Q(pk__in=joined)
    )
    return Q(lead_agency_id__in=ids) | (Q(sensitive=False) & open_to_us)


class CaseRule(policy.Rule):
    def visible(self, user, queryset):
        q = visible_case_filter(user)
        return queryset if q is None else queryset.filter(q)

    def can(self, user, action, obj):
        if action in ("view", "export"):
            if isinstance(obj, type):
                return bool(policy.agency_ids(user)) or policy.is_coordinator(user)
            return self.visible(user, type(obj).objects.filter(pk=obj.pk)).exists()
        if policy.is_coordinator(user):
            return True
        if action == "add":
            return policy.has_role(user, *ADD_ROLES)
        if isinstance(obj, type):
            return False
        if action == "change":
            return policy.has_role(user, *WRITE_ROLES, agency=obj.lead_agency_id)
        if action == "delete":
            return policy.has_role(user, policy.LEADER, agency=obj.lead_agency_id)
        return False


class CaseChildRule(policy.Rule):
    """Goods lines, subject links and attachments follow their case."""

    def visible(self, user, queryset):
        from canhgiac.cases.models import Case

        if policy.is_coordinator(user):
            return queryset
        return queryset.filter(case__in=CaseRule().visible(user, Case.objects.all()).values("pk"))

    def can(self, user, action, obj):
        from canhgiac.cases.models import Case

        if isinstance(obj, type):
            return CaseRule().can(user, "add", Case)
        return CaseRule().can(user, "view" if action == "view" else "change", obj.case)


class InspectionRule(policy.Rule):
    """An agency's inspections are its own (and the coordinators'); the overlap check runs in system
    scope and only tells other agencies which agency inspects and when."""

    def visible(self, user, queryset):
        if policy.is_coordinator(user):
            return queryset
        return queryset.filter(agency_id__in=policy.agency_ids(user))

    def can(self, user, action, obj):
        if policy.is_coordinator(user):
            return True
        if action == "view" and not isinstance(obj, type):
            return obj.agency_id in policy.agency_ids(user)
        if isinstance(obj, type):
            return policy.has_role(user, *WRITE_ROLES)
        return policy.has_role(user, *WRITE_ROLES, agency=obj.agency_id)


class WarningRule(policy.PublicRule):
    """Published warnings are public; drafts are the Standing Office's."""

    def visible(self, user, queryset):
        if policy.is_coordinator(user):
            return queryset
        return queryset.filter(is_published=True)

    def can(self, user, action, obj):
        if action == "view":
            return policy.is_coordinator(user) or (not isinstance(obj, type) and obj.is_published)
        return policy.is_coordinator(user)
