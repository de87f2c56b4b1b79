"""Reference data: every signed-in user reads the shared lists; the units, the agency directory (a
phone book) and the responsibility matrix are those of their own province; administrators change them
(coordinators the matrix), in their province only. The Standing Office (coordinators) also sets
which communes of its province lie on the border (`set_border`), and administrators load the units' coordinates (`directory.import_locations`)."""

from canhgiac.core import policy
from canhgiac.directory import models


def register_rules() -> None:
    # Loading the units' coordinates (reference data): the province's administrators, for the
    # units of their province; national administrators (allowed every verb) for all.
    policy.register_verb(
        "directory.import_locations",
        lambda user, obj=None, province=None, **context: policy.is_admin(user, province=province),
    )
    for model in (models.Field, models.GoodsCategory, models.ViolationType):
        policy.register(model, policy.ReferenceDataRule(change_roles=(policy.ADMIN,)))
    policy.register(
        models.Agency, AgencyRule(change_roles=(policy.ADMIN,), path="province", scoped_reads=True)
    )
    policy.register(models.AdministrativeUnit, UnitRule())
    policy.register(
        models.Responsibility,
        policy.ReferenceDataRule(
            change_roles=(policy.ADMIN, policy.COORDINATOR), path="lead__province", scoped_reads=True
        ),
    )


class AgencyRule(policy.ReferenceDataRule):
    """Each agency's leaders publish its own hotline, email and hours (`publish_hotline`)."""

    def can(self, user, action, obj, **context):
        if action == "publish_hotline" and obj is not None and not isinstance(obj, type):
            return policy.is_admin(user, province=obj.province_id) or policy.has_role(
                user, policy.LEADER, agency=obj.pk
            )
        return super().can(user, action, obj, **context)


class UnitRule(policy.ReferenceDataRule):
    """A province and its wards and communes; `province` of a unit is itself or its parent."""

    def __init__(self):
        super().__init__(change_roles=(policy.ADMIN,))

    def visible(self, user, queryset):
        """The user's own province and its communes (all for national administrators, and for a
        user without a province yet)."""
        from django.db.models import Q

        ids = policy.province_ids(user)
        if not ids:
            return queryset
        return queryset.filter(Q(parent__in=ids) | Q(pk__in=ids))

    def can(self, user, action, obj, **context):
        if action == "view":
            return True
        province = obj if not isinstance(obj, type) and obj is not None else context.get("province")
        if action == "set_border":
            return province is not None and policy.is_coordinator(user, province=province)
        return policy.has_role(user, policy.ADMIN, province=province)
