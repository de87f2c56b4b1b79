"""The committee's head and deputies, named per province by the Standing Office's leaders (issue
11, item 11): audited, province-scoped, and told when the Standing Office's report is late. The
CANHGIAC_COMMITTEE_LEADERS setting stays as the fallback while a province has named nobody."""

import pytest

from canhgiac.accounts.models import CommitteeMember
from canhgiac.audit.models import AuditEvent
from canhgiac.core import policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def lang_son(settings):
    from canhgiac.directory import services as directory

    settings.CANHGIAC_PROVINCES = ["dak_lak", "lang_son"]
    return directory.setup_province("lang_son")


@pytest.fixture
def director_sct(make_user):
    return make_user("giam_doc_sct", "SCT", policy.LEADER)


def _province(code="dak_lak"):
    from canhgiac.directory.models import AdministrativeUnit

    return AdministrativeUnit.objects.get(codename=code, parent=None)


def test_the_standing_office_leader_names_the_head_and_deputies(signed_in, director_sct, make_user):
    head = make_user("pho_chu_tich_ubnd")  # the provincial Vice-Chairman: an account, no agency role
    deputy = make_user("giam_doc_ca", "CA", policy.LEADER)
    client = signed_in(director_sct)
    page = client.get("/accounts/committee/").content.decode()
    assert "pho_chu_tich_ubnd" in page and "Chưa có ai" in page
    for user, position, title in (
        (head, "1_head", "Phó Chủ tịch UBND tỉnh"),
        (deputy, "3_deputy", "Giám đốc Công an tỉnh"),
    ):
        response = client.post(
            "/accounts/committee/", {"user": user.pk, "position": position, "title": title}
        )
        assert response.status_code == 302
    rows = list(CommitteeMember.objects.filter(province=_province()).order_by("position"))
    assert [(r.user, r.position) for r in rows] == [(head, "1_head"), (deputy, "3_deputy")]
    assert AuditEvent.objects.filter(action="accounts.committeemember.create").count() == 2
    page = client.get("/accounts/committee/").content.decode()
    table = page.split('data-testid="committee"')[1]
    assert table.index("Trưởng ban") < table.index("Phó Trưởng ban") and "Phó Chủ tịch UBND tỉnh" in table
    # A second head is refused with a message naming the problem.
    other = make_user("nguoi_khac")
    page = client.post("/accounts/committee/", {"user": other.pk, "position": "1_head"}).content.decode()
    assert "đã có Trưởng ban" in page
    # Removing is audited too.
    client.post("/accounts/committee/", {"remove": rows[1].pk})
    assert AuditEvent.objects.filter(action="accounts.committeemember.delete").count() == 1
    assert list(CommitteeMember.objects.values_list("user", flat=True)) == [head.pk]


def test_only_the_standing_office_s_leaders_of_the_province_name_them(
    signed_in, director_sct, coordinator_sct, leader_qltt, lang_son, make_user
):
    leader_ls = make_user("giam_doc_qltt_ls", f"{lang_son.code}:QLTT", policy.LEADER)  # LS Standing Office
    verb = "accounts.name_committee"
    assert policy.can(director_sct, verb, province=_province())
    assert not policy.can(director_sct, verb, province=lang_son)
    assert policy.can(leader_ls, verb, province=lang_son)
    assert not policy.can(leader_ls, verb, province=_province())
    for user in (coordinator_sct, leader_qltt):  # not a leader, or not the Standing Office
        assert not policy.can(user, verb, province=_province())
        assert signed_in(user).get("/accounts/committee/").status_code == 403
    # Lạng Sơn's leader sees Lạng Sơn only, and cannot name a Đắk Lắk account there.
    client = signed_in(leader_ls)
    page = client.get("/accounts/committee/").content.decode()
    assert "Lạng Sơn" in page and "giam_doc_sct" not in page
    response = client.post(
        f"/accounts/committee/?province={_province().code}", {"user": director_sct.pk, "position": "3_deputy"}
    )
    assert not CommitteeMember.objects.exists()
    assert response.status_code in (200, 302)
    assert not CommitteeMember.objects.filter(province=_province()).exists()
