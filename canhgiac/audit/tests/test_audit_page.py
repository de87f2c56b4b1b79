import pytest

from canhgiac.directory.models import Agency

pytestmark = pytest.mark.django_db


def test_the_audit_page_shows_vietnamese_labels_not_codes(signed_in, coordinator_sct):
    qltt = Agency.objects.get(code="QLTT")
    qltt.hotline = "0262 3 389 000"
    qltt.save()
    html = signed_in(coordinator_sct).get(f"/audit/?object_id={qltt.pk}").content.decode()
    assert "Sửa cơ quan" in html
    assert f"Cơ quan: {qltt}" in html


def test_the_audit_filters_take_the_words_the_page_shows(signed_in, coordinator_sct, officer_qltt):
    qltt = Agency.objects.get(code="QLTT")
    qltt.hotline = "0262 3 389 001"
    qltt.save()
    client = signed_in(coordinator_sct)
    by_words = client.get("/audit/", {"action": "sửa cơ quan", "object_type": "Cơ quan"}).content.decode()
    assert "0262 3 389 001" in by_words
    by_user = client.get("/audit/", {"object_type": "người dùng"}).content.decode()
    assert "Người dùng: officer_qltt" in by_user and "0262 3 389 001" not in by_user
    by_code = client.get("/audit/", {"action": "directory.agency.update"}).content.decode()
    assert "0262 3 389 001" in by_code
