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


class SigningKeyRule(policy.Rule):
    """Keys are public (the JWK set); the list with statuses is for the province's staff, and
    only its administrators rotate or revoke."""

    def visible(self, user, queryset):
        if policy.is_staff_member(user):
            return policy.scope(user, queryset, "province")
        return queryset.none()

    def can(self, user, action, obj, **context):
        province = context.get("province") if obj is None or isinstance(obj, type) else obj.province_id
        if action == "view":
            return _staff_in(user, province)
        return policy.is_admin(user, province=province)


class CodeBatchRule(policy.Rule):
    def visible(self, user, queryset):
        if policy.is_staff_member(user):
            return policy.scope(user, queryset, "business__province")
        return queryset.filter(business_id__in=policy.business_ids(user))

    def can(self, user, action, obj, **context):
        if isinstance(obj, type) or obj is None:
            return policy.is_business_user(user) or _manager(user, context.get("province"))
        own = obj.business_id in policy.business_ids(user)
        if action == "view":
            return own or _staff_in(user, obj.business.province_id)
        return own or _manager(user, obj.business.province_id)


class SerialCodeRule(policy.Rule):
    def visible(self, user, queryset):
        if policy.is_staff_member(user):
            return policy.scope(user, queryset, "batch__business__province")
        return queryset.filter(batch__business_id__in=policy.business_ids(user))

    def can(self, user, action, obj, **context):
        if isinstance(obj, type) or obj is None:
            return False
        own = obj.batch.business_id in policy.business_ids(user)
        if action == "view":
            return own or _staff_in(user, obj.batch.business.province_id)
        return own


class CodeCheckRule(policy.Rule):
    """The check log: figures for the province's staff (no personal data is in it)."""

    def visible(self, user, queryset):
        if policy.is_staff_member(user):
            return policy.scope(user, queryset, "province")
        return queryset.none()

    def can(self, user, action, obj, **context):
        return (
            action == "view"
            and obj is not None
            and not isinstance(obj, type)
            and _staff_in(user, obj.province_id)
        )


def _issue_codes(user, obj=None, **context) -> bool:
    """Asking for codes of a product: its owner's users, or the province's coordinators."""
    if obj is None:
        return policy.is_business_user(user) or _manager(user, context.get("province"))
    return obj.owner_id in policy.business_ids(user) or _manager(user, obj.owner.province_id)


def _mark_codes(user, obj=None, **context) -> bool:
    """Marking codes sold, destroyed, stolen or expired: the business's own users only."""
    business = context.get("business")
    if business is None:
        return policy.is_business_user(user)
    return business.pk in policy.business_ids(user)


def _view_checks(user, obj=None, **context) -> bool:
    """The figures of checks and the leads: staff of the province."""
    return policy.is_staff_member(user)


VERBS.update(
    {
        "goods.issue_codes": _issue_codes,
        "goods.mark_codes": _mark_codes,
        "goods.view_checks": _view_checks,
    }
)
