"""Accounts: administrators manage the accounts of their province; coordinators read them; everyone
reads themself. A user belongs to the provinces of their memberships' agencies."""

from canhgiac.accounts.models import Membership
from canhgiac.core import policy


def _in_scope(user, queryset, path):
    ids = policy.province_ids(user)
    if ids is None:
        return queryset
    users = Membership.objects.filter(agency__province_id__in=ids).values("user_id")
    return queryset.filter(**{f"{path}__in": users})


def _user_provinces(target) -> set[int]:
    return {m.agency.province_id for m in target.active_memberships() if m.agency_id}


class UserRule(policy.Rule):
    def visible(self, user, queryset):
        if policy.is_coordinator(user):
            return _in_scope(user, queryset, "pk") | queryset.filter(pk=user.pk)
        return queryset.filter(pk=user.pk)

    def can(self, user, action, obj, **context):
        if isinstance(obj, type):
            return policy.is_admin(user, province=context.get("province"))
        if getattr(obj, "pk", None) == user.pk and action == "view":
            return True
        provinces = _user_provinces(obj)
        check = policy.is_coordinator if action == "view" else policy.is_admin
        if not provinces:
            return policy.is_national_admin(user)
        return all(check(user, province=p) for p in provinces)


class MembershipRule(policy.Rule):
    def visible(self, user, queryset):
        if policy.is_coordinator(user):
            return policy.scope(user, queryset, "agency__province") | queryset.filter(user=user)
        return queryset.filter(user=user)

    def can(self, user, action, obj, **context):
        if isinstance(obj, type):
            return policy.is_admin(user, province=context.get("agency") or context.get("province"))
        if action == "view" and getattr(obj, "user_id", None) == user.pk:
            return True
        if obj.agency_id is None:
            return policy.is_national_admin(user)
        check = policy.is_coordinator if action == "view" else policy.is_admin
        return check(user, province=obj.agency.province_id)


def name_committee(user, obj=None, province=None, **context) -> bool:
    """`accounts.name_committee`: the leaders of the province's Standing Office name the
    committee's head and deputies (national administrators too). Without a province: of any."""
    if policy.is_national_admin(user):
        return True
    if not policy.is_active_user(user):
        return False
    province_id = policy.province_id_of(province)
    return any(
        m.role == policy.LEADER
        and m.agency_id
        and m.agency.is_standing_office
        and (province_id is None or m.agency.province_id == province_id)
        for m in user.active_memberships()
    )


VERBS = {"accounts.name_committee": name_committee}
