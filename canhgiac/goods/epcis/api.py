"""The EPCIS 2.0 API at /api/v1/epcis: capture (`POST /capture`), query (`GET /events`) and the
events of one identifier (`GET /epcs/{epc}/events`), after the GS1 REST bindings."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from canhgiac.api import ApiError, _bad_text_fields
from canhgiac.core import policy
from canhgiac.goods.epcis import capture as capture_service
from canhgiac.goods.epcis import query as query_service

router = Router(tags=["epcis"])
MEDIA_TYPES = ("application/json", "application/ld+json")

ERROR_ITEM = {
    "type": "object",
    "properties": {
        "event": {"type": "integer"},
        "eventID": {"type": "string"},
        "field": {"type": "string"},
        "message": {"type": "string"},
    },
}
CAPTURE_ANSWER = {
    "type": "object",
    "properties": {
        "events": {"type": "integer"},
        "stored": {"type": "integer"},
        "duplicates": {"type": "integer"},
        "error_declarations": {"type": "integer"},
        "unregistered": {"type": "integer"},
        "eventHashes": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["events", "stored", "duplicates"],
}
REFUSAL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "errors": {"type": "array", "items": ERROR_ITEM}},
    "required": ["detail"],
}
QUERY_DOCUMENT = {
    "type": "object",
    "properties": {"type": {"type": "string"}, "epcisBody": {"type": "object"}},
}


def _json(status: int, data: dict) -> HttpResponse:
    return HttpResponse(json.dumps(data, ensure_ascii=False), status=status, content_type="application/json")


def _refusal(status: int, detail: str, errors: list[dict]) -> HttpResponse:
    return _json(status, {"detail": str(detail), "errors": errors})


def _content(status: int, schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


@router.post(
    "/capture",
    response={201: dict, 200: dict, 400: dict, 403: dict, 413: dict, 415: dict, 422: dict},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {m: {"schema": {"type": "object"}} for m in MEDIA_TYPES},
        },
        "responses": {
            201: _content(201, CAPTURE_ANSWER, "Đã lưu các sự kiện mới của tài liệu."),
            200: _content(200, CAPTURE_ANSWER, "Tài liệu đã nhận trước đây: không có sự kiện mới."),
            400: _content(400, REFUSAL, "Nội dung không phải JSON."),
            403: _content(
                403, REFUSAL, "Không có quyền gửi một sự kiện nào đó (nêu sự kiện, trường, lý do)."
            ),
            413: _content(413, REFUSAL, "Quá nhiều sự kiện trong một tài liệu."),
            415: _content(415, REFUSAL, "Kiểu nội dung phải là application/json hoặc application/ld+json."),
            422: _content(422, REFUSAL, "Tài liệu sai: từng sự kiện, trường và lý do; không lưu gì."),
        },
    },
)
def epcis_capture(request):
    """Capture an EPCIS 2.0 document (EPCISDocument, or a single event) in JSON / JSON-LD,
    synchronously: 201 with what was stored, 200 when every event was already stored (recognised
    by its GS1 event hash), or 4xx naming each refused event, field and reason (nothing stored)."""
    if not policy.can(request.user, "goods.epcis_capture"):
        raise PermissionDenied
    media = (request.content_type or "").split(";")[0].strip().lower()
    if media not in MEDIA_TYPES:
        return _refusal(415, _("Kiểu nội dung phải là application/json hoặc application/ld+json."), [])
    try:
        raw = request.body
    except RequestDataTooBig:
        message = _("Tài liệu quá lớn: gửi thành nhiều tài liệu nhỏ hơn (tối đa %(n)s sự kiện mỗi tài liệu).")
        return _refusal(413, message % {"n": capture_service.MAX_EVENTS}, [])
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return _refusal(400, _("Nội dung yêu cầu không đọc được (cần JSON UTF-8 hợp lệ)."), [])
    try:
        bad = _bad_text_fields(data)
    except RecursionError:
        return _refusal(400, _("Nội dung lồng nhau quá sâu."), [])
    if bad:
        message = _("chứa ký tự NUL hoặc ký tự Unicode không hợp lệ.")
        return _refusal(422, _("Dữ liệu không hợp lệ."), [{"field": f, "message": str(message)} for f in bad])
    try:
        result = capture_service.capture(request.user, data)
    except capture_service.CaptureRefused as exc:
        return _refusal(exc.status, exc.detail, exc.errors())
    return _json(201 if result.stored else 200, result.as_dict())


QUERY_PARAMETERS = [
    {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
    for name in query_service.PARAMETERS
]
QUERY_RESPONSES = {
    200: {
        "description": 'EPCISQueryDocument; trang sau (nếu có) ở tiêu đề Link: <…>; rel="next".',
        "headers": {"Link": {"schema": {"type": "string"}}},
        "content": {"application/json": {"schema": QUERY_DOCUMENT}},
    },
    422: _content(422, REFUSAL, "Tham số truy vấn sai: tên tham số và lý do."),
}


def _page(request, extra=None) -> HttpResponse:
    if not policy.can(request.user, "goods.epcis_query"):
        raise PermissionDenied
    params = request.GET
    try:
        page = query_service.run(request.user, params, extra)
    except query_service.QueryError as exc:
        raise ApiError(
            422, _("Tham số truy vấn không hợp lệ."), [{"field": exc.field, "message": exc.message}]
        )
    response = _json(200, query_service.query_document(page.events))
    if page.next_token:
        args = [(k, v) for k in params for v in params.getlist(k) if k != "nextPageToken"]
        args.append(("nextPageToken", page.next_token))
        url = request.build_absolute_uri(request.path) + "?" + urlencode(args)
        response["Link"] = f'<{url}>; rel="next"'
    return response


@router.get(
    "/events",
    response={200: dict, 422: dict},
    openapi_extra={"parameters": QUERY_PARAMETERS, "responses": QUERY_RESPONSES},
)
def epcis_events(request):
    """Query the events the caller may read (GS1 REST bindings' parameters; see
    docs/traceability.md). One page per answer; the next page's URL is in `Link: <…>; rel="next"`."""
    return _page(request)


@router.get(
    "/epcs/{path:epc}/events",
    response={200: dict, 422: dict},
    openapi_extra={"parameters": QUERY_PARAMETERS, "responses": QUERY_RESPONSES},
)
def epcis_epc_events(request, epc: str):
    """Every event naming the identifier `epc` (URN or Digital Link, URL-encoded) in any role,
    as `MATCH_anyEPC`; the other query parameters narrow it."""
    from canhgiac.api import _bad_text

    if _bad_text(epc) or len(epc) > 4000:
        raise ApiError(422, _("Mã không hợp lệ."), [{"field": "epc", "message": _("Mã không hợp lệ.")}])
    try:
        condition = query_service._epc_filter("MATCH_anyEPC", [epc])
    except query_service.QueryError as exc:
        raise ApiError(422, _("Mã không hợp lệ."), [{"field": "epc", "message": exc.message}])
    return _page(request, condition)


__all__ = ["router", "Status"]
