"""Shop → subject (issue 15, item 1): a shop linked to its seller's subject record shows the subject
(its resolved entity) and the seller's other shops; the entity page lists the seller's shops (also
those found through the subjects app's `online_accounts` hook). Hidden subjects stay hidden."""

import pytest

from canhgiac.online import services
from canhgiac.online.models import OnlineAccount, Platform

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(qltt, agency):
    from canhgiac.subjects.models import Entity, Subject

    entity = Entity.objects.create(kind="person")
    person = Subject.objects.create(
        kind="person", name="Nguyễn Văn Bán", recorded_by_agency=qltt, entity=entity
    )
    # QLTT's record of the seller's Facebook page, related to the person (an ownership)
    page = Subject.objects.create(
        kind="online_account",
        name="Bán Page",
        platform="Facebook",
        handle="@Ban.Page",
        recorded_by_agency=qltt,
        entity=entity,
    )
    # a record of CA only (hidden from QLTT's officer), same entity
    ca_record = Subject.objects.create(kind="person", name="Nguyễn Văn Bán", recorded_by_agency=agency("CA"))
    shopee, facebook, tiktok = (Platform.objects.get(code=c) for c in ("shopee", "facebook", "tiktok_shop"))
    province = qltt.province
    shop = OnlineAccount.objects.create(province=province, platform=shopee, handle="Bán Shop", subject=person)
    second = OnlineAccount.objects.create(
        province=province, platform=tiktok, handle="Bán Live", subject=person
    )
    fb = OnlineAccount.objects.create(province=province, platform=facebook, handle="ban.page")  # key only
    hidden = OnlineAccount.objects.create(
        province=province, platform=shopee, handle="Shop Của CA", subject=ca_record
    )
    return {
        "entity": entity,
        "person": person,
        "page": page,
        "ca_record": ca_record,
        "shop": shop,
        "second": second,
        "fb": fb,
        "hidden": hidden,
    }


def test_the_shop_page_links_the_seller_entity_and_other_shops(client, officer_qltt, seller):
    client.force_login(officer_qltt)
    page = client.get(f"/online/accounts/{seller['shop'].pk}/").content.decode()
    assert f"/subjects/entities/{seller['entity'].pk}/" in page or f"/entities/{seller['entity'].pk}/" in page
    assert "Nguyễn Văn Bán" in page
    assert f"/online/accounts/{seller['second'].pk}/" in page  # linked to the same record
    assert f"/online/accounts/{seller['fb'].pk}/" in page  # the entity's page record carries it
    assert "Shop Của CA" not in page  # linked only through CA's record, which QLTT may not see
    got = services.seller_of(officer_qltt, seller["shop"])
    assert got["entity"] == seller["entity"]
    assert {a.pk for a in got["other_accounts"]} == {seller["second"].pk, seller["fb"].pk}


def test_the_entity_page_lists_the_seller_shops(client, officer_qltt, seller):
    from django.urls import reverse

    client.force_login(officer_qltt)
    page = client.get(reverse("subjects:entity", args=[seller["entity"].pk])).content.decode()
    assert 'id="online-accounts"' in page
    for key in ("shop", "second", "fb"):
        assert f"/online/accounts/{seller[key].pk}/" in page
    assert f"/online/accounts/{seller['hidden'].pk}/" not in page


def test_a_hidden_subject_stays_hidden(client, officer_ca, officer_qltt, seller):
    """CA's officer sees the province's shops but not QLTT's subject records: neither the seller
    nor the shops linked through them; the hidden record's own shop shows its seller to CA only."""
    client.force_login(officer_ca)
    page = client.get(f"/online/accounts/{seller['shop'].pk}/").content.decode()
    assert "Nguyễn Văn Bán" not in page and f"/online/accounts/{seller['second'].pk}/" not in page
    assert services.seller_of(officer_ca, seller["shop"]) == {
        "subject": None,
        "entity": None,
        "records": [],
        "other_accounts": [],
    }
    assert services.seller_of(officer_qltt, seller["hidden"])["subject"] is None
    assert services.seller_of(officer_ca, seller["hidden"])["subject"] == seller["ca_record"]


def test_linking_a_shop_needs_a_subject_the_officer_may_see(client, officer_qltt, seller):
    client.force_login(officer_qltt)
    fb = seller["fb"]
    response = client.post(f"/online/accounts/{fb.pk}/", {"subject": str(seller["ca_record"].pk)})
    assert response.status_code == 200 and "Không có hồ sơ đối tượng số này" in response.content.decode()
    fb.refresh_from_db()
    assert fb.subject_id is None
    response = client.post(f"/online/accounts/{fb.pk}/", {"subject": f"#{seller['person'].pk}"})
    assert response.status_code == 302
    fb.refresh_from_db()
    assert fb.subject_id == seller["person"].pk


def test_the_other_province_does_not_open_the_shop(client, officer_qltt_lang_son, seller):
    client.force_login(officer_qltt_lang_son)
    assert client.get(f"/online/accounts/{seller['shop'].pk}/").status_code == 404
