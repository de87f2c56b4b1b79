"""Handling a listing: takedown due times and overdue reminders, a case with the evidence, a
warning, no violation; the figures by platform and agency."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from canhgiac.audit.models import AuditEvent
from canhgiac.core.models import Notification
from canhgiac.online import services
from canhgiac.online.models import Listing, Takedown

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()


def test_takedown_is_due_after_24_hours_by_default_and_per_platform_kind(
    make_listing, officer_qltt, settings
):
    now = timezone.now()
    t = services.request_takedown(officer_qltt, make_listing(), "Công văn 12/QLTT", now=now)
    assert t.due_at - t.sent_at == dt.timedelta(hours=24) and t.status == Takedown.Status.SENT
    assert Listing.objects.get(pk=t.listing_id).status == Listing.Status.TAKEDOWN
    settings.CANHGIAC_ONLINE_TAKEDOWN_HOURS = {"social": 6}
    fb = services.request_takedown(officer_qltt, make_listing(platform="facebook", listing_ref="F1"), now=now)
    assert fb.due_at - fb.sent_at == dt.timedelta(hours=6)
    with pytest.raises(ValidationError):
        services.request_takedown(officer_qltt, fb.listing, now=now)  # one open request at a time


def test_reminder_before_due_then_overdue_with_a_notification_once(make_listing, officer_qltt):
    sent = timezone.now() - dt.timedelta(hours=21)
    t = services.request_takedown(officer_qltt, make_listing(), now=sent)
    services.check_takedowns()
    assert Notification.objects.filter(user=officer_qltt, kind="online.takedown_due").count() == 1
    later = sent + dt.timedelta(hours=25)
    services.check_takedowns(now=later)
    services.check_takedowns(now=later)
    t.refresh_from_db()
    assert t.status == Takedown.Status.OVERDUE
    assert Notification.objects.filter(user=officer_qltt, kind="online.takedown_overdue").count() == 1
    # taken down late: done, but not on time
    services.record_takedown_outcome(officer_qltt, t, Takedown.Status.TAKEN_DOWN, when=later)
    t.refresh_from_db()
    assert t.status == Takedown.Status.TAKEN_DOWN and not t.on_time


def test_outcome_on_time_and_refused(make_listing, officer_qltt):
    t = services.request_takedown(officer_qltt, make_listing())
    services.record_takedown_outcome(officer_qltt, t, Takedown.Status.TAKEN_DOWN)
    assert Takedown.objects.get(pk=t.pk).on_time
    with pytest.raises(ValidationError):
        services.record_takedown_outcome(officer_qltt, t, Takedown.Status.REFUSED)
    t2 = services.request_takedown(officer_qltt, make_listing(listing_ref="X2"))
    with pytest.raises(ValidationError):
        services.record_takedown_outcome(officer_qltt, t2, "sent")


def test_evidence_keeps_the_file_its_hash_and_capture_time_in_the_audit_chain(
    make_listing, officer_qltt, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    listing = make_listing()
    captured = timezone.now() - dt.timedelta(hours=2)
    e = services.add_evidence(
        officer_qltt, listing, SimpleUploadedFile("shot.png", PNG), "screenshot", captured
    )
    assert e.sha256 == hashlib.sha256(PNG).hexdigest() and services.evidence_intact(e)
    event = AuditEvent.objects.get(action="online.evidence.create", object_id=str(e.pk))
    assert event.changes["sha256"]["after"] == e.sha256
    assert event.changes["captured_at"]["after"]
    with pytest.raises(ValidationError):
        services.add_evidence(
            officer_qltt,
            listing,
            SimpleUploadedFile("x.png", PNG),
            "screenshot",
            timezone.now() + dt.timedelta(days=1),
        )


def test_to_case_records_the_listing_seller_and_evidence(
    make_listing, officer_qltt, qltt, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    listing = make_listing("Giày Nike rep 1:1", price_vnd=450_000)
    e = services.add_evidence(officer_qltt, listing, SimpleUploadedFile("shot.png", PNG), "screenshot")
    unit = qltt.province.children.order_by("code").first()
    case = services.to_case(officer_qltt, listing, unit_code=unit.code, violation_type="counterfeit")
    listing.refresh_from_db()
    assert listing.case_id == case.pk and listing.status == Listing.Status.CASE
    assert case.online_url == listing.url and case.online_platform == "Shopee"
    assert e.sha256 in case.summary and "rep 1:1" in case.summary
    assert case.attachments.count() == 1
    assert case.subject_links.filter(subject__name="Shop Hoa Mai", role="seller").exists()
    with pytest.raises(ValidationError):
        services.to_case(officer_qltt, listing, unit_code=unit.code, violation_type="counterfeit")


def test_a_damaged_screenshot_stays_on_the_listing_and_the_case_is_still_made(
    make_listing, officer_qltt, qltt, settings, tmp_path
):
    """Evidence is kept byte for byte (its hash proves it); a damaged image cannot become a case
    attachment, so the case names its hash and is made all the same."""
    settings.MEDIA_ROOT = str(tmp_path)
    damaged = bytearray(PNG)
    damaged[damaged.find(b"IDAT") + 6] ^= 0xFF
    listing = make_listing("Giày Nike rep 1:1", price_vnd=450_000)
    e = services.add_evidence(
        officer_qltt, listing, SimpleUploadedFile("shot.png", bytes(damaged)), "screenshot"
    )
    unit = qltt.province.children.order_by("code").first()
    case = services.to_case(officer_qltt, listing, unit_code=unit.code, violation_type="counterfeit")
    assert case.attachments.count() == 0 and e.sha256 in case.summary


def test_warning_and_no_violation_need_their_text(make_listing, officer_qltt):
    listing = make_listing()
    with pytest.raises(ValidationError):
        services.warn_seller(officer_qltt, listing, " ")
    services.warn_seller(officer_qltt, listing, "Đề nghị gỡ tin và xuất trình hóa đơn.")
    assert Listing.objects.get(pk=listing.pk).status == Listing.Status.WARNED
    other = make_listing("Áo thun", listing_ref="Y")
    with pytest.raises(ValidationError):
        services.no_violation(officer_qltt, other, "")
    services.no_violation(officer_qltt, other, "Hàng chính hãng, có hóa đơn.")
    assert Listing.objects.get(pk=other.pk).reviewed_by == officer_qltt


def test_another_agencys_officer_cannot_handle_but_the_coordinator_can(
    make_listing, officer_ca, coordinator_sct
):
    listing = make_listing()
    with pytest.raises(PermissionDenied):
        services.request_takedown(officer_ca, listing)
    services.request_takedown(coordinator_sct, listing)


def test_figures_by_platform_and_agency(make_listing, officer_qltt):
    now = timezone.now()
    a = make_listing("Giày rep 1:1", listing_ref="A")
    make_listing("Áo thun", listing_ref="B")
    c = make_listing("Túi fake loại 1", listing_ref="C", platform="facebook")
    t1 = services.request_takedown(officer_qltt, a, now=now - dt.timedelta(hours=30))
    services.check_takedowns(now=now)  # overdue
    t2 = services.request_takedown(officer_qltt, c, now=now)
    services.record_takedown_outcome(officer_qltt, t2, "taken_down", when=now + dt.timedelta(hours=1))
    data = services.figures(officer_qltt, officer_qltt.active_memberships()[0].agency.province)
    shopee = next(r for r in data["by_platform"] if r["label"] == "Shopee")
    assert (
        shopee["total"],
        shopee["flagged"],
        shopee["reviewed"],
        shopee["takedowns"],
        shopee["overdue"],
    ) == (2, 1, 1, 1, 1)
    assert data["totals"] == {
        "total": 3,
        "flagged": 2,
        "reviewed": 2,
        "takedowns": 2,
        "on_time": 1,
        "overdue": 1,
    }
    assert data["by_agency"][0]["total"] == 3
    assert t1.pk
