"""The one permission policy of the system.

Every read is scoped with `visible_to(user, queryset)` and every action checked with
`can(user, action, obj=None, **context)` (or `require(...)`, which raises PermissionDenied).
Apps plug their rules in from their own `rules.py`, registered in AppConfig.ready():

- `register(Model, rule)`: a `Rule` decides "view", "add", "change", "delete" and model verbs
  ("transfer", "approve", ...) on a model's objects; a model without a rule is its province
  administrators' only.
- `register_verb("app.verb", check)`: an action that is not about one object ("cases.import",
  "cases.figures", "reporting.consolidate"); `check(user, obj, **context)` returns a bool.

Context names what the action is about when no object says it: `agency=`, `province=`,
`period=`. Province is a scope of every rule: each user acts within the province(s) of the
agencies of their active memberships; a national administrator (or a superuser) spans every
province; a national viewer reads de-identified aggregates (figures) only.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
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
    """Base rule: override `visible` and `can`. Helpers below read the user's memberships.
    `personal_actions` are answered by the rule alone, for national administrators too (an export's
    file is its owner's only)."""

    personal_actions: tuple[str, ...] = ()

    def visible(self, user, queryset: QuerySet) -> QuerySet:
        return queryset.none()

    def can(self, user, action: str, obj, **context) -> bool:
        return False


class ReferenceDataRule(Rule):
    """Reference data: every signed-in user reads it; administrators change it. With `path` (the
    lookup from the model to its province), changes keep to the user's province, and so do reads
    when `scoped_reads` (the responsibility matrix)."""

    def __init__(self, change_roles: tuple[str, ...] = (), path: str | None = None, scoped_reads=False):
        self.change_roles = change_roles
        self.path = path
        self.scoped_reads = scoped_reads

    def _scoped(self, user) -> bool:
        # A user with no membership yet reads the shared directory as before.
        return (
            self.scoped_reads
            and self.path is not None
            and bool(province_ids(user) or is_national_admin(user))
        )

    def visible(self, user, queryset):
        return scope(user, queryset, self.path) if self._scoped(user) else queryset

    def can(self, user, action, obj, **context):
        province = context.get("province")
        if self.path and not isinstance(obj, type) and obj is not None:
            province = object_province(obj, self.path)
        if action == "view":
            return province is None or not self._scoped(user) or in_province(user, province)
        return bool(self.change_roles) and has_role(user, *self.change_roles, province=province)


_rules: dict[str, Rule] = {}
_verbs: dict[str, Callable[..., bool]] = {}


def _label(model) -> str:
    return model._meta.label_lower


def register(model, rule: Rule) -> None:
    _rules[_label(model)] = rule


def register_verb(name: str, check: Callable[..., bool]) -> None:
    """An action not about one object: check(user, obj, **context) -> bool."""
    _verbs[name] = check


def rule_for(model) -> Rule | None:
    return _rules.get(_label(model))


# --- who the user is ------------------------------------------------------------------------


def is_active_user(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def _memberships(user):
    return user.active_memberships() if is_active_user(user) else []


def is_national_admin(user) -> bool:
    return is_active_user(user) and (
        user.is_superuser or any(m.role == NATIONAL_ADMIN for m in _memberships(user))
    )


def is_national_viewer(user) -> bool:
    return any(m.role == NATIONAL_VIEWER for m in _memberships(user))


def is_figures_only(user) -> bool:
    """A national viewer and nothing more (no agency role, not a national administrator): reads
    de-identified aggregates across provinces and opens no record, list or export."""
    return is_national_viewer(user) and not is_national_admin(user) and not agency_ids(user)


# Pages (URL names) a figures-only user may open: each app registers its aggregate pages in its
# rules.py (`register_figures_page`); every other page is closed to them (FiguresOnlyMiddleware).
_figures_pages: set[str] = set()


def register_figures_page(*view_names: str) -> None:
    _figures_pages.update(view_names)


def is_figures_page(view_name: str) -> bool:
    return view_name in _figures_pages


def _province_id(province) -> int | None:
    if province is None:
        return None
    if isinstance(province, int):
        return province
    # An AdministrativeUnit (a province or one of its communes) or an Agency.
    if hasattr(province, "parent_id"):
        return province.parent_id or province.pk
    return getattr(province, "province_id", None)


province_id_of = _province_id


def province_ids(user) -> set[int] | None:
    """The provinces the user acts in; None means every province (national administrators)."""
    if is_national_admin(user):
        return None
    return {m.agency.province_id for m in _memberships(user) if m.agency_id}


def in_province(user, province) -> bool:
    ids = province_ids(user)
    return ids is None or _province_id(province) in ids


def object_province(obj, path: str):
    """Follow `path` ("lead_agency__province") from obj to its province id."""
    parts = path.split("__")
    for part in parts[:-1]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return getattr(obj, f"{parts[-1]}_id", None)


def scope(user, queryset: QuerySet, path: str) -> QuerySet:
    """`queryset` kept to the user's provinces; `path` leads from the model to its province."""
    ids = province_ids(user)
    return queryset if ids is None else queryset.filter(**{f"{path}__in": ids})


def has_role(user, *roles: str, agency=None, province=None) -> bool:
    """The user holds one of `roles` (in `agency`, or in an agency of `province`, when given)."""
    if not is_active_user(user):
        return False
    if is_national_admin(user):
        return True
    agency_id = getattr(agency, "pk", agency)
    province_id = _province_id(province)
    return any(
        m.role in roles
        and (agency_id is None or m.agency_id == agency_id)
        and (province_id is None or (m.agency_id and m.agency.province_id == province_id))
        for m in _memberships(user)
    )


def is_admin(user, province=None) -> bool:
    """An administrator of `province` (of any province when None), or a national administrator."""
    return has_role(user, ADMIN, province=province)


def is_coordinator(user, province=None) -> bool:
    """The Standing Office (and administrators) oversee every agency of their province."""
    return has_role(user, ADMIN, COORDINATOR, province=province)


def overseen_provinces(user) -> set[int]:
    """Provinces where the user is a coordinator or administrator (oversees every agency)."""
    return {
        m.agency.province_id for m in _memberships(user) if m.agency_id and m.role in (ADMIN, COORDINATOR)
    }


def standing_office_member(user, province=None) -> bool:
    """Any member of the Standing Office's agency of `province` (of any province when None).
    The one place this question is answered."""
    if is_national_admin(user):
        return True
    province_id = _province_id(province)
    return any(
        m.agency_id
        and m.agency.is_standing_office
        and (province_id is None or m.agency.province_id == province_id)
        for m in _memberships(user)
    )


def agency_ids(user, *roles: str) -> set[int]:
    """Agencies where the user holds one of `roles` (any role when none given)."""
    return {m.agency_id for m in _memberships(user) if m.agency_id and (not roles or m.role in roles)}


def is_staff_member(user) -> bool:
    """Holds a role in an agency or oversees a province (the staff pages' audience)."""
    return is_national_admin(user) or bool(agency_ids(user))


# --- external principals: businesses (and, later, other signers) -------------------------------
#
# Manufacturers, importers and distributors are accounts too, but not staff: a business user holds
# no agency membership, acts for one or more organisations, and sees and changes only what is
# theirs. The app that owns such organisations registers a resolver (user -> ids of the
# organisations the user acts for); rules then ask `business_ids(user)`.

BUSINESS = "business"
_principal_resolvers: dict[str, Callable[[object], set[int]]] = {}


def register_principal(kind: str, resolver: Callable[[object], set[int]]) -> None:
    """`resolver(user)` -> ids of the organisations of `kind` the (active) user acts for."""
    _principal_resolvers[kind] = resolver


def principal_ids(user, kind: str) -> set[int]:
    """Ids of the organisations of `kind` the user acts for (cached per user instance)."""
    if not is_active_user(user) or kind not in _principal_resolvers:
        return set()
    cache = user.__dict__.setdefault("_principals_cache", {})
    if kind not in cache:
        cache[kind] = set(_principal_resolvers[kind](user))
    return cache[kind]


def business_ids(user) -> set[int]:
    return principal_ids(user, BUSINESS)


def is_business_user(user) -> bool:
    return bool(business_ids(user))


def is_external(user) -> bool:
    """An external principal (a business user) who is not also staff: the staff pages are closed
    to them (core.middleware.ExternalPrincipalMiddleware)."""
    return (
        is_active_user(user)
        and not is_staff_member(user)
        and any(principal_ids(user, kind) for kind in _principal_resolvers)
    )


# --- the two questions ----------------------------------------------------------------------


def visible_to(user, queryset: QuerySet) -> QuerySet:
    rule = rule_for(queryset.model)
    if not is_active_user(user):
        return rule.visible(user, queryset) if isinstance(rule, PublicRule) else queryset.none()
    if is_national_admin(user):
        return queryset
    if rule is None:
        return queryset if is_admin(user) else queryset.none()
    return rule.visible(user, queryset)


def _rule_can(rule: Rule, user, action, obj, context) -> bool:
    # Rules written before context existed take (user, action, obj) only.
    return rule.can(user, action, obj, **context) if context else rule.can(user, action, obj)


def can(user, action: str, obj: Model | type[Model] | None = None, **context) -> bool:
    """May `user` do `action` (on `obj`, with `context`: agency=, province=, period=)?"""
    verb = _verbs.get(action)
    if verb is not None:
        if is_national_admin(user):
            return True
        return bool(verb(user, obj, **context))
    if obj is None:
        return is_national_admin(user)
    model = obj if isinstance(obj, type) else type(obj)
    rule = rule_for(model)
    if not is_active_user(user):
        return isinstance(rule, PublicRule) and _rule_can(rule, user, action, obj, context)
    if is_national_admin(user) and action not in getattr(rule, "personal_actions", ()):
        return True
    if rule is None:
        return is_admin(user, province=context.get("province"))
    return _rule_can(rule, user, action, obj, context)


def require(user, action: str, obj: Model | type[Model] | None = None, **context) -> None:
    """`can`, raising PermissionDenied when the answer is no."""
    if not can(user, action, obj, **context):
        raise PermissionDenied


class PublicRule(Rule):
    """For the few things anonymous visitors may see (published warnings, hotlines)."""
