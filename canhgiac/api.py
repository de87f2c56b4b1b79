"""The REST API at /api/v1 (django-ninja). Each app contributes `canhgiac.<app>.api.router`;
its `prefix` attribute (default: the app label) sets where it is mounted."""

import importlib

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as ServiceValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from canhgiac.accounts import services as accounts
from canhgiac.core.middleware import client_ip


class TokenAuth(HttpBearer):
    """`Authorization: Bearer cg_…` with a token from the profile page (stored hashed)."""

    def authenticate(self, request, token):
        user = accounts.user_for_token(token)
        if user is not None:
            request.user = user
            from canhgiac.core.context import Actor, _actor

            _actor.set(Actor(user=user, ip=client_ip(request)))
        return user


class TokenHeaderAuth(APIKeyHeader):
    param_name = "X-Api-Token"

    def authenticate(self, request, key):
        return TokenAuth().authenticate(request, key)


class VerifiedSessionAuth(SessionAuth):
    """The browser's session, held to the same second factor as the pages: a user whose role
    requires two-factor sign-in is refused until a code is verified in this session
    (TwoFactorRequiredMiddleware does the same for pages). Tokens are for systems and are not."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None and not user.is_verified() and user.requires_two_factor():
            raise ApiError(
                403, _("Cần xác thực hai lớp: hãy đăng nhập lại trên trang web và nhập mã xác thực.")
            )
        return user


AUTH = [TokenAuth(), TokenHeaderAuth(), VerifiedSessionAuth()]


class StaffSwagger(Swagger):
    """The interactive API docs, from ninja's local Swagger UI assets (nothing from a CDN: the
    intranet has none), shown to signed-in staff only; the OpenAPI document itself stays public."""

    def render_page(self, request, api, **kwargs):
        from django.contrib.auth.views import redirect_to_login

        user = request.user
        if not user.is_authenticated or (user.requires_two_factor() and not user.is_verified()):
            return redirect_to_login(request.get_full_path())
        return super().render_page(request, api, **kwargs)


ERROR_SCHEMA = {
    "title": "ApiError",
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "required": ["detail"],
}
ERROR_ANSWERS = {
    "400": "Yêu cầu không đọc được (JSON hỏng, tham số sai).",
    "401": "Chưa xác thực: cần đăng nhập hoặc mã truy cập API.",
    "403": "Không có quyền, hoặc cần xác thực hai lớp.",
    "404": "Không tìm thấy.",
    "413": "Yêu cầu quá lớn (MAX_REQUEST_BODY_MB).",
    "422": "Dữ liệu không hợp lệ: từng trường và lý do.",
}


class CanhGiacAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The OpenAPI document, declaring the 4xx answers every endpoint can give: 400, 403,
        404 and 422 everywhere, 401 where a credential is needed, 413 where a body is sent; an
        endpoint's own declarations (429, 503, …) stay as they are."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["ApiError"] = ERROR_SCHEMA
        ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApiError"}}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                # ninja keys an endpoint's own answers by int: one key per code, as JSON has
                operation["responses"] = {str(code): value for code, value in operation["responses"].items()}
                codes = ["400", "403", "404", "422"]
                codes += ["401"] if operation.get("security") else []
                codes += ["413"] if "requestBody" in operation else []
                for code in codes:
                    operation["responses"].setdefault(code, {"description": ERROR_ANSWERS[code], **ref})
        return schema


api = CanhGiacAPI(
    title="Cảnh Giác 389 API",
    version="1",
    urls_namespace="api",
    auth=AUTH,
    docs_url="/docs",
    docs=StaffSwagger(),
)


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
