"""Who sees and changes what in the goods database.

- Staff (officers and above of any agency) see every business and product of their province;
  the province's coordinators and administrators (the Standing Office owns the goods database)
  also register and change products and import businesses.
- A business user (policy.BUSINESS principal) sees and changes only the products of the
  businesses they act for; they never see another business's products, nor the staff pages.
"""

from canhgiac.core import policy


def businesses_of(user) -> set[int]:
    """The businesses a user acts for (the resolver of the BUSINESS principal)."""
    from canhgiac.goods.models import BusinessMember

    return set(
        BusinessMember.objects.filter(user=user, is_active=True, business__is_active=True).values_list(
            "business_id", flat=True
        )
    )


def _staff_in(user, province) -> bool:
    return policy.is_staff_member(user) and (province is None or policy.in_province(user, province))


def _manager(user, province) -> bool:
    return policy.is_coordinator(user, province=province)


class BusinessRule(policy.Rule):
    def visible(self, user, queryset):
        if policy.is_staff_member(user):
            return policy.scope(user, queryset, "province")
        return queryset.filter(pk__in=policy.business_ids(user))

    def can(self, user, action, obj, **context):
        if isinstance(obj, type) or obj is None:
            return policy.is_admin(user, province=context.get("province"))
        if action == "view":
            return obj.pk in policy.business_ids(user) or _staff_in(user, obj.province_id)
        return policy.is_admin(user, province=obj.province_id)


class BusinessMemberRule(policy.Rule):
    def visible(self, user, queryset):
        if policy.is_coordinator(user):
            return policy.scope(user, queryset, "business__province")
        return queryset.filter(user=user)

    def can(self, user, action, obj, **context):
        if isinstance(obj, type) or obj is None:
            return policy.is_admin(user, province=context.get("province"))
        if action == "view" and obj.user_id == user.pk:
            return True
        check = policy.is_coordinator if action == "view" else policy.is_admin
        return check(user, province=obj.business.province_id)


class ProductRule(policy.Rule):
    def visible(self, user, queryset):
        if policy.is_staff_member(user):
            return policy.scope(user, queryset, "owner__province")
        return queryset.filter(owner_id__in=policy.business_ids(user))

    def can(self, user, action, obj, **context):
        if isinstance(obj, type) or obj is None:
            business = context.get("business")
            if business is None:  # may the user register products at all (the form's door)?
                return policy.is_business_user(user) or _manager(user, context.get("province"))
            return business.pk in policy.business_ids(user) or _manager(user, business.province_id)
        own = obj.owner_id in policy.business_ids(user)
        province = obj.owner.province_id
        if action == "view":
            return own or _staff_in(user, province)
        if action in ("change", "delete"):
            return own or _manager(user, province)
        return False


def _list_products(user, obj=None, **context) -> bool:
    return policy.is_staff_member(user) or policy.is_business_user(user)


def _import_products(user, obj=None, **context) -> bool:
    """Importing a product file: a business user (for their own businesses), or the coordinators
    and administrators of the province; `business=` narrows the question to one business."""
    business = context.get("business")
    if business is not None:
        return business.pk in policy.business_ids(user) or _manager(user, business.province_id)
    return policy.is_business_user(user) or _manager(user, context.get("province"))


def _import_businesses(user, obj=None, **context) -> bool:
    return policy.is_admin(user, province=context.get("province"))


VERBS = {
    "goods.list_products": _list_products,
    "goods.import_products": _import_products,
    "goods.import_businesses": _import_businesses,
}
