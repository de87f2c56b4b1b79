import pytest

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_commune_leader_who_can_approve_the_communes_reports():
    from canhgiac.accounts.demo import ensure_demo_accounts
    from canhgiac.accounts.models import User
    from canhgiac.core import policy

    ensure_demo_accounts()
    officer = User.objects.get(username="commune_officer")
    leader = User.objects.get(username="commune_leader")
    commune = officer.active_memberships()[0].agency
    assert commune.kind == "commune"
    assert policy.has_role(leader, policy.LEADER, agency=commune)


def test_the_demo_has_a_standing_office_leader_who_names_the_committee():
    from canhgiac.accounts.demo import ensure_demo_accounts
    from canhgiac.accounts.models import User
    from canhgiac.core import policy

    ensure_demo_accounts()
    director = User.objects.get(username="leader_sct")
    assert policy.can(director, "accounts.name_committee", province=director.active_memberships()[0].agency)
