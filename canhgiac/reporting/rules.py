"""Who sees and does what in reporting (registered in the policy from apps.py). A period belongs
to one province (`Period.province`); every rule keeps to it.

- Coordinators (the Standing Office) and administrators of the province see every period and
  submission of it, create periods and forms, grant exceptions, accept or return reports,
  consolidate.
- Any member of the province's Standing Office agency sees every submission of it (read only).
- Members of a submitting agency see their periods and their agency's submissions; officers and
  leaders open, draft and submit; only leaders approve (send to the Standing Office).
- A period whose reports go to an agency other than the Standing Office (`Period.recipient`: the
  7.11 review goes to SVHTTDL, seed 004): that agency's members see the period and every
  submission of it, and its officers and leaders accept or return the reports sent to it (the
  province's coordinators keep doing so too).
- National viewers read the consolidated figures (reporting.figures), nothing else.
Verbs: reporting.open (agency=, period=), reporting.consolidate (province=), reporting.figures.
"""

from django.db.models import Q

from canhgiac.core import policy
from canhgiac.reporting.models import Submission

S = Submission.Status


def overseen_provinces(user) -> set[int]:
    """Provinces whose whole reporting the user reads: coordinators, admins, Standing Office staff."""
    if not policy.is_active_user(user):
        return set()
    return {
        m.agency.province_id
        for m in user.active_memberships()
        if m.agency_id and (m.role in (policy.ADMIN, policy.COORDINATOR) or m.agency.is_standing_office)
    }


def _oversees(user, province_id) -> bool:
    return policy.is_national_admin(user) or province_id in overseen_provinces(user)


class PeriodRule(policy.Rule):
    def visible(self, user, queryset):
        if policy.is_national_admin(user):
            return queryset
        mine = policy.agency_ids(user)
        return queryset.filter(
            Q(province_id__in=overseen_provinces(user)) | Q(submitters__in=mine) | Q(recipient_id__in=mine)
        ).distinct()

    def can(self, user, action, obj, **context):
        if isinstance(obj, type):
            if action == "view":
                return policy.is_active_user(user)
            return policy.is_coordinator(user, province=context.get("province"))
        if action == "view":
            return (
                _oversees(user, obj.province_id)
                or _receives(user, obj)
                or bool(policy.agency_ids(user) & set(obj.submitters.values_list("pk", flat=True)))
            )
        return policy.is_coordinator(user, province=obj.province_id)


def _receives(user, period, *roles) -> bool:
    """A member (with one of `roles`, any role when none) of the agency the period's reports go to."""
    if period is None or not period.recipient_id:
        return False
    return period.recipient_id in policy.agency_ids(user, *roles)


class FormRule(policy.Rule):
    """The report form is shared by every province; its coordinators edit it."""

    def visible(self, user, queryset):
        return queryset

    def can(self, user, action, obj, **context):
        return action == "view" or policy.is_coordinator(user)


class SubmissionRule(policy.Rule):
    def visible(self, user, queryset):
        if policy.is_national_admin(user):
            return queryset
        mine = policy.agency_ids(user)
        return queryset.filter(
            Q(agency__province_id__in=overseen_provinces(user))
            | Q(agency_id__in=mine)
            | Q(period__recipient_id__in=mine)
        )

    def can(self, user, action, obj, **context):
        if isinstance(obj, type):
            return action == "view" and policy.is_active_user(user)
        province = obj.agency.province_id
        if action == "view":
            return (
                _oversees(user, province)
                or obj.agency_id in policy.agency_ids(user)
                or _receives(user, obj.period)
            )
        if action in ("change", "submit"):
            return obj.status in (S.DRAFT, S.RETURNED) and policy.has_role(
                user, policy.OFFICER, policy.LEADER, agency=obj.agency_id
            )
        if action == "approve":
            return obj.status == S.SUBMITTED and policy.has_role(user, policy.LEADER, agency=obj.agency_id)
        if action == "review":
            return obj.status == S.APPROVED and (
                policy.is_coordinator(user, province=province)
                or _receives(user, obj.period, policy.OFFICER, policy.LEADER)
            )
        return False


class CoordinatorRule(policy.Rule):
    """Exceptions and province reports (through their period): the province's coordinators read
    and write, its Standing Office reads. National groups are shared by every province."""

    def visible(self, user, queryset):
        if policy.is_national_admin(user):
            return queryset
        if hasattr(queryset.model, "period"):
            return queryset.filter(period__province_id__in=overseen_provinces(user))
        return queryset if overseen_provinces(user) else queryset.none()

    def can(self, user, action, obj, **context):
        period = getattr(obj, "period", None) if not isinstance(obj, type) else context.get("period")
        province = period.province_id if period is not None else context.get("province")
        if action == "view" and not isinstance(obj, type):
            return _oversees(user, province) if period is not None else bool(overseen_provinces(user))
        return policy.is_coordinator(user, province=province)


def _open(user, obj=None, agency=None, period=None, **context):
    """Open (create) an agency's report for a period: its officers and leaders, when it reports."""
    return (
        agency is not None
        and period is not None
        and policy.has_role(user, policy.OFFICER, policy.LEADER, agency=agency)
        and period.submitters.filter(pk=getattr(agency, "pk", agency)).exists()
    )


def _consolidate(user, obj=None, province=None, **context):
    return policy.is_coordinator(user, province=province)


def _figures(user, obj=None, province=None, **context):
    return _consolidate(user, province=province) or policy.is_national_viewer(user)


def _oversee(user, obj=None, province=None, **context):
    """Reads the whole reporting board of a province (coordinators and Standing Office staff)."""
    return (
        policy.is_national_admin(user)
        or (province is None and bool(overseen_provinces(user)))
        or (province is not None and policy.province_id_of(province) in overseen_provinces(user))
    )


def _receive(user, obj=None, period=None, **context):
    """Reads every submission of a period sent to the user's agency (its recipient)."""
    return _receives(user, period)


VERBS = {
    "reporting.receive": _receive,
    "reporting.open": _open,
    "reporting.consolidate": _consolidate,
    "reporting.figures": _figures,
    "reporting.oversee": _oversee,
}


# The aggregate pages a national viewer may open (core.middleware.FiguresOnlyMiddleware).
policy.register_figures_page("reporting:timeliness")
