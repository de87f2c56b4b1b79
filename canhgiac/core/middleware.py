import ipaddress
import uuid

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from canhgiac.core.context import Actor, _actor


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or, when TRUSTED_PROXY is on, the address that the
    outermost of TRUSTED_PROXY_HOPS trusted proxies saw (counted from the right of
    X-Forwarded-For, since a client can put anything on its left). Used by rate limits, axes and
    the audit trail alike (docs/security.md)."""
    remote = request.META.get("REMOTE_ADDR")
    if settings.TRUSTED_PROXY:
        hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if hops:
            chosen = (
                hops[-settings.TRUSTED_PROXY_HOPS] if len(hops) >= settings.TRUSTED_PROXY_HOPS else hops[0]
            )
            return _valid_ip(chosen) or remote
    return remote


def _refuse(request, message: str, status: int, errors=()) -> HttpResponse:
    """A refusal at the door: the API's JSON shape under /api/, plain Vietnamese text elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "errors": list(errors)}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def _nul_parameter(request) -> str | None:
    """The name of the first query parameter (or the path) holding a NUL character: no database
    stores one (PostgreSQL refuses it), so it is refused at the door."""
    if "\x00" in request.path:
        return "path"
    if "%00" not in request.META.get("QUERY_STRING", "") and "\x00" not in request.META.get(
        "QUERY_STRING", ""
    ):
        return None
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in v for v in values):
            return name.replace("\x00", "")
    return None


class RequestLimitsMiddleware:
    """Refuses, before the body is read or stored: a query parameter holding a NUL character; a
    body larger than MAX_REQUEST_BODY_SIZE
    (by its Content-Length; Django reads no more than that header says), and a request to a
    `@ratelimit.limited` view from a source over its hourly limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        nul = _nul_parameter(request)
        if nul is not None:
            message = _("Tham số “%(name)s” chứa ký tự NUL, không hợp lệ.") % {"name": nul[:50]}
            return _refuse(request, message, 400, [{"field": nul[:50], "message": message}])
        limit = settings.MAX_REQUEST_BODY_SIZE
        if length > limit:
            message = _("Yêu cầu quá lớn: tối đa %(mb)s MB cho mỗi lần gửi. Dữ liệu chưa được ghi nhận.") % {
                "mb": _megabytes(limit)
            }
            return _refuse(request, message, 413)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from canhgiac.core import ratelimit

        rule = getattr(view_func, "rate_limit", None)
        if rule is None or request.method not in rule.methods:
            return None
        per_hour = rule.per_hour()
        try:
            over = ratelimit.hit(rule.bucket, client_ip(request), per_hour)
        except DatabaseError:
            return database_unavailable(request)
        if over:
            return rule.refused(request, per_hour)
        return None


class FiguresOnlyMiddleware:
    """A national viewer (figures only, policy.is_figures_only) opens the aggregate pages the apps
    register (policy.register_figures_page), their own account pages and the public site; every
    record page, list, form and export is refused (403) before its view runs. A new page is closed
    to them until an app registers it as a figures page."""

    OPEN_NAMESPACES = ("accounts", "portal")
    OPEN_PAGES = {
        "set_language",
        "core:healthz",
        "core:readyz",
        "core:notifications",
        "dashboard:home",
        "tips:report",
        "tips:follow",
        "cases:public_warnings",
        "api:submit",
        "api:follow",
        "api:send_message",
        "api:me",
        "api:openapi-json",
        "api:openapi-view",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from canhgiac.core import policy

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not policy.is_figures_only(user):
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if (
            name in self.OPEN_PAGES
            or (match and match.namespace in self.OPEN_NAMESPACES)
            or policy.is_figures_page(name)
        ):
            return None
        message = _("Tài khoản xem số liệu toàn quốc chỉ mở được các trang số liệu tổng hợp.")
        if request.path.startswith("/api/"):
            return _refuse(request, message, 403)
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(message)


class RequestContextMiddleware:
    """Makes the signed-in user and client IP available to services and audit signals."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
        token = _actor.set(Actor(user=user, ip=client_ip(request), request_id=uuid.uuid4().hex))
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


class LanguageMiddleware:
    """Vietnamese unless the user chose another language (cookie set by /i18n/setlang/).
    The browser's Accept-Language is ignored on purpose: officers' devices are often set to English."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# Every asset is served by the app itself, so nothing but 'self' is needed: no inline <script>,
# <style> or style="" attribute (the local app.css has a class for each), nor eval.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "camera",
        "microphone",
        "geolocation",
        "payment",
        "usb",
        "interest-cohort",
        "browsing-topics",
    )
)


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    try:
        return user is not None and user.is_authenticated
    except DatabaseError:  # the session could not be read: assume the worst
        return True


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every answer; `Cache-Control: no-store`
    on every answer to a signed-in user and on every download, so no shared or browser cache
    keeps personal data (docs/security.md, "Headers")."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Referrer-Policy", "same-origin")
        download = "attachment" in response.headers.get("Content-Disposition", "")
        if download or _signed_in(request):
            response.headers["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        return response


def database_unavailable(request) -> HttpResponse:
    """503 "not recorded, send again" in Vietnamese, rendered without touching the database."""
    from django.template.loader import render_to_string

    if request.path.startswith("/api/"):
        message = _(
            "Hệ thống tạm thời không lưu được dữ liệu. Yêu cầu CHƯA được ghi nhận, vui lòng gửi lại sau ít phút."
        )
        return JsonResponse({"detail": message, "errors": []}, status=503)
    return HttpResponse(render_to_string("core/unavailable.html"), status=503)


class DatabaseDownMiddleware:
    """When the database cannot be reached, a form page answers that nothing was recorded and to
    try again (HTTP 503), as the tips API does, instead of a bare server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import InterfaceError, OperationalError

        if isinstance(exception, OperationalError | InterfaceError):
            import logging

            logging.getLogger(__name__).error("database unavailable: %s", exception)
            return database_unavailable(request)
        return None


class ExternalPrincipalMiddleware:
    """Keeps external principals (business users, policy.is_external) out of the staff pages.

    They keep their own areas (the URL namespaces in `registry.EXTERNAL_AREAS`: the business area,
    their account pages, the API whose every endpoint is scoped by the policy). Anywhere else a
    page is served to them exactly as to an anonymous visitor: the public pages open, and a page
    that would ask an anonymous visitor to sign in is refused (403) instead of offered. After
    signing in they land on their area's home instead of the staff dashboard."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.conf import settings
        from django.contrib.auth.models import AnonymousUser
        from django.core.exceptions import PermissionDenied
        from django.shortcuts import redirect, resolve_url

        from canhgiac.core import policy, registry

        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if match is None or not policy.is_external(user):
            return None
        if match.namespaces and match.namespaces[0] in registry.EXTERNAL_AREAS:
            return None
        if match.view_name == settings.LOGIN_REDIRECT_URL and registry.EXTERNAL_HOME:
            return redirect(registry.EXTERNAL_HOME)
        request.user = AnonymousUser()
        response = view_func(request, *view_args, **view_kwargs)
        location = response.get("Location", "") if hasattr(response, "get") else ""
        if response.status_code == 401 or (
            response.status_code in (301, 302, 303) and resolve_url(settings.LOGIN_URL) in location
        ):
            request.user = user
            raise PermissionDenied
        return response
