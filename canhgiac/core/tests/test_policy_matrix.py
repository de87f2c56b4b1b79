"""The permission matrix of the foundation: every role (and an anonymous visitor) × object × action.

Each row reads: (role, object, action, allowed). Later apps add their own matrices next to their
rules; this one covers reference data, the responsibility matrix, accounts, the audit trail and jobs.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from canhgiac.audit import services as audit
from canhgiac.audit.models import AuditEvent
from canhgiac.core import policy
from canhgiac.core.models import Job
from canhgiac.directory.models import Agency, GoodsCategory, Responsibility

pytestmark = pytest.mark.django_db

ROLES = [
    policy.ADMIN,
    policy.COORDINATOR,
    policy.LEADER,
    policy.OFFICER,
    policy.TIP_HANDLER,
    policy.ANALYST,
    policy.VIEWER,
]

# object -> action -> roles allowed (anonymous is never allowed on these)
MATRIX = {
    "goods_category": {"view": set(ROLES), "change": {policy.ADMIN}},
    "agency": {"view": set(ROLES), "change": {policy.ADMIN}, "delete": {policy.ADMIN}},
    "responsibility": {
        "view": set(ROLES),
        "change": {policy.ADMIN, policy.COORDINATOR},
        "add": {policy.ADMIN, policy.COORDINATOR},
    },
    "audit_event": {"view": {policy.ADMIN, policy.COORDINATOR}, "change": set(), "delete": set()},
    "other_user": {"view": {policy.ADMIN, policy.COORDINATOR}, "change": {policy.ADMIN}},
    "other_users_job": {"view": {policy.ADMIN}},
}


@pytest.fixture
def objects(make_user):
    stranger = make_user("stranger", "CA", policy.OFFICER)
    return {
        "goods_category": GoodsCategory.objects.get(code="milk"),
        "agency": Agency.objects.get(code="HQ"),
        "responsibility": Responsibility.objects.first(),
        "audit_event": audit.record("test.event"),
        "other_user": stranger,
        "other_users_job": Job.objects.create(kind="test", title="x", owner=stranger),
    }


CASES = [
    (role, obj, action, role in allowed)
    for obj, actions in MATRIX.items()
    for action, allowed in actions.items()
    for role in ROLES
]


@pytest.mark.parametrize("role,obj,action,allowed", CASES, ids=[f"{r}-{o}-{a}" for r, o, a, _ in CASES])
def test_permission_matrix(make_user, objects, role, obj, action, allowed):
    # The agency does not matter for these objects: a member agency and a commune are both tried.
    for agency_code in ("QLTT", Agency.objects.filter(kind=Agency.Kind.COMMUNE).first().code):
        user = make_user(f"{role}_{agency_code}", agency_code, role)
        target = objects[obj]
        assert policy.can(user, action, target) is allowed, (role, agency_code, obj, action)
        if action == "view":
            visible = policy.visible_to(user, type(target).objects.filter(pk=target.pk)).exists()
            assert visible is allowed, (role, agency_code, obj, "visible_to")


@pytest.mark.parametrize("obj", list(MATRIX))
def test_an_anonymous_visitor_sees_and_changes_nothing(objects, obj):
    anonymous = AnonymousUser()
    target = objects[obj]
    for action in MATRIX[obj]:
        assert policy.can(anonymous, action, target) is False
    assert not policy.visible_to(anonymous, type(target).objects.all()).exists()


def test_a_user_without_membership_sees_only_reference_data(make_user, objects):
    nobody = make_user("nobody")
    assert policy.visible_to(nobody, Agency.objects.all()).exists()
    assert not policy.visible_to(nobody, AuditEvent.objects.all()).exists()
    assert not policy.can(nobody, "change", objects["responsibility"])


def test_an_inactive_membership_grants_nothing(make_user, objects):
    user = make_user("former_coordinator", "SCT", policy.COORDINATOR)
    user.memberships.update(is_active=False)
    user = type(user).objects.get(pk=user.pk)
    assert not policy.can(user, "change", objects["responsibility"])


def test_a_superuser_may_do_everything(make_user, objects):
    root = make_user("root", is_superuser=True)
    assert all(policy.can(root, action, objects[obj]) for obj in MATRIX for action in MATRIX[obj])
