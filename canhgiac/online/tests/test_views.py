"""The pages: the queue ordered by priority, a listing's handling through its forms, the import
page (a job, scored), figures, coverage; another province sees none of it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from canhgiac.online.models import Listing, Takedown

pytestmark = pytest.mark.django_db


def test_queue_lists_the_province_listings_highest_priority_first(signed_in, officer_qltt, make_listing):
    make_listing("Áo thun cotton", listing_ref="LOW")
    make_listing("Giày rep 1:1 hàng nội địa Trung", listing_ref="HIGH")
    page = signed_in(officer_qltt).get("/online/").content.decode()
    assert page.index("hàng nội địa Trung") < page.index("Áo thun cotton")


def test_other_province_sees_no_listing(signed_in, officer_qltt_lang_son, make_listing):
    listing = make_listing("Giày rep 1:1")
    client = signed_in(officer_qltt_lang_son)
    assert "Giày rep 1:1" not in client.get("/online/").content.decode()
    assert client.get(f"/online/listings/{listing.pk}/").status_code == 404
    assert client.post(f"/online/listings/{listing.pk}/takedown/").status_code == 404


def test_officer_handles_a_listing_through_the_page(
    signed_in, officer_qltt, make_listing, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    listing = make_listing("Giày rep 1:1")
    client = signed_in(officer_qltt)
    assert "rep 1:1" in client.get(f"/online/listings/{listing.pk}/").content.decode()
    client.post(
        f"/online/listings/{listing.pk}/evidence/",
        {"kind": "page", "file": SimpleUploadedFile("p.html", b"<html>x</html>")},
    )
    assert listing.evidence.count() == 1
    assert client.get(f"/online/evidence/{listing.evidence.get().pk}/").status_code == 200
    client.post(f"/online/listings/{listing.pk}/takedown/", {"note": "CV 1"})
    takedown = Takedown.objects.get(listing=listing)
    client.post(
        f"/online/takedowns/{takedown.pk}/outcome/", {"status": "taken_down", "closed_at": "", "note": ""}
    )
    assert Takedown.objects.get(pk=takedown.pk).status == "taken_down"
    unit = listing.agency.province.children.order_by("code").first()
    from canhgiac.directory.models import ViolationType

    response = client.post(
        f"/online/listings/{listing.pk}/case/",
        {"unit": unit.pk, "violation_type": ViolationType.objects.get(code="counterfeit").pk},
    )
    listing.refresh_from_db()
    assert listing.case_id and response.status_code == 302


def test_bad_input_on_forms_is_a_message_not_a_500(signed_in, officer_qltt, make_listing):
    listing = make_listing("Áo")
    client = signed_in(officer_qltt)
    assert client.post(f"/online/listings/{listing.pk}/no-violation/", {"reason": ""}).status_code == 302
    assert client.post(f"/online/listings/{listing.pk}/evidence/", {"kind": "nope"}).status_code == 302
    assert Listing.objects.get(pk=listing.pk).status == "new"
    assert client.post("/online/listings/new/", {"title": ""}).status_code == 200


def test_officer_enters_a_listing_and_it_is_scored(signed_in, officer_qltt, qltt):
    from canhgiac.online.models import Platform

    response = signed_in(officer_qltt).post(
        "/online/listings/new/",
        {
            "agency": qltt.pk,
            "platform": Platform.objects.get(code="zalo").pk,
            "title": "Thuốc đặc trị gout",
            "description": "khỏi hẳn sau 1 tuần",
            "price_vnd": "350.000",
            "tip_code": "ABC123",
        },
    )
    assert response.status_code == 302
    listing = Listing.objects.get()
    assert listing.flagged and listing.price_vnd == 350_000 and listing.source == "tip"


def test_import_page_runs_a_job_that_scores(
    signed_in, officer_qltt, qltt, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    data = (
        "listing_ref,platform,url,shop_name,title,description,price_vnd,category_hint\n"
        "W1,lazada,,Shop,Túi rep 1:1,,300000,\n"
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(officer_qltt).post(
            "/online/listings/import/", {"agency": qltt.pk, "file": SimpleUploadedFile("l.csv", data)}
        )
    assert response.status_code == 302
    assert Listing.objects.get(listing_ref="W1").flagged


def test_figures_coverage_and_export_pages(signed_in, officer_qltt, coordinator_sct, make_listing):
    make_listing("Giày rep 1:1")
    client = signed_in(officer_qltt)
    assert "Shopee" in client.get("/online/figures/").content.decode()
    export = client.get("/online/listings/export.csv")
    assert export.content.decode("utf-8-sig").splitlines()[0] == "listing_ref,risk_score,flagged,reasons"
    page = signed_in(coordinator_sct).get("/online/commitments/")
    assert page.status_code == 200


def test_viewer_reads_but_cannot_handle(signed_in, viewer_syt, make_listing):
    listing = make_listing("Giày rep 1:1")
    client = signed_in(viewer_syt)
    assert client.get(f"/online/listings/{listing.pk}/").status_code == 200
    assert client.post(f"/online/listings/{listing.pk}/takedown/").status_code == 403
    assert client.get("/online/listings/import/").status_code == 403


def test_api_queue_import_takedown_and_coverage(signed_in, officer_qltt, officer_qltt_lang_son):
    client = signed_in(officer_qltt)
    data = (
        "listing_ref,platform,url,shop_name,title,description,price_vnd,category_hint\n"
        "A1,shopee,,Shop,Túi rep 1:1,,300000,\nA2,tiki,,Shop,Áo thun,,100000,\n"
    ).encode()
    response = client.post(
        "/api/v1/online/listings/import", {"file": SimpleUploadedFile("l.csv", data), "agency": "QLTT"}
    )
    assert response.status_code == 200 and response.json()["flagged"] == 1
    bad = client.post(
        "/api/v1/online/listings/import",
        {"file": SimpleUploadedFile("l.csv", data.replace(b"tiki", b"ebay"))},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["line"] == 3
    queue = client.get("/api/v1/online/listings").json()
    assert [x["listing_ref"] for x in queue] == ["A1", "A2"] and queue[0]["reasons"]
    t = client.post(
        f"/api/v1/online/listings/{queue[0]['id']}/takedown", {"note": "CV"}, content_type="application/json"
    )
    assert t.status_code == 201 and t.json()["status"] == "sent"
    again = client.post(
        f"/api/v1/online/listings/{queue[0]['id']}/takedown", {}, content_type="application/json"
    )
    assert again.status_code == 422
    assert client.get("/api/v1/online/commitments/coverage?round=2026-02").status_code == 200
    assert client.get("/api/v1/online/commitments/coverage?round=nope").status_code == 422
    other = signed_in(officer_qltt_lang_son)
    assert other.get(f"/api/v1/online/listings/{queue[0]['id']}").status_code == 404
    assert other.get("/api/v1/online/listings").json() == []


def test_home_cards_count_flagged_listings_waiting_and_overdue_takedowns(
    signed_in, officer_qltt, make_listing
):
    import datetime as dt

    from django.utils import timezone

    from canhgiac.online import services

    make_listing("Giày rep 1:1", listing_ref="C1")
    late = make_listing("Túi fake loại 1", listing_ref="C2")
    services.request_takedown(officer_qltt, late, now=timezone.now() - dt.timedelta(hours=30))
    services.check_takedowns()
    from canhgiac.online.cards import online_cards

    cards = {c.label: c.value for c in online_cards(officer_qltt)}
    assert cards == {
        "Tin đăng bị gắn cờ chờ xem xét trong tỉnh": 1,
        "Yêu cầu gỡ bỏ tin đăng quá hạn trong tỉnh": 1,
    }
    assert (
        "Yêu cầu gỡ bỏ tin đăng quá hạn trong tỉnh" in signed_in(officer_qltt).get("/app/").content.decode()
    )


def test_queue_search_ignores_diacritics(signed_in, officer_qltt, make_listing):
    make_listing("Giày Nike rep 1:1", shop="Giày Sneaker Đắk Lắk", listing_ref="S1")
    make_listing("Áo thun", shop="Shop Khác", listing_ref="S2")
    page = signed_in(officer_qltt).get("/online/?q=giay+sneaker+dak&status=").content.decode()
    assert "Giày Nike rep 1:1" in page and "Áo thun" not in page
