"""Who sees and does what in the online app.

- Listings, online accounts, evidence and takedowns: every staff member of the province reads them
  (listings are public offers); officers and leaders of the listing's agency, and the province's
  coordinators, handle them. Importing and entering listings: officers and leaders for their own
  agency, coordinators for any agency of their province.
- Platforms and kinds of signer: reference data (administrators change them).
- The commitments register: staff of the province read it; the province's coordinators and the
  agency in charge of a kind (SCT sellers and platforms, SYT doctors and health goods, SVHTTDL press
  and celebrities) keep it. Signed commitments are public (the portal's list shows who signed and
  when, never the file); a signer's own account signs its own commitment.
"""

from django.db.models import Q

from canhgiac.core import policy

HANDLERS = (policy.OFFICER, policy.LEADER, policy.ADMIN, policy.COORDINATOR)


def _staff_in(user, province) -> bool:
    return policy.is_staff_member(user) and policy.in_province(user, province)


def may_handle(user, agency) -> bool:
    return policy.has_role(user, *HANDLERS, agency=agency) or policy.is_coordinator(
        user, province=agency.province_id
    )


class ListingRule(policy.Rule):
    def visible(self, user, queryset):
        if not policy.is_staff_member(user):
            return queryset.none()
        return policy.scope(user, queryset, "province")

    def can(self, user, action, obj, **context):
        if isinstance(obj, type) or obj is None:
            agency = context.get("agency")
            if agency is None:
                return policy.has_role(user, *HANDLERS)
            return may_handle(user, agency)
        if action == "view":
            return _staff_in(user, obj.province_id)
        return may_handle(user, obj.agency)


class AccountRule(policy.Rule):
    def visible(self, user, queryset):
        if not policy.is_staff_member(user):
            return queryset.none()
        return policy.scope(user, queryset, "province")

    def can(self, user, action, obj, **context):
        province = context.get("province") if isinstance(obj, type) or obj is None else obj.province_id
        if action == "view":
            return _staff_in(user, province)
        return policy.has_role(user, *HANDLERS, province=province)


class ChildRule(policy.Rule):
    """Evidence and takedowns: as their listing."""

    def visible(self, user, queryset):
        if not policy.is_staff_member(user):
            return queryset.none()
        return policy.scope(user, queryset, "listing__province")

    def can(self, user, action, obj, **context):
        if isinstance(obj, type) or obj is None:
            return False
        return ListingRule().can(user, action, obj.listing)


def keeps_register(user, province, kind) -> bool:
    return _keeps_register(user, province, kind)


def _keeps_register(user, province, kind) -> bool:
    if policy.is_coordinator(user, province=province):
        return True
    if kind is None:
        return False
    from canhgiac.directory import services as directory

    agency = directory.agency_by_code(kind.agency_code, province) if province is not None else None
    return agency is not None and policy.has_role(user, *HANDLERS, agency=agency)


def _own(user, signer) -> bool:
    from canhgiac.online.commitments import is_own_signer

    return is_own_signer(user, signer)


class SignerRule(policy.Rule):
    """Staff read their province's register; a signer (its own account, or a business user for
    the entries under the business's tax code) reads its own entries."""

    def visible(self, user, queryset):
        if policy.is_staff_member(user):
            return policy.scope(user, queryset, "province")
        from canhgiac.online.commitments import own_signers

        return queryset.filter(pk__in=own_signers(user).values("pk"))

    def can(self, user, action, obj, **context):
        if isinstance(obj, type) or obj is None:
            return _keeps_register(user, context.get("province"), context.get("kind"))
        if action == "view":
            return _staff_in(user, obj.province_id) or _own(user, obj)
        return _keeps_register(user, obj.province, obj.kind)


class SignerIdentityRule(policy.Rule):
    """A signer-area account's recorded identifier: the province's coordinators record and read it
    (they issue the accounts); the account reads its own."""

    def visible(self, user, queryset):
        if not policy.is_active_user(user):
            return queryset.none()
        if policy.is_national_admin(user):
            return queryset
        return queryset.filter(Q(user=user) | Q(province_id__in=sorted(policy.overseen_provinces(user))))

    def can(self, user, action, obj, **context):
        if isinstance(obj, type) or obj is None:
            province = context.get("province")
            return province is not None and policy.is_coordinator(user, province=province)
        if action == "view" and policy.is_active_user(user) and obj.user_id == user.pk:
            return True
        return policy.is_coordinator(user, province=obj.province_id)


def _claim(user, obj=None, **context) -> bool:
    """A signer account claims a register entry as its own ("Đây là tôi"): only an entry offered to
    it (commitments.claimable_signers: no account linked yet, the identifier equal to its business's
    tax code or its recorded identifier, and the account has no entry linked)."""
    if obj is None or not policy.is_active_user(user):
        return False
    from canhgiac.online.commitments import claimable_signers

    return claimable_signers(user).filter(pk=obj.pk).exists()


class CommitmentRule(policy.PublicRule):
    """Who signed and when is public; the signed file is the register keepers'."""

    def visible(self, user, queryset):
        return queryset

    def can(self, user, action, obj, **context):
        if isinstance(obj, type) or obj is None:
            return False
        if action == "view":
            return True
        if action == "view_file":
            return policy.is_active_user(user) and (
                _staff_in(user, obj.signer.province_id) or _own(user, obj.signer)
            )
        return policy.is_active_user(user) and _keeps_register(user, obj.signer.province, obj.signer.kind)


def _import(user, obj=None, **context) -> bool:
    agency = context.get("agency")
    if agency is None:
        return policy.has_role(user, *HANDLERS)
    return may_handle(user, agency)


def _review(user, obj=None, **context) -> bool:
    province = context.get("province")
    return policy.is_staff_member(user) and (province is None or policy.in_province(user, province))


def _import_signers(user, obj=None, **context) -> bool:
    """Import a register of signers: the province's coordinators, or officers and leaders of an
    agency in charge of a kind of signer (each row's kind is checked too)."""
    from canhgiac.online.models import SignerKind

    province = context.get("province")
    if province is None or not policy.is_active_user(user):
        return False
    if policy.is_coordinator(user, province=province):
        return True
    from canhgiac.directory.models import Agency

    mine = Agency.objects.filter(pk__in=policy.agency_ids(user, *HANDLERS), province=province)
    return SignerKind.objects.filter(agency_code__in=mine.values("code")).exists()  # one query


VERBS = {
    "online.import_signers": _import_signers,
    "online.import": _import,
    "online.review": _review,
    "online.commitments": _review,
    "online.claim_signer": _claim,
}
