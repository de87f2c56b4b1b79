"""The online API at /api/v1/online: the review queue, a listing, the import (scored before the
answer), a takedown request, and the commitments coverage."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from canhgiac.api import ApiError
from canhgiac.core import policy
from canhgiac.core.policy import visible_to
from canhgiac.directory import services as directory
from canhgiac.online import services
from canhgiac.online.models import Listing

router = Router(tags=["online"])


class ListingOut(Schema):
    id: int
    listing_ref: str
    agency: str
    platform: str
    url: str
    shop_name: str
    title: str
    price_vnd: int | None
    category: str
    risk_score: int
    flagged: bool
    priority: int
    reasons: list[str]
    status: str
    case_reference: str


def _out(listing: Listing) -> dict:
    return {
        "id": listing.pk,
        "listing_ref": listing.listing_ref,
        "agency": listing.agency.code,
        "platform": listing.platform.code,
        "url": listing.url,
        "shop_name": listing.shop_name,
        "title": listing.title,
        "price_vnd": listing.price_vnd,
        "category": listing.category.code if listing.category_id else "",
        "risk_score": listing.risk_score,
        "flagged": listing.flagged,
        "priority": listing.priority,
        "reasons": listing.reasons or [],
        "status": listing.status,
        "case_reference": listing.case.reference if listing.case_id else "",
    }


def _listings(user):
    return visible_to(user, Listing.objects.select_related("agency", "platform", "category", "case"))


@router.get("/listings", response=list[ListingOut])
def list_listings(
    request,
    status: str = "",
    flagged: bool | None = None,
    platform: str = "",
    limit: int = 100,
    offset: int = 0,
):
    """The review queue of the caller's province, highest priority first."""
    if not policy.can(request.user, "online.review"):
        raise PermissionDenied
    listings = _listings(request.user)
    if status:
        if status not in Listing.Status.values:
            raise ApiError(
                422, _("Trạng thái không hợp lệ."), [{"field": "status", "message": _("không hợp lệ")}]
            )
        listings = listings.filter(status=status)
    if flagged is not None:
        listings = listings.filter(flagged=flagged)
    if platform:
        listings = listings.filter(platform__code=platform)
    limit, offset = max(1, min(limit, 500)), max(offset, 0)
    return [_out(x) for x in listings.order_by("-priority", "-risk_score", "-id")[offset : offset + limit]]


class ImportOut(Schema):
    detail: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0
    errors: list[dict] = []


@router.post("/listings/import", response={200: ImportOut, 422: ImportOut})
def import_listings(request, file: File[UploadedFile] = None, agency: Form[str] = "QLTT"):
    """The same import as `canhgiac import-listings` (columns listing_ref, platform, url, shop_name,
    title, description, price_vnd, category_hint): all or nothing, 422 with every line's errors,
    every listing scored before the answer."""
    if not policy.can(request.user, "online.import"):
        raise PermissionDenied
    if file is None:
        message = _("Gửi tệp CSV hoặc XLSX trong trường “file” (multipart/form-data).")
        raise ApiError(422, message, [{"field": "file", "message": message}])
    found = directory.agency_by_code(agency, directory.home_province(request.user))
    if found is None:
        message = _("Không có cơ quan mã “%(code)s”.") % {"code": str(agency)[:40]}
        raise ApiError(422, message, [{"field": "agency", "message": message}])
    result = services.import_listings(request.user, file.read(), file.name or "listings.csv", agency=found)
    return Status(200 if result.ok else 422, result.as_dict())


@router.get("/listings/{listing_id}", response=ListingOut)
def get_listing(request, listing_id: int):
    listing = get_object_or_404(_listings(request.user), pk=listing_id)
    policy.require(request.user, "view", listing)
    return _out(listing)


class TakedownIn(Schema):
    note: str = ""


class TakedownOut(Schema):
    id: int
    listing_id: int
    status: str
    sent_at: dt.datetime
    due_at: dt.datetime


@router.post("/listings/{listing_id}/takedown", response={201: TakedownOut})
def request_takedown(request, listing_id: int, payload: TakedownIn):
    """Record a takedown request to the listing's platform (due after the hours of its kind)."""
    listing = get_object_or_404(_listings(request.user), pk=listing_id)
    t = services.request_takedown(request.user, listing, payload.note)
    return Status(
        201,
        {"id": t.pk, "listing_id": listing.pk, "status": t.status, "sent_at": t.sent_at, "due_at": t.due_at},
    )


class MissingOut(Schema):
    id: int
    name: str
    identifier: str


class CoverageOut(Schema):
    round: str
    round_name: str
    due: dt.date
    kind: str
    kind_name: str
    agency_code: str
    required: int
    signed: int
    signed_on_time: int
    percent: float | None
    missing: list[MissingOut]


@router.get("/commitments/coverage", response=list[CoverageOut])
def online_commitment_coverage(request, round: str = ""):
    """For each kind of signer and round: how many must sign, how many have, who has not."""
    if not policy.can(request.user, "online.commitments"):
        raise PermissionDenied
    if round and services.round_by_code(round) is None:
        raise ApiError(
            422,
            _("Không có đợt “%(code)s”.") % {"code": round[:20]},
            [{"field": "round", "message": _("không hợp lệ")}],
        )
    return services.commitment_coverage(directory.home_province(request.user), round or None)


class SignerOut(Schema):
    id: int
    name: str
    kind: str
    kind_name: str
    template: str
    signed_on: dt.date | None


def _signer_out(s) -> dict:
    c = getattr(s, "commitment", None)
    return {
        "id": s.pk,
        "name": s.name,
        "kind": s.kind.code,
        "kind_name": s.kind.name,
        "template": s.kind.template,
        "signed_on": c.signed_on if c else None,
    }


@router.get("/commitments/mine", response=list[SignerOut])
def my_commitments(request):
    """The commitments the caller's own account must sign (a business, KOL, press … account)."""
    return [_signer_out(s) for s in services.own_signers(request.user)]


@router.post("/commitments/mine/{signer_id}/sign", response={201: SignerOut})
def sign_my_commitment(request, signer_id: int):
    """Sign one's own commitment online (the template's text, with the date)."""
    signer = get_object_or_404(services.own_signers(request.user), pk=signer_id)
    services.sign_online(request.user, signer)
    signer = services.own_signers(request.user).get(pk=signer.pk)
    return Status(201, _signer_out(signer))
