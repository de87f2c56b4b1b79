"""What an officer does with a listing (issue 15, item 4): a case with the evidence, a warning to
the seller, a takedown request with its due time and follow-up, or no violation with a reason; the
overdue reminders; the figures by platform and agency."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.core import policy
from canhgiac.online.models import Listing, Platform, Takedown

# Decree 147/2024: a social network takes content down within 24 hours of an authority's request.
DEFAULT_TAKEDOWN_HOURS = 24
REMIND_BEFORE_HOURS = 4


def takedown_hours(kind: str) -> int:
    """Hours a platform of `kind` has to act (CANHGIAC_ONLINE_TAKEDOWN_HOURS = {kind: hours})."""
    configured = getattr(settings, "CANHGIAC_ONLINE_TAKEDOWN_HOURS", {}) or {}
    return int(configured.get(kind, DEFAULT_TAKEDOWN_HOURS))


def _reviewed(listing: Listing, user, status: str) -> None:
    listing.status = status
    listing.reviewed_by = user if getattr(user, "pk", None) else None
    listing.reviewed_at = timezone.now()


def request_takedown(user, listing: Listing, note: str = "", now=None) -> Takedown:
    """Record a takedown request sent to the listing's platform, due after the hours of its kind."""
    if user is not None:
        policy.require(user, "change", listing)
    if listing.takedowns.filter(status__in=[Takedown.Status.SENT, Takedown.Status.OVERDUE]).exists():
        raise ValidationError({"listing": [_("Tin đăng này đã có yêu cầu gỡ bỏ đang chờ kết quả.")]})
    now = now or timezone.now()
    with transaction.atomic():
        takedown = Takedown.objects.create(
            listing=listing,
            agency=listing.agency,
            requested_by=user if getattr(user, "pk", None) else None,
            sent_at=now,
            due_at=now + dt.timedelta(hours=takedown_hours(listing.platform.kind)),
            note=(note or "").strip()[:500],
        )
        _reviewed(listing, user, Listing.Status.TAKEDOWN)
        listing.save()
    return takedown


def record_takedown_outcome(user, takedown: Takedown, status: str, note: str = "", when=None) -> Takedown:
    """The platform took the listing down, or refused."""
    if user is not None:
        policy.require(user, "change", takedown.listing)
    if status not in (Takedown.Status.TAKEN_DOWN, Takedown.Status.REFUSED):
        raise ValidationError({"status": [_("Kết quả phải là “đã gỡ bỏ” hoặc “nền tảng từ chối”.")]})
    if takedown.status not in (Takedown.Status.SENT, Takedown.Status.OVERDUE):
        raise ValidationError({"status": [_("Yêu cầu gỡ bỏ này đã có kết quả.")]})
    when = when or timezone.now()
    if when < takedown.sent_at:
        raise ValidationError(
            {"closed_at": [_("Thời điểm kết thúc không được trước thời điểm gửi yêu cầu.")]}
        )
    with transaction.atomic():
        takedown.status = status
        takedown.closed_at = when
        if note:
            takedown.note = note.strip()[:500]
        takedown.save()
    return takedown


def warn_seller(user, listing: Listing, text: str) -> Listing:
    if user is not None:
        policy.require(user, "change", listing)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Nhập nội dung cảnh báo gửi người bán.")]})
    with transaction.atomic():
        listing.warning_text = text[:5000]
        _reviewed(listing, user, Listing.Status.WARNED)
        listing.save()
    return listing


def no_violation(user, listing: Listing, reason: str) -> Listing:
    if user is not None:
        policy.require(user, "change", listing)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Nhập lý do kết luận không vi phạm.")]})
    with transaction.atomic():
        listing.no_violation_reason = reason[:500]
        _reviewed(listing, user, Listing.Status.NO_VIOLATION)
        listing.save()
    return listing


def to_case(
    user, listing: Listing, *, unit_code: str, violation_type: str, lead_agency_code: str = ""
) -> object:
    """Turn a listing into a case (cases services), with the seller as a subject and copies of the
    screenshots and PDFs attached; every evidence file's SHA-256 and capture time are written in the
    case's summary, the originals stay unchanged on the listing."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from canhgiac.cases import services as cases

    if user is not None:
        policy.require(user, "change", listing)
    if listing.case_id:
        raise ValidationError({"listing": [_("Tin đăng này đã được chuyển thành vụ việc.")]})
    evidence = list(listing.evidence.all())
    lines = [
        _("Tin đăng %(ref)s trên %(platform)s: %(title)s")
        % {"ref": listing.listing_ref, "platform": listing.platform.name, "title": listing.title},
    ]
    if listing.price_vnd:
        lines.append(_("Giá rao bán: %(p)s đ") % {"p": f"{listing.price_vnd:,}".replace(",", ".")})
    if listing.reasons:
        lines.append(_("Lý do rủi ro: %(r)s") % {"r": " ".join(listing.reasons)})
    for e in evidence:
        lines.append(
            _("Chứng cứ %(name)s (%(kind)s), SHA-256 %(sha)s, ghi nhận lúc %(at)s")
            % {
                "name": e.original_name,
                "kind": e.get_kind_display(),
                "sha": e.sha256,
                "at": timezone.localtime(e.captured_at).strftime("%d/%m/%Y %H:%M"),
            }
        )
    data = {
        "lead_agency_code": lead_agency_code or listing.agency.code,
        "detected_on": timezone.localdate(),
        "unit_code": unit_code,
        "violation_type": violation_type,
        "summary": "\n".join(lines),
        "online_url": listing.url,
        "online_platform": listing.platform.name,
        "origin": f"online:{listing.listing_ref}"[:100],
    }
    if listing.shop_name:
        data["subjects"] = [{"kind": "online_account", "name": listing.shop_name[:200], "role": "seller"}]
    with transaction.atomic():
        case = cases.create_case(user, data)
        for e in evidence:
            if e.kind == e.Kind.VIDEO:
                continue
            with e.file.open("rb") as fh:
                content = fh.read()
            if not (content.startswith(b"%PDF-") or e.kind == e.Kind.SCREENSHOT):
                continue
            try:
                cases.add_attachment(
                    user,
                    case,
                    SimpleUploadedFile(e.original_name, content),
                    description=(
                        _("Bản sao chứng cứ trực tuyến, bản gốc SHA-256 %(sha)s") % {"sha": e.sha256[:16]}
                    )[:200],
                )
            except ValidationError:
                continue  # a file the case cannot take (a broken image too) stays on the listing, its hash in the summary
        listing.case = case
        _reviewed(listing, user, Listing.Status.CASE)
        listing.save()
    return case


# ---------------------------------------------------------------- reminders


def check_takedowns(now=None) -> str:
    """Periodic: remind the requester of a takedown due within REMIND_BEFORE_HOURS, and mark those
    past their due time overdue (with a notification). Idempotent (dedupe keys)."""
    from canhgiac.core.notify import notify

    now = now or timezone.now()
    soon = Takedown.objects.filter(
        status=Takedown.Status.SENT, due_at__gt=now, due_at__lte=now + dt.timedelta(hours=REMIND_BEFORE_HOURS)
    ).select_related("listing", "listing__platform", "requested_by")
    reminded = 0
    for t in soon:
        if t.requested_by_id:
            reminded += notify(
                [t.requested_by],
                kind="online.takedown_due",
                title=_("Yêu cầu gỡ bỏ tin %(ref)s sắp đến hạn %(due)s")
                % {
                    "ref": t.listing.listing_ref,
                    "due": timezone.localtime(t.due_at).strftime("%d/%m/%Y %H:%M"),
                },
                url=reverse("online:listing", args=[t.listing_id]),
                dedupe_key=f"online.takedown_due:{t.pk}",
                email=False,
            )
    late = list(
        Takedown.objects.filter(status=Takedown.Status.SENT, due_at__lte=now).select_related(
            "listing", "listing__platform", "requested_by"
        )
    )
    for t in late:
        with transaction.atomic():
            t.status = Takedown.Status.OVERDUE
            t.save()
            if t.requested_by_id:
                notify(
                    [t.requested_by],
                    kind="online.takedown_overdue",
                    title=_("Quá hạn: %(platform)s chưa gỡ tin %(ref)s")
                    % {"platform": t.listing.platform.name, "ref": t.listing.listing_ref},
                    body=_("Hạn gỡ bỏ là %(due)s.")
                    % {"due": timezone.localtime(t.due_at).strftime("%d/%m/%Y %H:%M")},
                    url=reverse("online:listing", args=[t.listing_id]),
                    dedupe_key=f"online.takedown_overdue:{t.pk}",
                )
    if not reminded and not late:
        return None
    return f"online: {reminded} takedown reminder(s), {len(late)} overdue"


# ---------------------------------------------------------------- figures


def _takedown_counts() -> dict:
    """The takedown aggregates, one definition for the figures page and the public statistics:
    requested (n); done on time (taken down no later than the due time); overdue (still overdue,
    or taken down after the due time)."""
    return {
        "n": Count("id"),
        "on_time": Count("id", filter=Q(status=Takedown.Status.TAKEN_DOWN, closed_at__lte=F("due_at"))),
        "overdue": Count(
            "id",
            filter=Q(status=Takedown.Status.OVERDUE)
            | Q(status=Takedown.Status.TAKEN_DOWN, closed_at__gt=F("due_at")),
        ),
    }


def province_takedowns(province, date_from: dt.date, date_to: dt.date) -> dict:
    """System scope, aggregates only (the public statistics): takedown requests about the
    listings of `province` sent in [date_from, date_to] (local dates), with how many were done on
    time and how many are or were overdue (see _takedown_counts). One query."""
    row = Takedown.objects.filter(
        listing__province=province,
        sent_at__date__gte=date_from,
        sent_at__date__lte=date_to,
    ).aggregate(**_takedown_counts())
    return {"requested": row["n"], "on_time": row["on_time"], "overdue": row["overdue"]}


def review_counts(user) -> dict:
    """Flagged listings awaiting review and overdue takedowns over every listing `user` may see
    (the province, for a provincial user): one scope for the home card and the leaders' "today"
    rows, so the two never disagree."""
    from canhgiac.online.models import Listing as L

    return {
        "flagged_waiting": policy.visible_to(
            user, L.objects.filter(flagged=True, status=L.Status.NEW)
        ).count(),
        "takedowns_overdue": policy.visible_to(
            user, Takedown.objects.filter(status=Takedown.Status.OVERDUE)
        ).count(),
    }


def figures(user, province, date_from=None, date_to=None) -> dict:
    """Listings reviewed and flagged, takedowns requested, done on time and overdue, by platform
    and by agency, for the listings `user` may see in `province` (created in the window)."""
    from canhgiac.online.models import Listing as L

    listings = policy.visible_to(user, L.objects.filter(province=province))
    if date_from:
        listings = listings.filter(created_at__date__gte=date_from)
    if date_to:
        listings = listings.filter(created_at__date__lte=date_to)
    takedowns = Takedown.objects.filter(listing__in=listings.values("pk"))

    def table(key, label_field):
        rows = {}
        for row in listings.values(key, label_field).annotate(
            total=Count("id"),
            flagged=Count("id", filter=Q(flagged=True)),
            reviewed=Count("id", filter=~Q(status=L.Status.NEW)),
        ):
            rows[row[key]] = {
                "label": row[label_field],
                "total": row["total"],
                "flagged": row["flagged"],
                "reviewed": row["reviewed"],
                "takedowns": 0,
                "on_time": 0,
                "overdue": 0,
            }
        tkey = f"listing__{key}"
        for row in takedowns.values(tkey).annotate(**_takedown_counts()):
            r = rows.get(row[tkey])
            if r:
                r.update(takedowns=row["n"], on_time=row["on_time"], overdue=row["overdue"])
        return sorted(rows.values(), key=lambda r: (-r["total"], str(r["label"])))

    by_platform = table("platform", "platform__name")
    by_agency = table("agency", "agency__name")
    totals = {
        k: sum(r[k] for r in by_platform)
        for k in ("total", "flagged", "reviewed", "takedowns", "on_time", "overdue")
    }
    return {"by_platform": by_platform, "by_agency": by_agency, "totals": totals}


def platforms_by_kind() -> dict:
    return {p.code: p for p in Platform.objects.all()}


REVIEW_KEYS = ("reviewed", "flagged", "false_claims", "takedowns", "warnings", "cases")


def review_figures(date_from, date_to, agency_code=None, province_code=None) -> dict | None:
    """The figures of the scheduled reviews (seed 004: 7.3 quarterly false-advertising review,
    7.11 monthly review of false quality claims), in system scope, for the province (its code,
    default the home province) or one of its agencies, in [date_from, date_to]:

    - reviewed: listings an officer concluded on (warning, takedown, case or no violation),
      by the review date;
    - flagged: listings recorded in the window that the scoring flagged;
    - false_claims: of those, the flagged listings that advertise a cure or treatment (the
      health-claim reason) or make a false quality claim (the quality reason: unverified
      certifications, "100 % natural", "số 1", awards, "chính hãng" without a registration
      number, "imported" contradicted by the origin; 7.11);
    - false_quality: of those, the ones with a false quality claim;
    - takedowns: takedown requests sent in the window;
    - warnings: listings whose seller was warned, by the review date;
    - cases: listings turned into a case, by the review date.

    Four queries whatever the data. None when the province is unknown."""
    from canhgiac.directory import services as directory
    from canhgiac.online.scoring import claims_false_quality, claims_health

    province = directory.unit_by_code(province_code) if province_code else directory.home_province()
    if province is None:
        return None
    listings = Listing.objects.filter(province=province)
    takedowns = Takedown.objects.filter(listing__province=province)
    if agency_code:
        code = agency_code.split(":")[-1]
        listings = listings.filter(agency__code=code)
        takedowns = takedowns.filter(agency__code=code)
    in_review = Q(reviewed_at__date__gte=date_from, reviewed_at__date__lte=date_to)
    reviewed = listings.filter(in_review).exclude(status=Listing.Status.NEW)
    counts = reviewed.aggregate(
        reviewed=Count("id"),
        warnings=Count("id", filter=~Q(warning_text="")),
        cases=Count("id", filter=Q(case__isnull=False)),
    )
    flagged = listings.filter(flagged=True, created_at__date__gte=date_from, created_at__date__lte=date_to)
    texts = list(flagged.values_list("title", "description", "category__code"))
    quality = [claims_false_quality(title, description, code or "") for title, description, code in texts]
    return {
        "reviewed": counts["reviewed"],
        "flagged": len(texts),
        "false_claims": sum(
            1
            for (title, description, _code), q in zip(texts, quality, strict=True)
            if q or claims_health(title, description)
        ),
        "false_quality": sum(quality),
        "takedowns": takedowns.filter(sent_at__date__gte=date_from, sent_at__date__lte=date_to).count(),
        "warnings": counts["warnings"],
        "cases": counts["cases"],
    }
