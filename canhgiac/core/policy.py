"""The one permission policy of the system.

Every read is scoped with `visible_to(user, queryset)` and every write checked with
`can(user, action, obj)`. Apps plug their rules in with `register(Model, rule)` from their
AppConfig.ready(); a model without a rule is visible and changeable by administrators only.

Actions are plain strings: "view", "add", "change", "delete", and app-specific verbs
("export", "transfer", "approve", ...). `obj` may be a model class for "add".
"""

from __future__ import annotations

from django.db.models import Model, QuerySet

# Roles (stored in accounts.Membership.role). Defined here so rules in any app can name them.
ADMIN = "admin"
COORDINATOR = "coordinator"
LEADER = "leader"
OFFICER = "officer"
TIP_HANDLER = "tip_handler"
ANALYST = "analyst"
VIEWER = "viewer"
# National users span every province loaded; their membership has no agency.
NATIONAL_ADMIN = "national_admin"
NATIONAL_VIEWER = "national_viewer"  # de-identified aggregates only
ROLES = (ADMIN, COORDINATOR, LEADER, OFFICER, TIP_HANDLER, ANALYST, VIEWER)
NATIONAL_ROLES = (NATIONAL_ADMIN, NATIONAL_VIEWER)


class Rule:
    """Base rule: override `visible` and `can`. Helpers below read the user's memberships."""

    def visible(self, user, queryset: QuerySet) -> QuerySet:
        return queryset.none()

    def can(self, user, action: str, obj) -> bool:
        return False


class ReferenceDataRule(Rule):
    """Reference data: every signed-in user reads it; administrators change it."""

    def __init__(self, change_roles: tuple[str, ...] = ()):
        self.change_roles = change_roles

    def visible(self, user, queryset):
        return queryset

    def can(self, user, action, obj):
        if action == "view":
            return True
        return bool(self.change_roles) and has_role(user, *self.change_roles)


_rules: dict[str, Rule] = {}


def _label(model) -> str:
    return model._meta.label_lower


def register(model, rule: Rule) -> None:
    _rules[_label(model)] = rule


def rule_for(model) -> Rule | None:
    return _rules.get(_label(model))


def is_active_user(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_admin(user) -> bool:
    return is_active_user(user) and (user.is_superuser or ADMIN in user.role_set())


def is_coordinator(user) -> bool:
    """The Standing Office (and administrators) oversee every agency."""
    return is_admin(user) or (is_active_user(user) and COORDINATOR in user.role_set())


def has_role(user, *roles: str, agency=None) -> bool:
    if not is_active_user(user):
        return False
    if user.is_superuser:
        return True
    agency_id = getattr(agency, "pk", agency)
    return any(
        m.role in roles and (agency_id is None or m.agency_id == agency_id) for m in user.active_memberships()
    )


def agency_ids(user, *roles: str) -> set[int]:
    """Agencies where the user holds one of `roles` (any role when none given)."""
    if not is_active_user(user):
        return set()
    return {m.agency_id for m in user.active_memberships() if not roles or m.role in roles}


def visible_to(user, queryset: QuerySet) -> QuerySet:
    if not is_active_user(user):
        rule = rule_for(queryset.model)
        return rule.visible(user, queryset) if isinstance(rule, PublicRule) else queryset.none()
    if user.is_superuser:
        return queryset
    rule = rule_for(queryset.model)
    if rule is None:
        return queryset if is_admin(user) else queryset.none()
    return rule.visible(user, queryset)


def can(user, action: str, obj: Model | type[Model]) -> bool:
    model = obj if isinstance(obj, type) else type(obj)
    rule = rule_for(model)
    if not is_active_user(user):
        return isinstance(rule, PublicRule) and rule.can(user, action, obj)
    if user.is_superuser:
        return True
    if rule is None:
        return is_admin(user)
    return rule.can(user, action, obj)


class PublicRule(Rule):
    """For the few things anonymous visitors may see (published warnings, hotlines)."""
