"""The commitments register: rounds, coverage (who has not signed), signatures uploaded or signed
online, the public list with breaches, and the figure the reporting app pre-fills."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from canhgiac.online import services
from canhgiac.online.models import Commitment, OnlineAccount, Platform, Signer, SignerKind

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def province(qltt):
    return qltt.province


def test_seeded_platforms_and_kinds_of_signer():
    assert set(Platform.objects.values_list("code", flat=True)) >= {
        "shopee",
        "lazada",
        "tiktok_shop",
        "tiki",
        "facebook",
        "zalo",
        "youtube",
        "website",
    }
    kinds = dict(SignerKind.objects.values_list("code", "agency_code"))
    assert kinds["ecommerce_seller"] == "SCT" and kinds["health"] == "SYT" and kinds["celebrity"] == "SVHTTDL"
    assert len(kinds) == 7


def test_rounds_first_by_february_2026_then_each_quarter():
    assert services.round_for(dt.date(2025, 11, 3)).code == "2026-02"
    assert services.round_for(dt.date(2026, 2, 28)).due == dt.date(2026, 2, 28)
    assert services.round_for(dt.date(2026, 3, 1)).code == "2026-Q2"
    assert services.round_for(dt.date(2026, 8, 15)).code == "2026-Q3"
    assert services.round_for(dt.date(2026, 12, 31)).due == dt.date(2026, 12, 31)
    codes = [r.code for r in services.rounds(dt.date(2027, 1, 10))]
    assert codes == ["2026-02", "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"]
    assert services.round_by_code("2026-Q3").start == dt.date(2026, 7, 1)


def test_coverage_per_kind_and_round_with_who_has_not_signed(province, coordinator_sct, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    seller = SignerKind.objects.get(code="ecommerce_seller")
    a = services.add_signer(
        coordinator_sct, province, kind=seller, name="Shop A", registered_on=dt.date(2026, 1, 5)
    )
    services.add_signer(
        coordinator_sct, province, kind=seller, name="Shop B", registered_on=dt.date(2026, 2, 10)
    )
    services.add_signer(
        coordinator_sct, province, kind=seller, name="Shop C", registered_on=dt.date(2026, 4, 2)
    )
    services.record_signed_copy(coordinator_sct, a, SimpleUploadedFile("a.pdf", PDF), dt.date(2026, 2, 20))
    rows = services.commitment_coverage(province, kind="ecommerce_seller", as_of=dt.date(2026, 5, 1))
    first, second = rows
    assert (first["round"], first["required"], first["signed"], first["percent"]) == ("2026-02", 2, 1, 50.0)
    assert [m["name"] for m in first["missing"]] == ["Shop B"]
    assert (second["round"], second["required"], second["signed"]) == ("2026-Q2", 1, 0)
    # signed before as_of only
    early = services.commitment_coverage(
        province, "2026-02", kind="ecommerce_seller", as_of=dt.date(2026, 2, 1)
    )
    assert early[0]["signed"] == 0


def test_signed_copy_keeps_its_hash_and_is_refused_twice_or_when_not_a_document(
    province, coordinator_sct, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    kind = SignerKind.objects.get(code="press")
    signer = services.add_signer(coordinator_sct, province, kind=kind, name="Báo Đắk Lắk")
    with pytest.raises(ValidationError):
        services.record_signed_copy(coordinator_sct, signer, SimpleUploadedFile("a.txt", b"hello"))
    c = services.record_signed_copy(coordinator_sct, signer, SimpleUploadedFile("a.pdf", PDF))
    assert len(c.sha256) == 64 and c.method == Commitment.Method.UPLOAD
    with pytest.raises(ValidationError):
        services.record_signed_copy(
            coordinator_sct, Signer.objects.get(pk=signer.pk), SimpleUploadedFile("a.pdf", PDF)
        )


def test_the_agency_in_charge_keeps_its_kinds_only(province, make_user):
    from canhgiac.core import policy

    syt = make_user("officer_syt", "SYT", policy.OFFICER)
    health = SignerKind.objects.get(code="health")
    services.add_signer(syt, province, kind=health, name="BS. Nguyễn Văn An")
    with pytest.raises(PermissionDenied):
        services.add_signer(syt, province, kind=SignerKind.objects.get(code="press"), name="Báo X")


def test_lang_son_coordinator_cannot_keep_dak_laks_register(province, coordinator_lang_son):
    with pytest.raises(PermissionDenied):
        services.add_signer(
            coordinator_lang_son, province, kind=SignerKind.objects.get(code="kol"), name="KOL"
        )


def test_signer_signs_online_with_their_own_account_only(province, make_user, business_user):
    other = make_user("someone_else")
    signer = services.add_signer(
        None, province, kind=SignerKind.objects.get(code="kol"), name="KOC Bé Na", signer_user=business_user
    )
    with pytest.raises(PermissionDenied):
        services.sign_online(other, signer)
    c = services.sign_online(business_user, signer)
    assert (
        c.method == Commitment.Method.ONLINE
        and c.text == signer.kind.template
        and c.recorded_by == business_user
    )


def test_register_sellers_from_the_shops_of_the_province(province, qltt):
    unit = province.children.order_by("code").first()
    shopee = Platform.objects.get(code="shopee")
    OnlineAccount.objects.create(province=province, platform=shopee, handle="Shop Có Địa Chỉ", unit=unit)
    OnlineAccount.objects.create(province=province, platform=shopee, handle="Shop Không Rõ")
    assert services.register_sellers(None, province) == 1
    assert services.register_sellers(None, province) == 0


def test_breach_a_flagged_listing_after_signing(province, make_listing, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    honest = make_listing("Áo thun cotton", shop="Shop Cam Kết", listing_ref="H1")
    signer = services.add_signer(
        None,
        province,
        kind=SignerKind.objects.get(code="ecommerce_seller"),
        name="Shop Cam Kết",
        account=honest.account,
        registered_on=dt.date(2026, 1, 1),
    )
    c = services.record_signed_copy(None, signer, SimpleUploadedFile("a.pdf", PDF), dt.date(2026, 2, 1))
    assert services.breaches([c]) == {}
    make_listing("Giày rep 1:1", shop="Shop Cam Kết", listing_ref="H2")
    assert services.breaches([c]) == {c.pk: 1}


def test_public_list_shows_signed_commitments_to_anyone(client, province):
    signer = services.add_signer(
        None, province, kind=SignerKind.objects.get(code="celebrity"), name="Ca sĩ Hồng Nhung"
    )
    services.add_signer(None, province, kind=SignerKind.objects.get(code="celebrity"), name="Chưa Ký Ai")
    Commitment.objects.create(signer=signer, signed_on=dt.date(2026, 2, 10), method="upload", text="x")
    page = client.get("/online/commitments/public/").content.decode()
    assert "Ca sĩ Hồng Nhung" in page and "10/02/2026" in page and "Chưa Ký Ai" not in page


def test_reporting_prefill_counts_commitments_signed_in_the_window(province):
    kind = SignerKind.objects.get(code="ecommerce_seller")
    for name, day in (("A", dt.date(2026, 1, 10)), ("B", dt.date(2026, 2, 10)), ("C", dt.date(2026, 4, 10))):
        s = services.add_signer(None, province, kind=kind, name=name, registered_on=dt.date(2026, 1, 1))
        Commitment.objects.create(signer=s, signed_on=day, method="upload", text="x")
    assert services.commitments_signed(province, dt.date(2026, 1, 1), dt.date(2026, 3, 31)) == {
        "ecommerce_seller": 2,
        "total": 2,
    }


def test_reporting_prefills_commitments_signed_for_the_agency_in_charge(province, agency, make_user):
    from canhgiac.core import policy
    from canhgiac.reporting import services as reporting
    from canhgiac.reporting.models import Period

    seller, press = SignerKind.objects.get(code="ecommerce_seller"), SignerKind.objects.get(code="press")
    for name, kind in (("Shop A", seller), ("Shop B", seller), ("Báo X", press)):
        s = services.add_signer(None, province, kind=kind, name=name, registered_on=dt.date(2026, 1, 1))
        Commitment.objects.create(signer=s, signed_on=dt.date(2026, 2, 10), method="upload", text="x")
    deadline = reporting.today() + dt.timedelta(days=10)
    period = reporting.create_period(
        None,
        kind=Period.Kind.QUARTERLY,
        name="Quý I/2026",
        data_from=dt.date(2026, 1, 1),
        data_to=dt.date(2026, 3, 31),
        deadline=deadline,
        office_deadline=deadline + dt.timedelta(days=3),
        submitters=[agency("SCT"), agency("QLTT")],
    )
    sct = reporting.open_submission(make_user("officer_sct", "SCT", policy.OFFICER), period, agency("SCT"))
    assert sct.prefill["commitments_signed"] == 2
    qltt = reporting.open_submission(make_user("officer_q", "QLTT", policy.OFFICER), period, agency("QLTT"))
    assert qltt.prefill["commitments_signed"] is None  # in charge of no kind of signer: no figure
