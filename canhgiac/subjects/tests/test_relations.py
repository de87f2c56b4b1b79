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


# ---- editing and deleting relations (UI, API, policy, audit)

CHANGE = {"kind": "ownership", "detail": "chủ sở hữu", "source": "document", "source_ref": "QĐ 99"}


def test_the_api_changes_a_relation_audited_with_before_and_after(pair, officer_qltt, signed_in):
    _case, company, director = pair
    rel = relation(officer_qltt, company, director)
    client = signed_in(officer_qltt)
    response = client.put(
        f"/api/v1/subjects/relations/{rel.pk}",
        {**CHANGE, "start_date": "2024-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["kind"] == "ownership" and response.json()["start_date"] == "2024-01-01"
    rel.refresh_from_db()
    assert (rel.kind, rel.detail, rel.source_ref, rel.subject, rel.other) == (
        "ownership",
        "chủ sở hữu",
        "QĐ 99",
        director,
        company,
    )
    event = AuditEvent.objects.get(action="subjects.relation.update", object_id=str(rel.pk))
    assert "directorship" in str(event.changes) and "ownership" in str(event.changes)
    bad = client.put(
        f"/api/v1/subjects/relations/{rel.pk}",
        {**CHANGE, "kind": "cousin", "start_date": "2026-05-01", "end_date": "2026-01-01"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"kind", "end_date"}
    assert (
        client.put("/api/v1/subjects/relations/999999", CHANGE, content_type="application/json").status_code
        == 404
    )


def test_the_api_deletes_a_relation_audited(pair, officer_qltt, signed_in):
    _case, company, director = pair
    rel = relation(officer_qltt, company, director)
    client = signed_in(officer_qltt)
    assert client.delete(f"/api/v1/subjects/relations/{rel.pk}").status_code == 204
    assert not Relation.objects.exists()
    assert AuditEvent.objects.filter(action="subjects.relation.delete", object_id=str(rel.pk)).exists()
    assert client.delete(f"/api/v1/subjects/relations/{rel.pk}").status_code == 404


def test_only_who_may_record_for_its_agency_edits_or_deletes_a_relation(
    pair,
    officer_qltt,
    officer_ca,
    viewer_syt,
    coordinator_sct,
    officer_qltt_lang_son,  # noqa: F811
    signed_in,
):
    _case, company, director = pair
    rel = relation(officer_qltt, company, director, visibility="all")
    # CA's officer and SYT's viewer see the shared relation but may not change QLTT's record
    for user in (officer_ca, viewer_syt):
        assert policy.can(user, "view", rel) and not policy.can(user, "change", rel)
        client = signed_in(user)
        assert (
            client.put(
                f"/api/v1/subjects/relations/{rel.pk}", CHANGE, content_type="application/json"
            ).status_code
            == 403
        )
        assert client.delete(f"/api/v1/subjects/relations/{rel.pk}").status_code == 403
        assert client.get(f"/subjects/relations/{rel.pk}/edit/").status_code == 403
        assert client.post(f"/subjects/relations/{rel.pk}/delete/").status_code == 403
    # the other province does not find it at all
    client = signed_in(officer_qltt_lang_son)
    assert client.delete(f"/api/v1/subjects/relations/{rel.pk}").status_code == 404
    assert client.get(f"/subjects/relations/{rel.pk}/edit/").status_code == 404
    # the province's Standing Office may
    services.update_relation(coordinator_sct, rel.pk, CHANGE)
    rel.refresh_from_db()
    assert rel.kind == "ownership"
    services.delete_relation(coordinator_sct, rel.pk)
    assert not Relation.objects.exists()


def test_the_pages_edit_and_delete_a_relation_from_the_network(pair, officer_qltt, signed_in):
    _case, company, director = pair
    rel = relation(officer_qltt, company, director)
    client = signed_in(officer_qltt)
    network = client.get(f"/subjects/{company.pk}/network/").content.decode()
    assert f"/subjects/relations/{rel.pk}/edit/?back={company.pk}" in network
    assert f"/subjects/relations/{rel.pk}/delete/?back={company.pk}" in network
    page = client.get(f"/subjects/relations/{rel.pk}/edit/?back={company.pk}").content.decode()
    assert "GCN ĐKDN 6001234562" in page  # the form starts from the relation
    form = {**CHANGE, "visibility": "own", "start_date": "31/12/2024", "back": company.pk}
    refused = client.post(f"/subjects/relations/{rel.pk}/edit/", {**form, "source_ref": ""})
    assert refused.status_code == 200 and "Cần ghi số, ký hiệu văn bản nguồn." in refused.content.decode()
    done = client.post(f"/subjects/relations/{rel.pk}/edit/", form)
    assert done.status_code == 302 and done["Location"] == f"/subjects/{company.pk}/network/"
    rel.refresh_from_db()
    assert rel.kind == "ownership" and rel.start_date.isoformat() == "2024-12-31"
    confirm = client.get(f"/subjects/relations/{rel.pk}/delete/?back={company.pk}")
    assert confirm.status_code == 200 and Relation.objects.exists()  # a GET deletes nothing
    gone = client.post(f"/subjects/relations/{rel.pk}/delete/", {"back": "999"})
    assert gone.status_code == 302 and gone["Location"] == f"/subjects/{director.pk}/network/"
    assert not Relation.objects.exists()
    assert AuditEvent.objects.filter(action="subjects.relation.delete").exists()


def test_the_review_queue_is_in_the_menu_of_those_who_may_review(officer_qltt, viewer_syt, signed_in):
    assert "/subjects/review/" in signed_in(officer_qltt).get("/app/").content.decode()
    assert "/subjects/review/" not in signed_in(viewer_syt).get("/app/").content.decode()
