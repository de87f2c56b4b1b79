import pytest

from canhgiac.audit.models import AuditEvent
from canhgiac.subjects import services
from canhgiac.subjects.models import Subject

pytestmark = pytest.mark.django_db

PERSON = {"kind": "person", "name": "Nguyễn Thị Hoa", "identifier": "066 190 000 555", "role": "seller"}


def test_match_or_create_finds_the_agencys_own_record_by_exact_identifier(agency):
    qltt = agency("QLTT")
    first, created = services.match_or_create(
        kind="person", name="Nguyễn Thị Hoa", identifier="066190000555", agency=qltt
    )
    again, created_again = services.match_or_create(
        kind="person", name="Nguyen Thi Hoa", identifier="066-190-000-555", phone="0905123456", agency=qltt
    )
    assert created and not created_again and again.pk == first.pk
    assert Subject.objects.get().phone == "0905123456"


def test_the_same_number_for_a_person_and_an_organisation_are_different_subjects(agency):
    a, _ = services.match_or_create(kind="person", name="A", identifier="6001234567", agency=agency("QLTT"))
    b, _ = services.match_or_create(
        kind="organisation", name="B", identifier="6001234567", agency=agency("QLTT")
    )
    assert a.pk != b.pk


def test_a_subject_page_lists_only_the_cases_the_user_may_see(make_case, signed_in, officer_qltt):
    visible = make_case("QLTT", subjects=[PERSON])
    sensitive = make_case("QLTT", sensitive=True, subjects=[dict(PERSON, role="organiser")])
    make_case("CA", subjects=[PERSON])
    subject = Subject.objects.get(recorded_by_agency__code="QLTT")
    response = signed_in(officer_qltt).get(f"/subjects/{subject.pk}/")
    html = response.content.decode()
    assert visible.reference in html and sensitive.reference in html
    assert AuditEvent.objects.filter(action="subjects.subject_viewed", object_id=str(subject.pk)).exists()


def test_another_agencys_subject_from_an_unshared_case_cannot_be_opened_or_found(
    make_case, signed_in, officer_ca
):
    make_case("QLTT", subjects=[PERSON])
    subject = Subject.objects.get()
    client = signed_in(officer_ca)
    assert client.get(f"/subjects/{subject.pk}/").status_code == 404
    assert "Nguyễn Thị Hoa" not in client.get("/subjects/", {"q": "nguyen thi hoa"}).content.decode()


def test_search_finds_by_folded_name_or_identifier(make_case, signed_in, officer_qltt):
    make_case("QLTT", subjects=[PERSON])
    client = signed_in(officer_qltt)
    assert "Nguyễn Thị Hoa" in client.get("/subjects/", {"q": "NGUYEN THI HOA"}).content.decode()
    assert "Nguyễn Thị Hoa" in client.get("/subjects/", {"q": "066.190.000.555"}).content.decode()
