"""Sharing without leaking (issue 12, item 3): an entity is seen through the records the viewer may
see; other agencies' records show only as "this agency holds one" with its contact."""

import pytest
from django.http import Http404
from django.test import Client

from canhgiac.accounts import services as accounts
from canhgiac.subjects import services
from canhgiac.subjects.models import MatchPair, Subject

pytestmark = pytest.mark.django_db

QLTT_RECORD = {
    "kind": "person",
    "name": "Trần Thị Bí Mật",
    "identifier": "066190000555",
    "phone": "0905111222",
    "address": "12 Hẻm Kín, Buôn Ma Thuột",
    "role": "organiser",
}
CA_RECORD = {"kind": "person", "name": "Tran Thi B", "identifier": "066-190-000-555", "role": "seller"}


@pytest.fixture
def same_person(make_case):
    """QLTT records a person on a sensitive case; CA enters the same person (same citizen ID) on its
    own case form: the two records join one entity at once."""
    make_case("QLTT", sensitive=True, visibility="all", subjects=[QLTT_RECORD])
    make_case("CA", subjects=[CA_RECORD])
    qltt = Subject.objects.get(recorded_by_agency__code="QLTT")
    ca = Subject.objects.get(recorded_by_agency__code="CA")
    return qltt, ca


def _api(user):
    _token, raw = accounts.issue_token(user, "kiểm thử")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_record_entered_on_a_case_form_is_matched_at_once(same_person):
    qltt, ca = same_person
    assert qltt.entity_id is not None and qltt.entity_id == ca.entity_id
    assert MatchPair.objects.filter(status="auto").count() == 1


def test_entity_for_and_records_of_entity_tell_a_ca_officer_only_that_qltt_holds_a_record(
    same_person, officer_ca, agency
):
    qltt, ca = same_person
    entity = services.entity_for(ca)
    known = services.records_of_entity(entity, officer_ca)
    assert known["records"] == [ca]
    assert [h["agency"] for h in known["holders"]] == [str(agency("QLTT"))]
    assert set(known["holders"][0]) == {"agency", "name", "hotline", "email"}


def test_the_entity_page_never_shows_a_ca_officer_qltts_record(same_person, officer_ca, signed_in, agency):
    _qltt, ca = same_person
    html = signed_in(officer_ca).get(f"/subjects/entities/{ca.entity_id}/").content.decode()
    assert "Tran Thi B" in html
    for secret in ("Bí Mật", "0905111222", "Hẻm Kín"):
        assert secret not in html, secret
    assert agency("QLTT").name in html and "có hồ sơ bạn không được xem" in html


def test_the_entity_api_never_gives_a_ca_officer_qltts_record(same_person, officer_ca):
    _qltt, ca = same_person
    response = _api(officer_ca).get(f"/api/v1/subjects/entities/{ca.entity_id}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bí Mật" not in body and "0905111222" not in body and "Hẻm Kín" not in body
    data = response.json()
    assert [r["agency"] for r in data["records"]] == ["CA"] and len(data["holders"]) == 1


def test_the_rule_works_both_ways_qltt_sees_its_record_and_only_cas_contact(
    same_person, officer_qltt, signed_in, agency
):
    qltt, _ca = same_person
    html = signed_in(officer_qltt).get(f"/subjects/entities/{qltt.entity_id}/").content.decode()
    assert "Bí Mật" in html and "Tran Thi B" not in html and agency("CA").name in html


def test_a_coordinator_sees_both_records_and_why_they_were_joined(same_person, coordinator_sct, signed_in):
    qltt, _ca = same_person
    html = signed_in(coordinator_sct).get(f"/subjects/entities/{qltt.entity_id}/").content.decode()
    assert "Bí Mật" in html and "Tran Thi B" in html and "cùng số CCCD" in html


def test_an_entity_none_of_whose_records_the_user_may_see_is_not_found(same_person, viewer_syt, signed_in):
    _qltt, ca = same_person
    assert signed_in(viewer_syt).get(f"/subjects/entities/{ca.entity_id}/").status_code == 404


def test_another_provinces_officer_finds_no_entity(same_person, lang_son, ls, make_user, signed_in):
    _qltt, ca = same_person
    officer = make_user("officer_ca_ls", f"{lang_son.code}:CA", "officer")
    assert signed_in(officer).get(f"/subjects/entities/{ca.entity_id}/").status_code == 404


def test_the_review_queue_shows_only_pairs_whose_both_records_the_reviewer_sees(
    same_person, officer_ca, officer_qltt, agency
):
    qltt, ca = same_person
    other = Subject.objects.create(kind="person", name="Trần Thị Bí Mật", recorded_by_agency=agency("CA"))
    a, b = sorted((qltt.pk, other.pk))
    MatchPair.objects.create(left_id=a, right_id=b, status="review", probability=0.8)
    assert services.review_queue(officer_ca).count() == 0
    assert services.review_queue(officer_qltt).count() == 0  # QLTT may not see CA's unlinked record
    with pytest.raises(Http404):
        services.decide(officer_ca, a, b, "yes")
    assert Subject.objects.get(pk=other.pk).entity_id != Subject.objects.get(pk=qltt.pk).entity_id


def test_the_review_rule_keeps_to_the_province(coordinator_sct, lang_son, ls, make_user):
    from canhgiac.core import policy

    coordinator_ls = make_user("coordinator_ls", f"{lang_son.code}:SCT", "coordinator")
    dak_lak = coordinator_sct.active_memberships()[0].agency.province
    assert policy.can(coordinator_sct, "subjects.review", province=dak_lak)
    assert not policy.can(coordinator_ls, "subjects.review", province=dak_lak)
    assert policy.can(coordinator_ls, "subjects.review", province=lang_son)


def test_a_reviewer_decides_from_the_queue_page(same_person, make_case, coordinator_sct, signed_in, agency):
    qltt, _ca = same_person
    other = Subject.objects.create(kind="person", name="Tran T. Bi Mat", recorded_by_agency=agency("QLTT"))
    a, b = sorted((qltt.pk, other.pk))
    MatchPair.objects.create(
        left_id=a, right_id=b, status="review", probability=0.8, reasons=[["name_skeleton", 7.4]]
    )
    client = signed_in(coordinator_sct)
    html = client.get("/subjects/review/").content.decode()
    assert "Tran T. Bi Mat" in html and "cùng họ và tên gọi" in html
    response = client.post("/subjects/review/decide/", {"left": a, "right": b, "decision": "yes"})
    assert response.status_code == 302
    assert Subject.objects.get(pk=other.pk).entity_id == Subject.objects.get(pk=qltt.pk).entity_id
