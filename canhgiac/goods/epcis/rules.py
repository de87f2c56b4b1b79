"""Who captures and reads EPCIS events (issue 14).

- Capture of any event, for any business (data brought from another traceability system): the
  goods database's owner, i.e. administrators, coordinators and analysts of the province's
  Standing Office agency (and national administrators).
- Capture of inspection events (bizStep `inspecting`): officers and above (officer, leader,
  coordinator, administrator) of an enforcement agency (agency kind "force").
- Capture of events about their own products (owned, or distributed as authorised distributor) and
  about unregistered products: business users.
- Reading: staff read the events captured in their province; a business user reads the events
  captured for their businesses.
"""

from canhgiac.core import policy


def _agencies(ids):
    from canhgiac.directory.models import Agency

    return Agency.objects.filter(pk__in=ids)


def capture_any(user, obj=None, **context) -> bool:
    if policy.is_national_admin(user):
        return True
    ids = policy.agency_ids(user, policy.ADMIN, policy.COORDINATOR, policy.ANALYST)
    return bool(ids) and _agencies(ids).filter(is_standing_office=True).exists()


def capture_inspection(user, obj=None, **context) -> bool:
    from canhgiac.directory.models import Agency

    ids = policy.agency_ids(user, policy.OFFICER, policy.LEADER, policy.COORDINATOR, policy.ADMIN)
    return bool(ids) and _agencies(ids).filter(kind=Agency.Kind.FORCE).exists()


def query_events(user, obj=None, **context) -> bool:
    return policy.is_staff_member(user) or policy.is_business_user(user)


def capture_some(user, obj=None, **context) -> bool:
    """May the user capture anything at all (the capture endpoint's door)?"""
    return policy.is_business_user(user) or capture_any(user) or capture_inspection(user)


class EpcisEventRule(policy.Rule):
    def visible(self, user, queryset):
        if policy.is_staff_member(user):
            return policy.scope(user, queryset, "province")
        return queryset.filter(business_id__in=policy.business_ids(user))

    def can(self, user, action, obj, **context):
        if action != "view" or isinstance(obj, type) or obj is None:
            return False
        if policy.is_staff_member(user):
            return policy.in_province(user, obj.province_id)
        return obj.business_id in policy.business_ids(user)


VERBS = {
    "goods.epcis_capture_any": capture_any,
    "goods.epcis_capture_inspection": capture_inspection,
    "goods.epcis_capture": capture_some,
    "goods.epcis_query": query_events,
}
