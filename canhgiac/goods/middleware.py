"""The public check's short way through the stack (issue 13: p95 under 50 ms with 16 connections).

`GET /api/v1/verify` is the one request that thousands of anonymous phones send, and on two cores
its latency is the queue of requests times the CPU of each. Through the whole stack a check cost
about as much CPU in Django as in the check itself: seventeen middleware of which most do nothing
for an anonymous JSON GET (sessions, CSRF, the signed-in user, second factor, messages, htmx,
axes), URL resolving through some eighty patterns before the API's, and ninja's parameter parsing
(bench/goods_cpu.py; docs/goods.md, "Benchmarks").

`PublicCheckMiddleware` sits right after the request limits (NUL characters, body size). For a
check it alone can answer it sends the request through the middleware that change such an answer,
the same classes in the same order — the language (cookie), CommonMiddleware (the host check,
Content-Length), the security headers, the request context (client IP, request id),
X-Frame-Options, and the database-down 503 — to the same answer the API endpoint sends
(goods.api.check_answer). Everything else goes the usual way, ninja included, so the contract and
the OpenAPI entry stay those of `goods.api.verify_code`:

- a session cookie (a signed-in user may be checking: their answer is `Cache-Control: no-store`
  and the user's middleware must run), any method but GET, another path;
- `code` missing, blank or longer than verify.MAX_CODE (ninja answers the 422), or any query
  parameter that ninja's parser would refuse (canhgiac.api._bad_text).

The tests (goods/tests/test_check_fast_path.py) hold the two ways to the same status, headers
and JSON, field by field.
"""

from __future__ import annotations

from django.conf import settings
from django.core.handlers.exception import convert_exception_to_response
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.utils.cache import patch_vary_headers

from canhgiac.core.middleware import (
    DatabaseDownMiddleware,
    LanguageMiddleware,
    RequestContextMiddleware,
    SecurityHeadersMiddleware,
)

CHECK_PATH = "/api/v1/verify"
#: The middleware a check's answer goes through the short way, in settings.MIDDLEWARE's order.
SHORT_WAY = (
    LanguageMiddleware,
    CommonMiddleware,
    SecurityHeadersMiddleware,
    RequestContextMiddleware,
    XFrameOptionsMiddleware,
)
#: Off: every check goes through the whole stack (the tests compare both ways).
enabled = True


class PublicCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.database_down = DatabaseDownMiddleware(get_response)
        # built as Django builds the whole stack (BaseHandler.load_middleware): in
        # settings.MIDDLEWARE's order, each layer turning an exception into an error page
        handler = convert_exception_to_response(self._answer)
        for layer in reversed(SHORT_WAY):
            handler = convert_exception_to_response(layer(handler))
        self.short_way = handler

    def __call__(self, request):
        if enabled and request.path_info == CHECK_PATH and request.method == "GET":
            params = self._params(request)
            if params is not None:
                response = self.short_way(request)
                # the whole stack reads the (absent) session to learn the user is anonymous,
                # and SessionMiddleware then says the answer varies with the cookie
                patch_vary_headers(response, ("Cookie",))
                return response
        return self.get_response(request)

    @staticmethod
    def _params(request):
        """(code, unit_code) when this request is a check the short way answers, else None."""
        if request.META.get("HTTP_COOKIE") and settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None
        from canhgiac.api import _bad_text
        from canhgiac.goods.verify import MAX_CODE

        query = request.GET
        for key, value in query.items():
            if _bad_text(key) or _bad_text(value):
                return None
        code = query.get("code", "")
        if not code.strip() or len(code) > MAX_CODE:
            return None
        request.goods_check = (code, query.get("unit_code", ""))
        return request.goods_check

    def _answer(self, request):
        from canhgiac.goods.api import check_answer

        try:
            return check_answer(*request.goods_check)
        except Exception as exc:
            response = self.database_down.process_exception(request, exc)
            if response is None:
                raise
            return response
