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


# --- recalls and product warnings -------------------------------------------------------------
#
# Both are public once recorded (the product page, the check's answer, the portal, the feed): anyone
# reads an active recall or warning. Lifted recalls and withdrawn warnings stay readable by the
# staff of the product's province and by the product's business. Recording, lifting and
# withdrawing belong to the officers and leaders of the lead agency of the product's field in the
# product's province (the directory's responsibility matrix: goods category → field → lead).

RECORD_ROLES = (policy.OFFICER, policy.LEADER)


def lead_agency_of(product):
    """The agency leading the product's field in the province of its owner (the Standing Office
    when the matrix names none)."""
    from canhgiac.directory import services as directory

    return directory.lead_agency(product.owner.province, directory.field_for_goods(product.category))


def may_record_about(user, product) -> bool:
    """May `user` record a recall or warning about `product` (None: about any product — the door
    of the form)?"""
    if product is None:
        return policy.has_role(user, *RECORD_ROLES)
    lead = lead_agency_of(product)
    return lead is not None and policy.has_role(user, *RECORD_ROLES, agency=lead.pk)


class _PublicNoticeRule(policy.PublicRule):
    active = None  # a Q-able lookup: {"status": "active"} or {"is_active": True}

    def _is_active(self, obj) -> bool:
        return all(getattr(obj, k) == v for k, v in self.active.items())

    def visible(self, user, queryset):
        from django.db.models import Q

        public = Q(**self.active)
        if not policy.is_active_user(user):
            return queryset.filter(public)
        if policy.is_national_admin(user):
            return queryset
        if policy.is_staff_member(user):
            ids = policy.province_ids(user)
            return (
                queryset if ids is None else queryset.filter(public | Q(product__owner__province_id__in=ids))
            )
        return queryset.filter(public | Q(product__owner_id__in=policy.business_ids(user)))

    def can(self, user, action, obj, **context):
        if isinstance(obj, type) or obj is None:
            return action == "add" and may_record_about(user, context.get("product"))
        if action == "view":
            if self._is_active(obj):
                return True
            product = obj.product
            return product.owner_id in policy.business_ids(user) or _staff_in(user, product.owner.province_id)
        if action in ("change", "lift", "withdraw"):
            return policy.has_role(user, *RECORD_ROLES, agency=obj.agency_id) or may_record_about(
                user, obj.product
            )
        return False


class RecallRule(_PublicNoticeRule):
    active = {"status": "active"}


class ProductWarningRule(_PublicNoticeRule):
    active = {"is_active": True}


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


def _act_for(user, obj=None, **context) -> bool:
    """Acting for a business in the business area (issuing, marking): its own users only."""
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
        "goods.act_for": _act_for,
        "goods.view_checks": _view_checks,
    }
)
