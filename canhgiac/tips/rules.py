"""Who sees and handles tips (registered in TipsConfig.ready()).

- see a tip: the Standing Office (coordinators) and administrators see every tip; leaders, officers,
  tip handlers and analysts see the tips their agency leads or coordinates;
- handle it (accept, verify, resolve, reject, extend, answer the tipster, turn into a case): tip
  handlers and leaders of the lead agency (coordinators too when the Standing Office is the lead);
- transfer it: whoever may handle it, and the Standing Office;
- see the tipster's contact details: tip handlers of the lead agency only, each view audited;
- see a tip's receipt (code, where it went, when): whoever recorded it, and whoever sees the tip.
"""

from django.db.models import Q

from canhgiac.core import policy

READ_ROLES = (policy.LEADER, policy.OFFICER, policy.TIP_HANDLER, policy.ANALYST)
HANDLE_ROLES = (policy.LEADER, policy.TIP_HANDLER)
RECORD_ROLES = (policy.LEADER, policy.OFFICER, policy.TIP_HANDLER, policy.COORDINATOR)


def _tip(obj):
    """Messages, attachments and transfers follow the rights on their tip."""
    return getattr(obj, "tip", obj)


class TipRule(policy.Rule):
    def visible(self, user, queryset):
        from canhgiac.tips.models import Tip

        if policy.is_coordinator(user):
            return queryset
        ids = policy.agency_ids(user, *READ_ROLES)
        if not ids:
            return queryset.none()
        coordinated = Tip.coordinating.through.objects.filter(agency_id__in=ids).values("tip_id")
        if queryset.model is Tip:
            return queryset.filter(Q(lead_agency_id__in=ids) | Q(pk__in=coordinated))
        return queryset.filter(Q(tip__lead_agency_id__in=ids) | Q(tip_id__in=coordinated))

    def can(self, user, action, obj):
        if action == "add":
            return policy.is_admin(user) or policy.has_role(user, *RECORD_ROLES)
        if isinstance(obj, type):
            return False
        tip = _tip(obj)
        if action == "view":
            return self.visible(user, type(tip).objects.filter(pk=tip.pk)).exists()
        if action == "handle":
            return self._handles(user, tip)
        if action == "transfer":
            return policy.is_coordinator(user) or self._handles(user, tip)
        if action == "view_contact":
            return policy.has_role(user, policy.TIP_HANDLER, agency=tip.lead_agency_id)
        if action == "receipt":
            return bool(tip.created_by_id and tip.created_by_id == user.pk) or self.can(user, "view", tip)
        if action == "note":
            return self.can(user, "view", tip)
        return False

    @staticmethod
    def _handles(user, tip) -> bool:
        if policy.is_admin(user) or policy.has_role(user, *HANDLE_ROLES, agency=tip.lead_agency_id):
            return True
        return tip.lead_agency.is_standing_office and policy.has_role(
            user, policy.COORDINATOR, agency=tip.lead_agency_id
        )
