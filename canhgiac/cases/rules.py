"""Who sees and changes cases (registered from CasesConfig.ready()). Every rule keeps to the
user's province: a case belongs to the province of its lead agency.

- Coordinators (Standing Office) and administrators: every case of their province.
- Staff of the lead (owning) agency: its cases; a commune officer's agency is the commune's
  People's Committee, so commune officers see their commune agency's cases.
- Other agencies of the same province: a non-sensitive case shared with them by name, shared with
  all member agencies, or one they took part in.
- A sensitive case: the owning agency and coordinators only, whatever its sharing.
Writes: officers and leaders of the lead agency (and coordinators); deletion by leaders.
Verbs: cases.import, cases.export, cases.export_identifiers, cases.figures, cases.publish_warning.
An export leaves subjects' identification numbers out; `cases.export_identifiers` ("kèm số định
danh") is for leaders of the owning agency and the province's coordinators, and fills the numbers
only of the cases they answer for (`identifier_scope`).
"""

from django.db.models import Q

from canhgiac.core import policy

WRITE_ROLES = (policy.OFFICER, policy.LEADER)
# Recording a case is officers' and leaders' work; a tip handler records the case that comes out of
# a tip they verified (the seeds' handling flow), so they may add cases for their agency too.
# Changing a recorded case stays with officers and leaders (WRITE_ROLES).
ADD_ROLES = (*WRITE_ROLES, policy.TIP_HANDLER)
PROVINCE = "lead_agency__province"


overseen_provinces = policy.overseen_provinces


def visible_case_filter(user) -> Q | None:
    """A Q on Case for what `user` may see; None means everything."""
    if policy.is_national_admin(user):
        return None
    if not policy.is_active_user(user):
        return Q(pk__in=[])
    overseen = overseen_provinces(user)
    q = Q(lead_agency__province_id__in=sorted(overseen)) if overseen else Q(pk__in=[])
    ids = sorted(policy.agency_ids(user))
    if not ids:
        return q
    from canhgiac.cases.models import Case

    # IN (…) becomes one hashed subplan per query, which PostgreSQL evaluates faster than per-row EXISTS
    # probes when a figure scans a whole year (measured in bench/cases_bench.py).
    shared = Case.shared_with.through.objects.filter(agency_id__in=ids).values("case_id")
    joined = Case.participating_agencies.through.objects.filter(agency_id__in=ids).values("case_id")
    open_to_us = (
        Q(visibility=Case.Visibility.ALL, lead_agency__province_id__in=sorted(policy.province_ids(user)))
        | Q(visibility=Case.Visibility.SHARED, pk__in=shared)
        | Q(pk__in=joined)
    )
    return q | Q(lead_agency_id__in=ids) | (Q(sensitive=False) & open_to_us)


def _may_record(user, agency=None, province=None, roles=ADD_ROLES) -> bool:
    if agency is not None:
        return policy.is_coordinator(user, province=agency) or policy.has_role(user, *roles, agency=agency)
    return policy.is_coordinator(user, province=province) or policy.has_role(user, *roles, province=province)


class CaseRule(policy.Rule):
    def visible(self, user, queryset):
        q = visible_case_filter(user)
        return queryset if q is None else queryset.filter(q)

    def can(self, user, action, obj, **context):
        if action in ("view", "export"):
            if isinstance(obj, type):
                return policy.is_staff_member(user)
            return self.visible(user, type(obj).objects.filter(pk=obj.pk)).exists()
        if action == "add":
            return _may_record(user, context.get("agency"), context.get("province"))
        if isinstance(obj, type):
            return False
        if policy.is_coordinator(user, province=policy.object_province(obj, PROVINCE)):
            return True
        if action == "change":
            return policy.has_role(user, *WRITE_ROLES, agency=obj.lead_agency_id)
        if action == "delete":
            return policy.has_role(user, policy.LEADER, agency=obj.lead_agency_id)
        return False


class CaseChildRule(policy.Rule):
    """Goods lines, subject links and attachments follow their case."""

    def visible(self, user, queryset):
        from canhgiac.cases.models import Case

        return queryset.filter(case__in=CaseRule().visible(user, Case.objects.all()).values("pk"))

    def can(self, user, action, obj, **context):
        from canhgiac.cases.models import Case

        if isinstance(obj, type):
            return CaseRule().can(user, "add", Case, **context)
        return CaseRule().can(user, "view" if action == "view" else "change", obj.case)


class InspectionRule(policy.Rule):
    """An agency's inspections are its own (and its province coordinators'); the overlap check runs
    in system scope and only tells other agencies which agency inspects and when."""

    def visible(self, user, queryset):
        overseen = overseen_provinces(user) if policy.is_active_user(user) else set()
        if policy.is_national_admin(user):
            return queryset
        return queryset.filter(Q(agency_id__in=policy.agency_ids(user)) | Q(agency__province_id__in=overseen))

    def can(self, user, action, obj, **context):
        if isinstance(obj, type):
            return _may_record(user, context.get("agency"), context.get("province"))
        if policy.is_coordinator(user, province=policy.object_province(obj, "agency__province")):
            return True
        if action == "view":
            return obj.agency_id in policy.agency_ids(user)
        return policy.has_role(user, *WRITE_ROLES, agency=obj.agency_id)


class WarningRule(policy.PublicRule):
    """Published warnings are public; drafts are their province Standing Office's."""

    def visible(self, user, queryset):
        if policy.is_national_admin(user):
            return queryset
        overseen = overseen_provinces(user) if policy.is_active_user(user) else set()
        if overseen:
            return queryset.filter(
                Q(is_published=True) | Q(case__lead_agency__province_id__in=overseen) | Q(case=None)
            )
        return queryset.filter(is_published=True)

    def can(self, user, action, obj, **context):
        province = context.get("province")
        if not isinstance(obj, type) and obj is not None:
            province = policy.object_province(obj, "case__lead_agency__province") or province
        coordinator = policy.is_coordinator(user, province=province)
        if action == "view":
            return coordinator or (not isinstance(obj, type) and obj.is_published)
        return coordinator


def _import(user, obj=None, agency=None, **context):
    # Importing files of cases stays with officers and leaders; tip handlers add one case at a time.
    return _may_record(user, agency, context.get("province"), roles=WRITE_ROLES)


def _staff(user, obj=None, **context):
    province = context.get("province")
    return policy.is_staff_member(user) and (province is None or policy.in_province(user, province))


def identifier_scope(user):
    """(province ids, agency ids): the cases whose subjects' identification numbers `user` may
    export are those of an overseen province (coordinators, administrators) or led by an agency
    where the user is a leader. None means every case (national administrators)."""
    if policy.is_national_admin(user):
        return None
    return overseen_provinces(user), policy.agency_ids(user, policy.LEADER)


def _export_identifiers(user, obj=None, **context):
    scope = identifier_scope(user)
    if scope is None:
        return True
    provinces, leads = scope
    if obj is not None:
        return obj.lead_agency.province_id in provinces or obj.lead_agency_id in leads
    province = context.get("province")
    if province is not None:
        pid = policy.province_id_of(province)
        from canhgiac.directory.models import Agency

        return pid in provinces or Agency.objects.filter(pk__in=leads, province_id=pid).exists()
    return bool(provinces or leads)


def _figures(user, obj=None, **context):
    """Case figures: staff of the province, and national viewers (aggregates only)."""
    return _staff(user, **context) or policy.is_national_viewer(user)


def _publish_warning(user, obj=None, **context):
    case = obj
    province = policy.object_province(case, PROVINCE) if case is not None else context.get("province")
    return policy.is_coordinator(user, province=province)


VERBS = {
    "cases.import": _import,
    "cases.list": _staff,
    "cases.export": _staff,
    "cases.export_identifiers": _export_identifiers,
    "cases.figures": _figures,
    "cases.publish_warning": _publish_warning,
}


# The aggregate pages a national viewer may open (core.middleware.FiguresOnlyMiddleware).
policy.register_figures_page("cases:figures", "api:summary")
