"""The scheduled reviews (seed 004: 7.3 quarterly false advertising, 7.11 monthly false quality
claims) as reporting forms whose indicators equal the online app's figures."""

import datetime as dt

import pytest
from django.utils import timezone

from canhgiac.core import policy
from canhgiac.online import services
from canhgiac.online.models import Listing

pytestmark = pytest.mark.django_db

KEYS = ("reviewed", "flagged", "false_claims", "takedowns", "warnings", "cases")


@pytest.fixture
def listings(make_listing, officer_qltt, qltt, agency, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    health = make_listing(
        "Thực phẩm chức năng chữa khỏi tiểu đường", shop="Shop Sức Khỏe", listing_ref="H1", category=None
    )
    fake = make_listing("Giày Nike rep 1:1", listing_ref="F1")
    honest = make_listing("Áo thun cotton trơn", listing_ref="O1")
    warned = make_listing("Túi Gucci hàng F1 like auth", listing_ref="W1")
    services.request_takedown(officer_qltt, health, "Công văn 1")
    services.warn_seller(officer_qltt, warned, "Gỡ tin đăng hàng giả.")
    unit = qltt.province.children.order_by("code").first()
    services.to_case(officer_qltt, fake, unit_code=unit.code, violation_type="counterfeit")
    # another agency's listing: not in QLTT's figures, in the province's
    sct = make_listing("Thực phẩm chức năng đặc trị gan nhiễm mỡ", listing_ref="S1", agency=agency("SCT"))
    return {"health": health, "fake": fake, "honest": honest, "warned": warned, "sct": sct}


def test_review_figures_count_the_agency_listings_and_their_handling(listings, qltt):
    today = timezone.localdate()
    assert listings["health"].flagged and listings["fake"].flagged and not listings["honest"].flagged
    got = services.review_figures(today, today, agency_code="QLTT", province_code=qltt.province.code)
    flagged = Listing.objects.filter(agency=qltt, flagged=True).count()
    assert got == {
        "reviewed": 3,  # takedown, warning, case
        "flagged": flagged,
        "false_claims": 1,  # the health claim; the counterfeit words are not a false claim
        "false_quality": 0,
        "takedowns": 1,
        "warnings": 1,
        "cases": 1,
    }
    whole = services.review_figures(today, today, province_code=qltt.province.code)
    assert whole["false_claims"] == 2 and whole["flagged"] == flagged + 1
    earlier = today - dt.timedelta(days=40)
    assert set(services.review_figures(earlier, earlier, province_code=qltt.province.code).values()) == {0}


def test_false_quality_claims_count_in_the_monthly_review(make_listing, qltt):
    """7.11: the monthly review of false quality claims counts unverified certifications,
    superlatives, "imported" against the origin … not only health claims."""
    today = timezone.localdate()
    before = services.review_figures(today, today, agency_code="QLTT", province_code=qltt.province.code)
    make_listing("Viên uống collagen", "Đạt chuẩn FDA Hoa Kỳ, Bộ Y tế khuyên dùng", listing_ref="Q1")
    make_listing("Mật ong rừng", "Hàng nhập khẩu Nhật Bản. Xuất xứ: Trung Quốc", listing_ref="Q2")
    make_listing("Mật ong rừng", "Nhập khẩu từ Nhật Bản, xuất xứ Nhật Bản", listing_ref="Q3")  # honest
    got = services.review_figures(today, today, agency_code="QLTT", province_code=qltt.province.code)
    assert got["flagged"] == before["flagged"] + 2
    assert got["false_quality"] == before["false_quality"] + 2
    assert got["false_claims"] == before["false_claims"] + 2


def test_review_forms_are_loaded_once_and_prefilled_from_the_online_figures(
    listings, qltt, agency, make_user
):
    from canhgiac.reporting import services as reporting
    from canhgiac.reporting.models import Period, ReportForm

    forms = reporting.load_online_review_forms()
    assert [f.code for f in forms] == ["online_qc_quy", "online_cl_thang"]
    reporting.load_online_review_forms()
    assert ReportForm.objects.filter(code__startswith="online_").count() == 2
    assert {"online_qc_quy", "online_cl_thang"} <= {f.code for f in reporting.current_forms()}
    today = reporting.today()
    period = reporting.create_period(
        None,
        kind=Period.Kind.MONTHLY,
        name="Rà soát tháng",
        data_from=today - dt.timedelta(days=5),
        data_to=today,
        deadline=today + dt.timedelta(days=5),
        office_deadline=today + dt.timedelta(days=8),
        submitters=[qltt, agency("SCT")],
        form=forms[1],
    )
    sub = reporting.open_submission(make_user("officer_q", "QLTT", policy.OFFICER), period, qltt)
    expected = services.review_figures(
        period.data_from, period.data_to, agency_code="QLTT", province_code=qltt.province.code
    )
    assert {k: sub.prefill[f"online_{k}"] for k in KEYS} == {k: expected[k] for k in KEYS}
    assert sub.values["online_false_claims"] == 1 and sub.values["online_takedowns"] == 1
    sct = reporting.open_submission(make_user("officer_s", "SCT", policy.OFFICER), period, agency("SCT"))
    assert sct.prefill["online_false_claims"] == 1 and sct.prefill["online_takedowns"] == 0


def test_a_coordinator_opens_a_review_period_with_the_review_form(client, coordinator_sct, qltt):
    from canhgiac.reporting import services as reporting
    from canhgiac.reporting.models import Period

    reporting.load_online_review_forms()
    client.force_login(coordinator_sct)
    page = client.get("/reporting/periods/new/").content.decode()
    assert "Báo cáo đánh giá rà soát quảng cáo sai sự thật" in page
    response = client.post(
        "/reporting/periods/new/",
        {
            "kind": "quarterly",
            "year": 2026,
            "number": 1,
            "cutoff": "calendar",
            "expiry_days": 10,
            "report_form": "online_qc_quy",
            "agencies": [qltt.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    period = Period.objects.get()
    assert period.form.code == "online_qc_quy" and period.data_from == dt.date(2026, 1, 1)


def test_a_case_made_from_a_listing_counts_online_in_the_case_figures(listings, qltt):
    from canhgiac.cases import services as cases

    case = listings["fake"].__class__.objects.get(pk=listings["fake"].pk).case
    split = cases.online_split(None, case.detected_on, case.detected_on, province_code=qltt.province.code)
    assert split["online"]["cases"] == 1 and split["offline"]["cases"] == 0


def test_the_api_opens_a_period_with_a_review_form_and_rejects_an_unknown_one(signed_in, coordinator_sct):
    import json

    from canhgiac.reporting import services as reporting

    reporting.load_online_review_forms()
    c = signed_in(coordinator_sct)

    def post(data):
        return c.post("/api/v1/reporting/periods", json.dumps(data), content_type="application/json")

    r = post(
        {"kind": "monthly", "year": 2027, "number": 2, "submitters": ["QLTT"], "form": "online_cl_thang"}
    )
    assert r.status_code == 201 and r.json()["form"] == "online_cl_thang"
    r = post({"kind": "monthly", "year": 2027, "number": 3, "submitters": ["QLTT"], "form": "nope"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "form"
