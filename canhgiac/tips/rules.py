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

        if policy.is_national_admin(user):
            return queryset
        if not policy.is_active_user(user):
            return queryset.none()
        overseen = policy.overseen_provinces(user)
        ids = policy.agency_ids(user, *READ_ROLES)
        coordinated = Tip.coordinating.through.objects.filter(agency_id__in=ids).values("tip_id")
        prefix = "" if queryset.model is Tip else "tip__"
        return queryset.filter(
            Q(**{f"{prefix}lead_agency__province_id__in": overseen})
            | Q(**{f"{prefix}lead_agency_id__in": ids})
            | (Q(pk__in=coordinated) if queryset.model is Tip else Q(tip_id__in=coordinated))
        )

    def can(self, user, action, obj, **context):
        if action == "add":
            agency, province = context.get("agency"), context.get("province")
            if agency is not None:
                return policy.is_admin(user, province=agency) or policy.has_role(
                    user, *RECORD_ROLES, agency=agency
                )
            return policy.is_admin(user, province=province) or policy.has_role(
                user, *RECORD_ROLES, province=province
            )
        if isinstance(obj, type):
            return False
        tip = _tip(obj)
        if action == "view":
            return self.visible(user, type(tip).objects.filter(pk=tip.pk)).exists()
        if action == "handle":
            return self._handles(user, tip)
        if action == "transfer":
            return policy.is_coordinator(user, province=tip.lead_agency.province_id) or self._handles(
                user, tip
            )
        if action == "view_contact":
            return policy.has_role(user, policy.TIP_HANDLER, agency=tip.lead_agency_id)
        if action == "receipt":
            return bool(tip.created_by_id and tip.created_by_id == user.pk) or self.can(user, "view", tip)
        if action == "note":
            return self.can(user, "view", tip)
        return False

    @staticmethod
    def _handles(user, tip) -> bool:
        if policy.is_admin(user, province=tip.lead_agency.province_id) or policy.has_role(
            user, *HANDLE_ROLES, agency=tip.lead_agency_id
        ):
            return True
        return tip.lead_agency.is_standing_office and policy.has_role(
            user, policy.COORDINATOR, agency=tip.lead_agency_id
        )


def _list(user, obj=None, **context):
    from canhgiac.tips.models import Tip

    return (
        policy.can(user, "add", Tip)
        or policy.is_coordinator(user)
        or bool(policy.agency_ids(user, *READ_ROLES))
    )


def _figures(user, obj=None, **context):
    return _list(user) or policy.is_national_viewer(user)


VERBS = {"tips.list": _list, "tips.figures": _figures}


# The aggregate pages a national viewer may open (core.middleware.FiguresOnlyMiddleware).
policy.register_figures_page("tips:stats", "api:stats")
