import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from canhgiac.audit.models import AuditEvent
from canhgiac.tips import services
from canhgiac.tips.models import Tip

pytestmark = pytest.mark.django_db


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10), (0, 120, 0)).save(out, format="PNG")
    return out.getvalue()


def test_the_portal_home_links_to_the_tip_pages(client):
    page = client.get("/").content.decode()
    assert "/tips/report/" in page and "/tips/follow/" in page


def test_a_citizen_sends_a_tip_with_a_photo_from_the_form_and_sees_code_and_secret_once(client, ward):
    assert client.get("/tips/report/").status_code == 200
    response = client.post(
        "/tips/report/",
        {
            "description": "Cửa hàng bán rượu ngoại giả, tem nhập khẩu in mờ.",
            "unit_code": ward.code,
            "goods_category": "alcohol_tobacco",
            "anonymous": "1",
            "files": [SimpleUploadedFile("anh.png", png(), "image/png")],
        },
        REMOTE_ADDR="198.51.100.5",
    )
    assert response.status_code == 200
    html = response.content.decode()
    code = re.search(r'data-testid="tip-code"[^>]*>(\w+)<', html).group(1)
    secret = re.search(r'data-testid="tip-secret"[^>]*>([\w-]+)<', html).group(1)
    assert "no-store" in response["Cache-Control"]
    tip = Tip.objects.get(code=code)
    assert tip.attachments.count() == 1 and tip.anonymous
    followed = client.post("/tips/follow/", {"code": code, "secret": secret}).content.decode()
    assert tip.get_status_display() in followed


def test_form_errors_name_the_field_in_vietnamese(client):
    response = client.post("/tips/report/", {"description": "", "anonymous": "0", "reporter_phone": "abc"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nội dung tin báo: bắt buộc" in html and "Số điện thoại: không hợp lệ" in html
    assert not Tip.objects.exists()


def test_the_public_form_is_rate_limited(client, settings):
    settings.TIP_RATE_LIMIT_PER_HOUR = 1
    data = {"description": "Bán pháo nổ trái phép trước Tết ở chợ.", "anonymous": "1"}
    assert client.post("/tips/report/", data).status_code == 200
    response = client.post("/tips/report/", data)
    assert response.status_code == 429 and "Quá nhiều yêu cầu" in response.content.decode()


def test_the_tipster_replies_from_the_follow_page_and_a_wrong_secret_reveals_nothing(client, make_tip):
    tip = make_tip()
    wrong = client.post("/tips/follow/", {"code": tip.code, "secret": "XXXX"}).content.decode()
    assert "không đúng" in wrong and tip.description not in wrong
    client.post(
        "/tips/follow/",
        {"code": tip.code, "secret": tip.secret, "body": "Tôi bổ sung: cửa hàng mở đến 22 giờ."},
    )
    assert tip.messages.get().from_tipster


def test_staff_record_a_hotline_tip_and_get_the_secret_to_read_out(signed_in, tip_handler_qltt, ward):
    client = signed_in(tip_handler_qltt)
    assert client.get("/tips/new/").status_code == 200
    response = client.post(
        "/tips/new/",
        {
            "channel": "transferred",
            "description": "Người dân gọi báo có xe chở gỗ lậu qua xã.",
            "unit_code": ward.code,
            "goods_category": "timber_forestry",
            "anonymous": "1",
        },
    )
    assert response.status_code == 200 and "Cơ quan chuyển đến: bắt buộc" in response.content.decode()
    response = client.post(
        "/tips/new/",
        {
            "channel": "hotline",
            "description": "Người dân gọi báo có xe chở gỗ lậu qua xã.",
            "unit_code": ward.code,
            "goods_category": "timber_forestry",
            "anonymous": "0",
            "reporter_phone": "0901234567",
        },
    )
    tip = Tip.objects.get()
    assert tip.channel == "hotline" and tip.created_by == tip_handler_qltt and tip.lead_agency.code == "SNNMT"
    assert "Mã bí mật" in response.content.decode() and "no-store" in response["Cache-Control"]


def test_the_handler_works_a_tip_through_the_pages(signed_in, tip_handler_qltt, make_tip, ward):
    tip = make_tip(unit_code=ward.code, goods_category="fuel")
    client = signed_in(tip_handler_qltt)
    page = client.get(f"/tips/{tip.pk}/").content.decode()
    assert "Thụ lý" in page
    client.post(f"/tips/{tip.pk}/accept/")
    client.post(f"/tips/{tip.pk}/verify/")
    client.post(f"/tips/{tip.pk}/message/", {"body": "Đã cử đoàn kiểm tra."})
    bad = client.post(f"/tips/{tip.pk}/resolve/", {"outcome": "substantiated", "reason": ""}, follow=True)
    assert "Kết luận, căn cứ" in bad.content.decode()
    client.post(
        f"/tips/{tip.pk}/resolve/", {"outcome": "substantiated", "reason": "Thu giữ 300 lít xăng giả."}
    )
    tip.refresh_from_db()
    assert tip.status == "resolved" and tip.messages.count() == 1
    assert (
        AuditEvent.objects.filter(
            object_type="tips.tip", object_id=str(tip.pk), actor=tip_handler_qltt
        ).count()
        == 3
    )


def test_the_list_filters_and_the_figures_page(signed_in, coordinator_sct, make_tip):
    tip = make_tip()
    client = signed_in(coordinator_sct)
    assert tip.code in client.get("/tips/", {"status": "open"}).content.decode()
    assert tip.code not in client.get("/tips/", {"status": "resolved"}).content.decode()
    assert tip.code in client.get("/tips/", {"q": "mỹ phẩm"}).content.decode()
    page = client.get("/tips/stats/")
    assert page.status_code == 200 and "Tỷ lệ thụ lý" in page.content.decode()
    assert '<th scope="row">Sở Công Thương</th>' in page.content.decode()  # agencies by name, not code


def test_the_dashboard_shows_open_and_overdue_tips(signed_in, coordinator_sct, make_tip):
    make_tip()
    page = signed_in(coordinator_sct).get("/app/").content.decode()
    assert "Tin báo đang xử lý" in page and "Tin báo quá hạn" in page


def test_a_bad_attachment_is_named_on_the_form_and_nothing_is_stored(client):
    response = client.post(
        "/tips/report/",
        {
            "description": "Cửa hàng bán hàng giả, có ảnh chụp kèm theo.",
            "anonymous": "1",
            "files": [SimpleUploadedFile("anh.jpg", b"this is not a picture", "image/jpeg")],
        },
    )
    assert response.status_code == 200
    assert "không phải ảnh hợp lệ" in response.content.decode()
    assert not Tip.objects.exists()


def test_a_commune_officer_who_records_a_phone_tip_gets_its_receipt(signed_in, commune_officer, ward):
    client = signed_in(commune_officer)
    response = client.post(
        "/tips/new/",
        {
            "channel": "hotline",
            "description": "Người dân gọi báo cửa hàng trong chợ bán xăng pha tạp chất.",
            "unit_code": ward.code,
            "goods_category": "fuel",
            "anonymous": "1",
        },
    )
    tip = Tip.objects.get()
    page = response.content.decode()
    assert response.status_code == 200 and tip.lead_agency.code == "QLTT"
    assert tip.code in page and 'data-testid="tip-secret"' in page
    secret = page.split('data-testid="tip-secret">')[1].split("<")[0]
    assert services.find_for_tipster(tip.code, secret) == tip
    assert tip.lead_agency.name in page and "Mở tin báo" not in page
    # The tip itself is QLTT's; the receipt stays the recorder's, without the secret.
    assert client.get(f"/tips/{tip.pk}/").status_code == 404
    again = client.get(f"/tips/{tip.pk}/receipt/")
    assert again.status_code == 200 and tip.code in again.content.decode()
    assert secret not in again.content.decode() and 'data-testid="print"' in again.content.decode()


def test_nobody_else_in_the_commune_sees_the_receipt(signed_in, commune_officer, viewer_syt, make_tip, ward):
    tip = make_tip(unit_code=ward.code, goods_category="fuel")
    assert signed_in(commune_officer).get(f"/tips/{tip.pk}/receipt/").status_code == 404
    assert signed_in(viewer_syt).get(f"/tips/{tip.pk}/receipt/").status_code == 404


def test_the_citizen_is_told_the_agency_by_its_name(client, tip_data, ward):
    response = client.post(
        "/tips/report/", tip_data(unit_code=ward.code, goods_category="fuel", anonymous="1")
    )
    page = response.content.decode()
    assert "Chi cục Quản lý thị trường tỉnh Đắk Lắk" in page and "chuyển tới: QLTT" not in page


def test_the_tip_page_has_no_duplicate_element_ids(signed_in, tip_handler_qltt, make_tip, ward):
    tip = make_tip(unit_code=ward.code, goods_category="fuel")
    services.accept(tip_handler_qltt, tip)
    page = signed_in(tip_handler_qltt).get(f"/tips/{tip.pk}/").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert "id_resolve_reason" in ids and len(ids) == len(set(ids)), sorted(
        i for i in ids if ids.count(i) > 1
    )


def test_a_photo_is_kept_across_a_validation_error(client, ward):
    first = client.post(
        "/tips/report/",
        {
            "description": "",
            "unit_code": ward.code,
            "anonymous": "1",
            "files": [SimpleUploadedFile("anh-cua-hang.png", png(), "image/png")],
        },
    )
    html = first.content.decode()
    assert first.status_code == 200 and "Nội dung tin báo: bắt buộc" in html
    assert "anh-cua-hang.png" in html.split('data-testid="kept-files"')[1]
    kept = re.search(r'name="kept_files" value="([^"]+)"', html).group(1)
    second = client.post(
        "/tips/report/",
        {
            "description": "Cửa hàng bán rượu ngoại giả, tem nhập khẩu in mờ.",
            "unit_code": ward.code,
            "anonymous": "1",
            "kept_files": kept,
        },
    )
    code = re.search(r'data-testid="tip-code"[^>]*>(\w+)<', second.content.decode()).group(1)
    assert Tip.objects.get(code=code).attachments.count() == 1
    # A forged token brings no file.
    third = client.post(
        "/tips/report/",
        {
            "description": "Một tin báo khác về hàng giả ở chợ.",
            "anonymous": "1",
            "kept_files": kept[:-3] + "abc",
        },
    )
    code = re.search(r'data-testid="tip-code"[^>]*>(\w+)<', third.content.decode()).group(1)
    assert Tip.objects.get(code=code).attachments.count() == 0


@pytest.mark.parametrize(
    "typed, expected",
    [("05/12/2026 14:30", (2026, 12, 5, 14, 30)), ("2026-12-05T09:05", (2026, 12, 5, 9, 5))],
)
def test_the_time_a_tip_was_received_is_typed_dd_mm_yyyy_whatever_the_browser(
    signed_in, tip_handler_qltt, ward, typed, expected
):
    """Not a datetime-local box (shown mm/dd/yyyy in an English browser): a text box read as
    dd/mm/yyyy hh:mm, and the ISO form programs send."""
    from django.utils import timezone

    client = signed_in(tip_handler_qltt)
    page = client.get("/tips/new/").content.decode()
    box = (
        page.split('name="received_at"')[0].rsplit("<input", 1)[1]
        + page.split('name="received_at"')[1].split(">")[0]
    )
    assert 'type="text"' in box and "datetime-local" not in box and "dd/mm/yyyy hh:mm" in box
    data = {
        "channel": "hotline",
        "description": "Người dân gọi báo có xe chở gỗ lậu qua xã.",
        "unit_code": ward.code,
        "anonymous": "1",
        "received_at": "32/12/2026 10:00",
    }
    page = client.post("/tips/new/", data).content.decode()
    assert "dd/mm/yyyy hh:mm" in page and not Tip.objects.exists()
    client.post("/tips/new/", {**data, "received_at": typed})
    received = timezone.localtime(Tip.objects.get().received_at)
    assert (received.year, received.month, received.day, received.hour, received.minute) == expected
