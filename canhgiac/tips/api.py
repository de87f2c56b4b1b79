"""Tips API: public submission and follow-up (no account), staff figures.

POST /api/v1/tips, GET /api/v1/tips/stats, GET /api/v1/tips/{code} (header X-Tip-Secret),
POST /api/v1/tips/{code}/messages (header X-Tip-Secret), PUT /api/v1/tips/staff/{id}/signs-of-crime.
"""

import datetime as dt
import logging

from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Header, Query, Router, Schema, Status
from ninja.errors import HttpError

from canhgiac.api import ApiError
from canhgiac.core.middleware import client_ip
from canhgiac.tips import services

prefix = "/tips"
log = logging.getLogger(__name__)
router = Router(tags=["tips"])

NOT_FOUND = _("Không tìm thấy tin báo với mã và mã bí mật này.")
TOO_MANY = _(
    "Quá nhiều yêu cầu từ địa chỉ của bạn trong một giờ (tối đa %(n)s lần mỗi giờ). "
    "Vui lòng thử lại sau hoặc gọi đường dây nóng."
)


def _rate_limited(limited, per_hour):
    """An `auth` hook for anonymous endpoints: ninja runs it before it reads the body, so a
    source over its hourly limit is refused before anything is parsed or stored."""

    def check(request):
        if limited(client_ip(request)):
            raise ApiError(429, TOO_MANY % {"n": per_hour()})
        return True

    return check


SUBMIT_LIMIT = [_rate_limited(services.submission_limited, services.submission_limit)]
FOLLOW_LIMIT = [_rate_limited(services.follow_limited, services.follow_limit)]


class TipIn(Schema):
    # Every field is a plain optional value so that bad input reaches our validator, which names
    # the field in Vietnamese, rather than failing type coercion.
    description: str | None = None
    unit_code: str | int | None = None
    goods_category: str | None = None
    violation_type: str | None = None
    location: str | None = None
    online_url: str | None = None
    anonymous: bool | str | None = None
    reporter_name: str | None = None
    reporter_phone: str | None = None
    reporter_email: str | None = None


class TipCreated(Schema):
    code: str
    secret: str


class MessageOut(Schema):
    from_tipster: bool
    sender: str
    body: str
    at: dt.datetime


class TipStatusOut(Schema):
    code: str
    status: str
    status_label: str
    outcome: str
    outcome_label: str
    received_at: dt.datetime
    handled_by: str
    messages: list[MessageOut]


class MessageIn(Schema):
    body: str | None = None


class ErrorOut(Schema):
    detail: str
    errors: list[dict]


class Figures(Schema):
    received: int
    accepted: int
    to_resolve: int
    resolved: int
    resolved_on_time: int
    acceptance_rate: float | None
    resolution_rate: float | None
    on_time_resolution_rate: float | None
    open: int
    overdue: int


class StatsOut(Figures):
    date_from: dt.date
    date_to: dt.date
    by_agency: dict[str, Figures]
    by_channel: dict[str, Figures]


UNAVAILABLE = _(
    "Hệ thống tạm thời không lưu được tin báo. Tin báo CHƯA được ghi nhận, vui lòng gửi lại sau ít phút."
)


@router.post("", auth=SUBMIT_LIMIT, response={201: TipCreated, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut})
def submit(request, payload: TipIn):
    """Send a tip without an account. Only `description` is required. Answers the tip's code and
    the follow-up secret, which is shown only this once. 201 is sent only after the tip is
    committed; if the database is unreachable the answer is 503 and nothing was acknowledged."""
    data = payload.dict()
    if data.get("unit_code") is not None:
        data["unit_code"] = str(data["unit_code"])
    try:
        tip, secret = services.submit_public(data)  # ValidationError: canhgiac.api.on_service_error
    except DatabaseError:
        log.exception("tip submission failed on the database")
        raise ApiError(503, UNAVAILABLE)
    return Status(201, {"code": tip.code, "secret": secret})


@router.get("/stats", response=StatsOut)
def stats(
    request,
    date_from: str | None = Query(None, alias="from"),
    date_to: str | None = Query(None, alias="to"),
    agency: str | None = None,
    province: str | None = None,
):
    """Figures for tips received between `from` and `to` (inclusive) the caller may see;
    definitions in docs/tips.md. `province` (its code) narrows them to one province."""
    today = timezone.localdate()
    try:
        date_from = dt.date.fromisoformat(date_from) if date_from else today.replace(month=1, day=1)
    except ValueError:
        raise ApiError(
            422,
            gettext("Dữ liệu không hợp lệ."),
            [{"field": "from", "message": gettext("Từ ngày: dạng YYYY-MM-DD.")}],
        )
    try:
        date_to = dt.date.fromisoformat(date_to) if date_to else today
    except ValueError:
        raise ApiError(
            422,
            gettext("Dữ liệu không hợp lệ."),
            [{"field": "to", "message": gettext("Đến ngày: dạng YYYY-MM-DD.")}],
        )
    if date_from > date_to:
        raise ApiError(
            422,
            gettext("Dữ liệu không hợp lệ."),
            [{"field": "to", "message": gettext("Đến ngày phải sau Từ ngày.")}],
        )
    figures = services.stats(
        request.user, date_from, date_to, agency_code=agency or None, province_code=province or None
    )
    return {**figures, "date_from": date_from, "date_to": date_to}


class SignsOfCrimeIn(Schema):
    signs_of_crime: bool


class SignsOfCrimeOut(Schema):
    id: int
    code: str
    signs_of_crime: bool


@router.put("/staff/{int:tip_id}/signs-of-crime", response={200: SignsOfCrimeOut, 404: ErrorOut})
def set_signs_of_crime(request, tip_id: int, payload: SignsOfCrimeIn):
    """A handler marks a tip as showing signs of crime (or not); cases made from it inherit it."""
    from canhgiac.core.policy import visible_to
    from canhgiac.tips.models import Tip

    tip = visible_to(request.user, Tip.objects.filter(pk=tip_id)).first()
    if tip is None:
        raise HttpError(404, "Không tìm thấy tin báo.")
    tip = services.mark_signs_of_crime(request.user, tip, payload.signs_of_crime)
    return {"id": tip.pk, "code": tip.code, "signs_of_crime": tip.signs_of_crime}


def _tip_for(request, code: str, secret: str | None):
    tip = services.find_for_tipster(code, secret or "")
    if tip is None:
        raise HttpError(404, NOT_FOUND)
    return tip


def _status(tip):
    data = services.public_status(tip)
    data["messages"] = [
        {"from_tipster": m["from_tipster"], "sender": m["from"], "body": m["body"], "at": m["at"]}
        for m in data["messages"]
    ]
    return data


@router.get("/{code}", auth=FOLLOW_LIMIT, response={200: TipStatusOut, 404: ErrorOut, 429: ErrorOut})
def follow(request, code: str, x_tip_secret: str | None = Header(None, alias="X-Tip-Secret")):
    """Status and messages of a tip, for the tipster holding its secret. A wrong secret and an
    unknown code both answer 404."""
    return _status(_tip_for(request, code, x_tip_secret))


@router.post(
    "/{code}/messages",
    auth=FOLLOW_LIMIT,
    response={201: TipStatusOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
)
def send_message(
    request, code: str, payload: MessageIn, x_tip_secret: str | None = Header(None, alias="X-Tip-Secret")
):
    """The tipster writes to the handling agency, staying anonymous."""
    tip = _tip_for(request, code, x_tip_secret)
    services.tipster_message(tip, payload.body or "")
    return Status(201, _status(tip))
