import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from canhgiac.audit.models import AuditEvent
from canhgiac.cases import services
from canhgiac.cases.models import Case, Inspection

pytestmark = pytest.mark.django_db


def _data(units, **extra):
    data = {
        "lead_agency_code": "QLTT",
        "detected_on": dt.date(2026, 3, 1),
        "unit_code": units[0].code,
        "address": "12 Lê Duẩn",
        "violation_type": "counterfeit",
        "summary": "Bán mỹ phẩm giả",
        "online_url": "https://www.facebook.com/shop.abc",
        "online_platform": "Facebook",
        "goods": [
            {
                "goods_category": "cosmetics",
                "description": "Son môi giả",
                "quantity": 50,
                "unit": "thỏi",
                "value_vnd": 7_500_000,
            }
        ],
        "origin": "tip:ABC234",
        "sensitive": False,
    }
    data.update(extra)
    return data


def test_create_case_records_everything_in_one_go_with_a_reference(units, officer_qltt):
    case = services.create_case(officer_qltt, _data(units))
    assert case.reference == "VV-2026-000001"
    assert case.get_absolute_url() == f"/cases/{case.pk}/"
    assert (case.origin, case.goods_value_vnd, case.created_by) == ("tip:ABC234", 7_500_000, officer_qltt)
    assert services.create_case(officer_qltt, _data(units)).reference == "VV-2026-000002"
    actions = set(
        AuditEvent.objects.filter(object_id=str(case.pk), object_type="cases.case").values_list(
            "action", flat=True
        )
    )
    assert "cases.case.create" in actions


def test_create_case_names_each_bad_field_in_vietnamese(units, officer_qltt):
    with pytest.raises(ValidationError) as info:
        services.create_case(
            officer_qltt,
            _data(
                units,
                unit_code="0000",
                violation_type="",
                summary=" ",
                detected_on="2026-02-30",
                online_url="ftp://x",
                goods=[{"goods_category": "nope", "description": "", "value_vnd": -1}],
            ),
        )
    errors = info.value.message_dict
    assert set(errors) >= {"unit_code", "violation_type", "summary", "detected_on", "online_url", "goods"}
    # the same rule and message as the import's (cases/validation.py), with the field's label
    assert errors["detected_on"] == [
        "Ngày phát hiện: “2026-02-30” không phải ngày dạng YYYY-MM-DD hoặc dd/mm/yyyy."
    ]
    assert any("Hàng hóa dòng 1" in m and "trị giá" in m for m in errors["goods"])
    assert Case.objects.count() == 0


def test_the_form_api_and_import_give_the_same_message_for_the_same_mistake(units, csv_bytes):
    from canhgiac.cases import imports

    with pytest.raises(ValidationError) as info:
        services.create_case(None, _data(units, fine_vnd="abc"))
    row = {
        "case_ref": "X-1",
        "agency_code": "QLTT",
        "detected_on": "2026-02-03",
        "unit_code": units[0].code,
        "violation_type": "counterfeit",
        "summary": "Bán hàng giả",
        "fine_vnd": "abc",
    }
    result = imports.import_cases(csv_bytes([row]), "x.csv")
    imported = next(e.message for e in result.errors if e.column == "fine_vnd")
    assert info.value.message_dict["fine_vnd"] == ["Tiền phạt: " + imported]


def test_an_officer_cannot_record_a_case_for_another_agency(units, officer_ca):
    with pytest.raises(ValidationError) as info:
        services.create_case(officer_ca, _data(units))
    assert "lead_agency_code" in info.value.message_dict


def test_a_viewer_cannot_record_cases(units, viewer_syt):
    with pytest.raises(PermissionDenied):
        services.create_case(viewer_syt, _data(units, lead_agency_code="SYT"))


def test_a_closed_case_needs_an_outcome_and_defendants_need_prosecution(units, officer_qltt):
    with pytest.raises(ValidationError) as info:
        services.create_case(officer_qltt, _data(units, status="closed", defendants=2))
    assert set(info.value.message_dict) == {"outcome", "defendants"}


def test_update_case_changes_only_the_given_keys(units, officer_qltt):
    case = services.create_case(officer_qltt, _data(units))
    services.update_case(
        officer_qltt,
        case,
        {"outcome": "administrative", "fine_vnd": 5_000_000, "budget_revenue_vnd": 8_000_000},
    )
    case.refresh_from_db()
    assert (case.status, case.outcome, case.summary, case.goods.count()) == (
        "closed",
        "administrative",
        "Bán mỹ phẩm giả",
        1,
    )


def test_subjects_are_matched_on_their_exact_identifier_within_the_agency(units, officer_qltt, officer_ca):
    person = {"kind": "person", "name": "Trần Văn Bình", "identifier": "066090001234", "role": "seller"}
    a = services.create_case(officer_qltt, _data(units, subjects=[person]))
    again = services.create_case(officer_qltt, _data(units, subjects=[dict(person, role="owner")]))
    b = services.create_case(
        officer_ca,
        _data(units, lead_agency_code="CA", subjects=[dict(person, name="Tran Van Binh", role="owner")]),
    )
    assert a.subject_links.get().subject_id == again.subject_links.get().subject_id
    # another agency keeps its own record of the same person (issue 9)
    theirs = b.subject_links.get().subject
    assert theirs.pk != a.subject_links.get().subject_id and theirs.name == "Tran Van Binh"


def test_a_possible_duplicate_from_another_agency_is_found(units, officer_qltt, officer_ca):
    a = services.create_case(officer_qltt, _data(units))
    b = services.create_case(officer_ca, _data(units, lead_agency_code="CA", detected_on=dt.date(2026, 3, 3)))
    far = services.create_case(
        officer_ca, _data(units, lead_agency_code="CA", detected_on=dt.date(2026, 3, 9))
    )
    found = services.possible_duplicates(a)
    assert [d["case"] for d in found] == [b]
    assert far not in [d["case"] for d in found]
    assert services.possible_duplicates(services.create_case(officer_qltt, _data(units))) != []


def test_the_same_subject_id_in_another_agencys_case_is_a_possible_duplicate(units, officer_qltt, officer_ca):
    person = {"kind": "person", "name": "Lê Thị Cúc", "identifier": "066185000111", "role": "owner"}
    a = services.create_case(officer_qltt, _data(units, subjects=[person]))
    b = services.create_case(
        officer_ca,
        _data(
            units,
            lead_agency_code="CA",
            unit_code=units[1].code,
            goods=[],
            detected_on=dt.date(2025, 1, 1),
            subjects=[person],
        ),
    )
    reasons = services.possible_duplicates(a)[0]["reasons"]
    assert services.possible_duplicates(a)[0]["case"] == b and "cùng số định danh đối tượng" in reasons


def _inspection(user, agency, day, **extra):
    data = {
        "agency": agency,
        "business_name": "Công ty TNHH Hưng Thịnh",
        "business_tax_code": "6001234567",
        "planned_on": day,
        "status": Inspection.Status.PLANNED,
    }
    data.update(extra)
    return services.save_inspection(user, data)


def test_an_inspection_of_a_business_another_agency_inspected_within_12_months_is_warned(
    agency, officer_qltt, make_user
):
    officer_syt = make_user("officer_syt", "SYT", "officer")
    first, overlaps = _inspection(
        officer_syt, agency("SYT"), dt.date(2025, 12, 1), status="done", done_on=dt.date(2025, 12, 1)
    )
    assert overlaps == []
    second, overlaps = _inspection(officer_qltt, agency("QLTT"), dt.date(2026, 6, 1))
    # found through the tax code although each agency keeps its own record of the business
    assert overlaps == [first] and second.business_id != first.business_id
    assert second.business.identifier == first.business.identifier
    _later, overlaps = _inspection(officer_qltt, agency("QLTT"), dt.date(2027, 3, 1))
    assert overlaps == []


def test_inspection_figures_count_planned_and_done(agency, officer_qltt):
    _inspection(officer_qltt, agency("QLTT"), dt.date(2026, 2, 1), status="done", done_on=dt.date(2026, 2, 2))
    _inspection(officer_qltt, agency("QLTT"), dt.date(2026, 3, 1))
    _inspection(officer_qltt, agency("QLTT"), dt.date(2026, 3, 5), status="cancelled")
    assert services.inspection_figures(None, dt.date(2026, 1, 1), dt.date(2026, 12, 31)) == {
        "planned": 2,
        "done": 1,
    }
    assert services.inspection_figures(
        officer_qltt, dt.date(2026, 1, 1), dt.date(2026, 12, 31), agency_code="CA"
    ) == {"planned": 0, "done": 0}


def test_a_done_inspection_needs_its_date(agency, officer_qltt):
    with pytest.raises(ValidationError) as info:
        _inspection(officer_qltt, agency("QLTT"), dt.date(2026, 2, 1), status="done")
    assert "done_on" in info.value.message_dict


def test_a_warning_naming_a_private_person_is_refused(units, officer_qltt, coordinator_sct):
    person = {"kind": "person", "name": "Phạm Thị Dung", "identifier": "066300000999", "role": "seller"}
    case = services.create_case(officer_qltt, _data(units, subjects=[person], outcome="administrative"))
    draft = services.warning_draft(case)
    assert "Phạm" not in draft["body"] and "066300000999" not in draft["body"]
    with pytest.raises(ValidationError):
        services.save_warning(
            coordinator_sct, dict(draft, case=case, body=draft["body"] + " Bà Pham Thi Dung."), publish=True
        )
    with pytest.raises(ValidationError):
        services.save_warning(
            coordinator_sct, dict(draft, case=case, body="CCCD 066 300 000 999"), publish=True
        )
    with pytest.raises(PermissionDenied):
        services.save_warning(officer_qltt, dict(draft, case=case), publish=True)
    warning = services.save_warning(coordinator_sct, dict(draft, case=case), publish=True)
    assert warning.is_published and warning in services.published_warnings()


def test_a_warning_is_only_drawn_from_a_handled_case(units, officer_qltt, coordinator_sct):
    case = services.create_case(officer_qltt, _data(units))
    with pytest.raises(ValidationError):
        services.save_warning(coordinator_sct, dict(services.warning_draft(case), case=case))


def test_a_tip_handler_opens_a_case_but_cannot_change_or_import(units, tip_handler_qltt, signed_in):
    case = services.create_case(tip_handler_qltt, _data(units, origin="tip:XYZ789"))
    assert case.created_by == tip_handler_qltt
    with pytest.raises(PermissionDenied):
        services.update_case(tip_handler_qltt, case, {"summary": "Sửa nội dung vụ việc."})
    client = signed_in(tip_handler_qltt)
    assert client.get("/cases/new/").status_code == 200
    assert client.get("/cases/import/").status_code == 403


def test_a_case_from_a_tip_keeps_its_origin(units, leader_qltt, signed_in):
    case = services.create_case(leader_qltt, _data(units, origin="tip:XYZ789"))
    assert case.origin == "tip:XYZ789"
    page = signed_in(leader_qltt).get(case.get_absolute_url()).content.decode()
    assert "/tips/?q=XYZ789" in page and "Tin báo XYZ789" in page
