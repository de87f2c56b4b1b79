"""Issue 9, item 3: a subject entered by one agency is never merged into, or filled from, another
agency's record; what other agencies hold is shown only as far as the policy allows."""

import importlib

import pytest
from django.apps import apps

from canhgiac.accounts import services as accounts
from canhgiac.audit.models import AuditEvent
from canhgiac.cases import services as cases
from canhgiac.cases.models import CaseSubject
from canhgiac.core import policy
from canhgiac.subjects import services
from canhgiac.subjects.models import Subject

pytestmark = pytest.mark.django_db

CITIZEN_ID = "066190000555"
QLTT_SUBJECT = {
    "kind": "person",
    "name": "Trần Thị Bí Mật",
    "identifier": CITIZEN_ID,
    "phone": "0905111222",
    "address": "12 Hẻm Kín, Buôn Ma Thuột",
    "role": "organiser",
}
CA_SUBJECT = {"kind": "person", "name": "Tran Thi B", "identifier": "066-190-000-555", "role": "seller"}


@pytest.fixture
def qltt_sensitive(make_case):
    return make_case("QLTT", sensitive=True, visibility="all", subjects=[QLTT_SUBJECT])


def _api(user):
    from django.test import Client

    _token, raw = accounts.issue_token(user, "kiểm thử")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_api_answer_gives_the_officer_his_own_entry_not_the_other_agencys_name(
    qltt_sensitive, officer_ca, units
):
    response = _api(officer_ca).post(
        "/api/v1/cases/",
        {
            "lead_agency_code": "CA",
            "detected_on": "2026-03-10",
            "unit_code": units[0].code,
            "violation_type": "counterfeit",
            "summary": "Vụ của Công an",
            "subjects": [CA_SUBJECT],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.content.decode()
    assert "Bí Mật" not in body and "Hẻm Kín" not in body and "0905111222" not in body
    assert response.json()["subjects"][0]["name"] == "Tran Thi B"
    # Two records, one per agency; QLTT's is untouched.
    assert Subject.objects.filter(identifier=CITIZEN_ID).count() == 2
    qltt_record = Subject.objects.get(identifier=CITIZEN_ID, recorded_by_agency__code="QLTT")
    assert (qltt_record.name, qltt_record.phone) == ("Trần Thị Bí Mật", "0905111222")


def test_a_second_agency_entering_the_same_person_fills_nothing_from_the_first(qltt_sensitive, agency):
    record, created = services.match_or_create(
        kind="person", name="Tran Thi B", identifier=CITIZEN_ID, agency=agency("CA")
    )
    assert created and record.name == "Tran Thi B" and record.phone == "" and record.address == ""
    # and what CA adds never reaches QLTT's record either
    services.match_or_create(
        kind="person",
        name="Tran Thi B",
        identifier=CITIZEN_ID,
        birth_date=None,
        phone="0987",
        agency=agency("CA"),
    )
    assert Subject.objects.get(recorded_by_agency__code="QLTT").phone == "0905111222"


def test_the_subject_page_shows_only_the_officers_record_and_the_other_agencys_contact(
    qltt_sensitive, make_case, signed_in, officer_ca, agency
):
    make_case("CA", subjects=[CA_SUBJECT])
    mine = Subject.objects.get(recorded_by_agency__code="CA")
    html = signed_in(officer_ca).get(f"/subjects/{mine.pk}/").content.decode()
    assert "Tran Thi B" in html
    for secret in ("Bí Mật", "0905111222", "Hẻm Kín", qltt_sensitive.reference):
        assert secret not in html, secret
    qltt = agency("QLTT")
    assert qltt.name in html and "có hồ sơ bạn không được xem" in html
    if qltt.hotline:
        assert qltt.hotline in html
    theirs = Subject.objects.get(recorded_by_agency__code="QLTT")
    assert signed_in(officer_ca).get(f"/subjects/{theirs.pk}/").status_code == 404


def test_a_shared_case_lets_the_other_agency_see_the_record_it_came_from(make_case, signed_in, officer_ca):
    shared = make_case("QLTT", visibility="all", subjects=[QLTT_SUBJECT])
    make_case("CA", subjects=[CA_SUBJECT])
    mine = Subject.objects.get(recorded_by_agency__code="CA")
    theirs = Subject.objects.get(recorded_by_agency__code="QLTT")
    elsewhere = services.known_elsewhere(officer_ca, mine)
    assert elsewhere == {"records": [theirs], "holders": []}
    html = signed_in(officer_ca).get(f"/subjects/{theirs.pk}/").content.decode()
    assert shared.reference in html and "0905111222" in html


def test_the_duplicates_panel_names_no_case_the_officer_may_not_see(
    qltt_sensitive, make_case, signed_in, officer_ca, agency
):
    unshared = make_case("QLTT", detected_on="2026-03-11")  # same commune and goods, unshared
    visible = make_case("QLTT", visibility="all", detected_on="2026-03-09")
    mine = make_case("CA", subjects=[CA_SUBJECT])
    html = signed_in(officer_ca).get(mine.get_absolute_url()).content.decode()
    assert "Có thể trùng lặp" in html
    assert qltt_sensitive.reference not in html and unshared.reference not in html
    assert "11/03/2026" not in html
    assert visible.reference in html and "09/03/2026" in html
    assert agency("QLTT").name in html and "mà bạn không được xem" in html


def test_duplicates_for_a_coordinator_list_every_case_with_its_reasons(
    qltt_sensitive, make_case, coordinator_sct
):
    mine = make_case("CA", subjects=[CA_SUBJECT])
    found = cases.duplicates_for(coordinator_sct, mine)
    assert [d["case"] for d in found["cases"]] == [qltt_sensitive] and found["holders"] == []
    assert "cùng số định danh đối tượng" in found["cases"][0]["reasons"]


def test_another_province_gets_its_own_record_and_no_reference(
    qltt_sensitive, make_user, settings, signed_in
):
    from canhgiac.directory import services as directory

    settings.CANHGIAC_PROVINCES = ["dak_lak", "lang_son"]
    province = directory.setup_province("lang_son")
    lang_son_ca = accounts.agency_for_code("CA", province)
    officer = make_user("officer_ca_lang_son", lang_son_ca.key, policy.OFFICER)
    unit = directory.units("lang_son").first()
    case = cases.create_case(
        officer,
        {
            "lead_agency_code": lang_son_ca.code,
            "detected_on": "2026-03-10",
            "unit_code": unit.code,
            "violation_type": "counterfeit",
            "summary": "Vụ ở Lạng Sơn",
            "subjects": [CA_SUBJECT],
        },
    )
    record = case.subject_links.get().subject
    assert record.recorded_by_agency == lang_son_ca and record.name == "Tran Thi B" and not record.phone
    html = signed_in(officer).get(case.get_absolute_url()).content.decode()
    assert qltt_sensitive.reference not in html and "Bí Mật" not in html
    html = signed_in(officer).get(f"/subjects/{record.pk}/").content.decode()
    assert "Bí Mật" not in html and "0905111222" not in html and "có hồ sơ bạn không được xem" in html


def test_the_migration_splits_a_merged_record_per_agency(qltt_sensitive, make_case):
    ca_case = make_case("CA")
    merged = qltt_sensitive.subject_links.get().subject
    CaseSubject.objects.create(case=ca_case, subject=merged, role="seller")  # the old merge
    migration = importlib.import_module("canhgiac.subjects.migrations.0002_subject_per_agency")
    migration.split_per_agency(apps, None)
    ca_record = ca_case.subject_links.get().subject
    assert ca_record.pk != merged.pk and ca_record.recorded_by_agency.code == "CA"
    assert ca_record.identifier == CITIZEN_ID and ca_record.phone == "" and ca_record.address == ""
    assert qltt_sensitive.subject_links.get().subject_id == merged.pk
    assert AuditEvent.objects.filter(action="subjects.subject_split", object_id=str(ca_record.pk)).exists()
    migration.split_per_agency(apps, None)  # nothing left to split
    assert Subject.objects.filter(identifier=CITIZEN_ID).count() == 2
