import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from canhgiac.directory import services
from canhgiac.directory.models import Agency

pytestmark = pytest.mark.django_db


def test_a_leader_publishes_the_agencys_hotline_and_the_public_page_lists_it_by_field(
    signed_in, leader_qltt, client
):
    leader = signed_in(leader_qltt)
    assert leader.get("/directory/hotline/").status_code == 200
    response = leader.post(
        "/directory/hotline/",
        {"hotline": "0262 3852 389", "email": "QLTT@daklak.gov.vn", "hours": "24/7"},
    )
    assert response.status_code == 302
    qltt = Agency.objects.get(code="QLTT")
    assert (qltt.hotline, qltt.email, qltt.hotline_hours) == ("0262 3852 389", "qltt@daklak.gov.vn", "24/7")
    assert qltt.hotline_published_at is not None
    page = client.get("/hotlines/").content.decode()
    by_field = page.split('data-testid="hotlines-by-field"')[1].split("</table>")[0]
    assert 'href="tel:02623852389"' in by_field
    assert "Lưu thông hàng hóa trên thị trường nội địa" in by_field and "Thương mại điện tử" in by_field


def test_a_bad_number_is_refused_with_a_message(signed_in, leader_qltt):
    response = signed_in(leader_qltt).post("/directory/hotline/", {"hotline": "gọi tôi", "email": "x@"})
    html = response.content.decode()
    assert response.status_code == 200 and "Số đường dây nóng: không hợp lệ" in html
    assert "Thư điện tử: không hợp lệ" in html and 'data-testid="error-summary"' in html
    assert Agency.objects.get(code="QLTT").hotline == ""


def test_only_the_agencys_own_leaders_publish(officer_qltt, leader_qltt, signed_in):
    with pytest.raises(PermissionDenied):
        services.publish_hotline(officer_qltt, Agency.objects.get(code="QLTT"), hotline="0262 3852 389")
    with pytest.raises(PermissionDenied):
        services.publish_hotline(leader_qltt, Agency.objects.get(code="CA"), hotline="0262 3852 389")
    assert signed_in(officer_qltt).get("/directory/hotline/").status_code == 403
    with pytest.raises(ValidationError):
        services.publish_hotline(leader_qltt, Agency.objects.get(code="QLTT"), hotline="")


def test_the_standing_office_sees_who_has_not_published(signed_in, coordinator_sct, leader_qltt):
    services.publish_hotline(leader_qltt, Agency.objects.get(code="QLTT"), hotline="0262 3852 389")
    page = signed_in(coordinator_sct).get("/directory/hotline/").content.decode()
    table = page.split('data-testid="hotline-status"')[1]
    assert (
        'data-agency="QLTT"' in table
        and "Chưa công bố" in table.split('data-agency="CA"')[1].split("</tr>")[0]
    )
    total = Agency.objects.filter(is_active=True).count()
    assert f"{total - 1} cơ quan chưa công bố" in page


def test_the_demo_fills_a_hotline_for_every_agency_and_communes_are_listed(client):
    filled = services.demo_hotlines(random.Random(389))
    assert filled == Agency.objects.filter(is_active=True).count()
    assert not Agency.objects.filter(is_active=True, hotline="").exists()
    assert all(services._HOTLINE_RE.match(a.hotline) for a in Agency.objects.all())
    page = client.get("/hotlines/").content.decode()
    communes = page.split('data-testid="hotlines-by-commune"')[1]
    assert communes.count('href="tel:0262') == Agency.objects.filter(kind="commune").count()
    import re

    from canhgiac.core.text import fold

    names = re.findall(r"<tr><td>([^<]+)</td>", communes)
    assert len(names) > 100 and names == sorted(names, key=fold)
