"""Recording relations between subjects (form and API), their visibility like their source, the
audit trail, and the two-province rule of relations and of the ranked list."""

import pytest

from canhgiac.audit.models import AuditEvent
from canhgiac.core import policy
from canhgiac.core.tests.conftest import lang_son, officer_qltt_lang_son  # noqa: F401  (two provinces)
from canhgiac.subjects.models import Relation, Subject
from canhgiac.subjects.network import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(make_case):
    case = make_case(
        "QLTT",
        subjects=[
            {"kind": "organisation", "name": "Công ty TNHH Hoa Mai", "role": "owner"},
            {"kind": "person", "name": "Phạm Văn Giám", "role": "organiser"},
        ],
    )
    company, director = (link.subject for link in case.subject_links.order_by("pk"))
    return case, company, director


def relation(user, company, director, **extra):
    data = {
        "subject": director.pk,
        "other": company.pk,
        "kind": "directorship",
        "source": "document",
        "source_ref": "GCN ĐKDN 6001234562",
    }
    return services.add_relation(user, {**data, **extra})


def test_the_api_records_a_relation_and_the_audit_trail_has_it(pair, officer_qltt, signed_in):
    case, company, director = pair
    response = signed_in(officer_qltt).post(
        "/api/v1/subjects/relations",
        {
            "subject": director.pk,
            "other": company.pk,
            "kind": "directorship",
            "detail": "giám đốc",
            "source": "case",
            "case": case.reference,
            "start_date": "2024-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    rel = Relation.objects.get(pk=response.json()["id"])
    assert (rel.case, rel.recorded_by_agency.code, rel.created_by) == (case, "QLTT", officer_qltt)
    assert AuditEvent.objects.filter(action="subjects.relation.create", object_id=str(rel.pk)).exists()


def test_bad_input_is_refused_field_by_field_in_vietnamese(pair, officer_qltt, signed_in):
    _case, company, director = pair
    response = signed_in(officer_qltt).post(
        "/api/v1/subjects/relations",
        {
            "subject": director.pk,
            "other": 999_999,
            "kind": "cousin",
            "source": "case",
            "case": "VV-1900-1",
            "start_date": "2026-05-01",
            "end_date": "2026-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert set(fields) == {"other", "kind", "case", "end_date"}
    assert "Loại quan hệ không hợp lệ" in fields["kind"]
    assert not Relation.objects.exists()


def test_a_nul_character_is_refused_not_a_server_error(pair, officer_qltt, signed_in):
    _case, company, director = pair
    response = signed_in(officer_qltt).post(
        "/api/v1/subjects/relations",
        {"subject": director.pk, "other": company.pk, "kind": "family", "source": "case", "case": "VV\u0000"},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "case"


def test_the_form_records_a_relation_from_a_document(pair, officer_qltt, signed_in):
    _case, company, director = pair
    client = signed_in(officer_qltt)
    page = client.get(f"/subjects/{director.pk}/relations/new/")
    assert "Công ty TNHH Hoa Mai" in page.content.decode()  # co-subjects offered by default
    response = client.post(
        f"/subjects/{director.pk}/relations/new/",
        {
            "other": company.pk,
            "kind": "directorship",
            "source": "document",
            "source_ref": "",
            "visibility": "own",
            "start_date": "01/02/2024",
        },
    )
    assert response.status_code == 200 and "Cần ghi số, ký hiệu văn bản nguồn." in response.content.decode()
    response = client.post(
        f"/subjects/{director.pk}/relations/new/",
        {
            "other": company.pk,
            "kind": "directorship",
            "source": "document",
            "source_ref": "QĐ 12",
            "visibility": "own",
            "start_date": "01/02/2024",
        },
    )
    assert response.status_code == 302
    assert Relation.objects.get().start_date.isoformat() == "2024-02-01"


def test_a_viewer_may_not_record_a_relation_a_coordinator_may(pair, viewer_syt, coordinator_sct, signed_in):
    from django.core.exceptions import PermissionDenied

    case, company, director = pair
    case.visibility = "all"
    case.save()
    assert policy.can(viewer_syt, "view", director)
    assert signed_in(viewer_syt).get(f"/subjects/{director.pk}/relations/new/").status_code == 403
    with pytest.raises(PermissionDenied):
        relation(viewer_syt, company, director)
    assert relation(coordinator_sct, company, director).recorded_by_agency.code == "SCT"


def test_a_relation_is_seen_like_its_source(pair, make_case, officer_qltt, officer_ca):
    case, company, director = pair
    own = relation(officer_qltt, company, director)
    shared = relation(officer_qltt, company, director, visibility="all", kind="ownership")
    from_case = relation(officer_qltt, company, director, source="case", case=str(case.pk), kind="associate")
    seen = set(policy.visible_to(officer_ca, Relation.objects.all()))
    assert shared in seen and own not in seen and from_case not in seen  # the case is QLTT's own
    case.visibility = "all"
    case.save()
    assert policy.can(officer_ca, "view", from_case)


def test_two_provinces_relations_and_the_ranked_list(pair, officer_qltt, officer_qltt_lang_son):  # noqa: F811
    _case, company, director = pair
    shared = relation(officer_qltt, company, director, visibility="all")
    assert policy.can(officer_qltt, "view", shared)
    assert not policy.can(officer_qltt_lang_son, "view", shared)
    assert not policy.visible_to(officer_qltt_lang_son, Relation.objects.all()).exists()
    assert policy.can(officer_qltt, "change", shared) and not policy.can(
        officer_qltt_lang_son, "change", shared
    )
    dak_lak = officer_qltt.active_memberships()[0].agency.province
    ls_province = officer_qltt_lang_son.active_memberships()[0].agency.province
    assert policy.can(officer_qltt, "add", Relation, province=dak_lak)
    assert not policy.can(officer_qltt_lang_son, "add", Relation, province=dak_lak)
    assert policy.can(officer_qltt_lang_son, "add", Relation, province=ls_province)
    assert policy.can(officer_qltt, "subjects.attention", province=dak_lak)
    assert not policy.can(officer_qltt_lang_son, "subjects.attention", province=dak_lak)
    # and the Lạng Sơn officer cannot link Đắk Lắk's subjects
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as err:
        relation(officer_qltt_lang_son, company, director)
    assert set(err.value.message_dict) >= {"subject", "other"}
    assert Subject.objects.count() == 2
