import uuid

from canhgiac.core.context import Actor, _actor


def client_ip(request) -> str | None:
    # Behind a reverse proxy set TRUSTED_PROXY so X-Forwarded-For is used (docs/security.md).
    from django.conf import settings

    if getattr(settings, "TRUSTED_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


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
