"""The REST API at /api/v1 (django-ninja). Each app contributes `canhgiac.<app>.api.router`;
its `prefix` attribute (default: the app label) sets where it is mounted."""

import importlib

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as ServiceValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from canhgiac.accounts import services as accounts


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cg_…` with a token from the profile page (stored hashed)."""

    def authenticate(self, request, token):
        user = accounts.user_for_token(token)
        if user is not None:
            request.user = user
            from canhgiac.core.context import Actor, _actor

            _actor.set(Actor(user=user, ip=request.META.get("REMOTE_ADDR")))
        return user


class TokenHeaderAuth(APIKeyHeader):
    param_name = "X-Api-Token"

    def authenticate(self, request, key):
        return TokenAuth().authenticate(request, key)


AUTH = [TokenAuth(), TokenHeaderAuth(), django_auth]

api = NinjaAPI(title="Cảnh Giác 389 API", version="1", urls_namespace="api", auth=AUTH, docs_url="/docs")


def _errors(detail, errors, status):
    return api.create_response(None, {"detail": detail, "errors": errors}, status=status)


def _field_name(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form", "header")]
    return ".".join(parts) or "__all__"


@api.exception_handler(ValidationError)
def on_validation_error(request, exc):
    errors = [{"field": _field_name(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors]
    return _errors(_("Dữ liệu không hợp lệ."), errors, 422)


@api.exception_handler(ServiceValidationError)
def on_service_error(request, exc):
    """The one handler of the write path's errors (core.errors.ServiceError and any Django
    ValidationError a service raises): 422 with each field's Vietnamese message (and the line of an
    imported file when there is one). Endpoints let these errors through instead of converting."""
    from canhgiac.core.errors import field_errors

    return _errors(_("Dữ liệu không hợp lệ."), field_errors(exc), 422)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _errors(_("Chưa xác thực: cần đăng nhập hoặc mã truy cập API."), [], 401)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return _errors(_("Không có quyền thực hiện thao tác này."), [], 403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _errors(_("Không tìm thấy."), [], 404)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    # str() of the message itself: translated texts may be lazy (gettext_lazy constants)
    return _errors(str(exc.message), getattr(exc, "errors", []), exc.status_code)


class ApiError(HttpError):
    """Raise from API endpoints for a 4xx with field errors: ApiError(400, "…", [{"field", "message"}])."""

    def __init__(self, status_code: int, detail: str, errors: list[dict] | None = None):
        super().__init__(status_code, str(detail))
        self.errors = errors or []


def _mount_routers():
    for config in apps.get_app_configs():
        if not config.name.startswith("canhgiac."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.api":
                raise
            continue
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router(getattr(module, "prefix", f"/{config.label}"), router)


_mount_routers()
