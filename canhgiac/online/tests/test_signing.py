"""Signing by the signer with their own account (issue 15, item 5): a business user in the business
area (the commitments under the business's tax code), a signer account in the signer area; read
the template, confirm, signed with time and account, audited; the public list shows it."""

import datetime as dt

import pytest

from canhgiac.conftest import make_business
from canhgiac.online.models import Commitment, Signer, SignerKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def business_signer(business_user, qltt):
    business = None
    return Signer.objects.create(
        province=qltt.province,
        kind=SignerKind.objects.get(code="health_goods"),
        name="Công ty CP Dược phẩm Hoa Mai",
        identifier="0100233488",
        registered_on=dt.date(2026, 4, 2),
    ), business


def test_a_business_user_reads_confirms_and_signs_in_the_business_area(
    client, business_user, business_signer
):
    from canhgiac.audit.models import AuditEvent

    signer, _business = business_signer
    client.force_login(business_user)
    page = client.get("/goods/business/").content.decode()
    assert "/goods/business/commitments/" in page
    page = client.get("/goods/business/commitments/").content.decode()
    assert signer.kind.template[:60] in page and "Tôi đã đọc và đồng ý" in page
    # not confirmed: refused with a clear message, nothing signed
    response = client.post("/goods/business/commitments/", {"signer": signer.pk}, follow=True)
    assert "Đánh dấu ô" in response.content.decode()
    assert not Commitment.objects.exists()
    response = client.post("/goods/business/commitments/", {"signer": signer.pk, "confirm": "1"}, follow=True)
    assert "Đã ký cam kết" in response.content.decode()
    commitment = Commitment.objects.get(signer=signer)
    assert commitment.method == "online" and commitment.recorded_by == business_user
    assert commitment.signed_at is not None and commitment.text == signer.kind.template
    assert AuditEvent.objects.filter(action="online.commitment_signed", object_id=str(commitment.pk)).exists()
    page = client.get("/goods/business/commitments/").content.decode()
    assert "bằng tài khoản business_user" in page
    # twice: refused
    response = client.post("/goods/business/commitments/", {"signer": signer.pk, "confirm": "1"}, follow=True)
    assert "Bạn đã ký cam kết này." in response.content.decode()
    # the public list shows it, to anyone
    client.logout()
    assert "Công ty CP Dược phẩm Hoa Mai" in client.get("/online/commitments/public/").content.decode()


def test_another_business_neither_sees_nor_signs_it(client, business_signer, qltt):
    signer, _business = business_signer
    _other, user = make_business("0101245486", "Công ty TNHH Khác", "other_business")
    client.force_login(user)
    assert "Hoa Mai" not in client.get("/goods/business/commitments/").content.decode()
    response = client.post("/goods/business/commitments/", {"signer": signer.pk, "confirm": "1"})
    assert response.status_code == 403 and not Commitment.objects.exists()
    # a Lạng Sơn business with the same tax code could not exist (tax codes are unique); a
    # register entry of another province under the business's tax code is not the business's
    from canhgiac.online import services

    assert list(services.own_signers(user)) == []


def test_a_signer_account_signs_in_the_signer_area(client, make_user, qltt):
    kol = make_user("koc_bena")
    signer = Signer.objects.create(
        province=qltt.province,
        kind=SignerKind.objects.get(code="kol"),
        name="KOC Bé Na",
        registered_on=dt.date(2026, 5, 2),
        user=kol,
    )
    client.force_login(kol)
    page = client.get("/online/commitments/sign/").content.decode()
    assert "KOC Bé Na" in page and signer.kind.template[:60] in page
    client.post("/online/commitments/sign/", {"signer": signer.pk, "confirm": "1"})
    commitment = Commitment.objects.get(signer=signer)
    assert commitment.recorded_by == kol and commitment.signed_at is not None
    # someone else's entry: refused
    other = make_user("someone")
    client.force_login(other)
    assert client.post("/online/commitments/sign/", {"signer": signer.pk, "confirm": "1"}).status_code == 403
