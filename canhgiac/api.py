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
from ninja.parser import Parser
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
        if user is not None and user.must_change_password:
            raise ApiError(403, _("Cần đổi mật khẩu lần đầu trên trang web trước khi dùng hệ thống."))
        return user


AUTH = [TokenAuth(), TokenHeaderAuth(), VerifiedSessionAuth()]


def _docs_reader(request):
    """Who may read the API's description (the OpenAPI document and its Swagger page): a valid
    API token (a system about to call the API), or a signed-in staff member whose session passed
    the second factor their role requires. None for anyone else."""
    header = request.headers.get("Authorization", "")
    raw = (
        header[7:].strip() if header.lower().startswith("bearer ") else request.headers.get("X-Api-Token", "")
    )
    if raw:
        return accounts.user_for_token(raw.strip())
    user = request.user
    if not user.is_authenticated or (user.requires_two_factor() and not user.is_verified()):
        return None
    if user.must_change_password:  # the first-time password is changed before anything else
        return None
    from canhgiac.core import policy

    staff = policy.is_staff_member(user) or policy.is_national_viewer(user)
    return user if staff else None


def staff_only_docs(view):
    """`docs_decorator` of the API: the OpenAPI document and the Swagger page only to signed-in
    staff or a valid API token. The document answers 401 (JSON) to anyone else; the page sends a
    visitor to the sign-in page."""
    from functools import wraps

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if _docs_reader(request) is None:
            if request.path.endswith(".json"):
                from django.http import JsonResponse

                detail = _("Chưa xác thực: cần đăng nhập hoặc mã truy cập API.")
                return JsonResponse({"detail": str(detail), "errors": []}, status=401)
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def _bad_text(text: str) -> bool:
    """NUL, or a lone surrogate (JSON's "\\ud800"): neither can be stored (PostgreSQL refuses
    both) nor printed, so they are refused as bad input, never let through to a 500."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _bad_text_fields(data, path=()) -> list[str]:
    """Dotted paths ("goods.0.description") of every string (value or key) in `data` that
    `_bad_text` refuses."""
    found = []
    if isinstance(data, str):
        return [".".join(map(str, path)) or "__all__"] if _bad_text(data) else []
    if isinstance(data, dict):
        for key, value in data.items():
            name = _clean_name(key)
            if isinstance(key, str) and _bad_text(key):
                found.append(".".join(map(str, (*path, name))))
            else:
                found += _bad_text_fields(value, (*path, name))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += _bad_text_fields(value, (*path, i))
    return found


def _clean_name(key) -> str:
    # A field name is echoed in the answer: the bad characters are left out of it.
    text = str(key).replace("\x00", "")
    return text.encode("utf-8", "replace").decode("utf-8")[:50]


def _text_refusal(fields: list[str]) -> ValidationError:
    return ValidationError(
        [
            {
                "loc": ("body", *field.split(".")),
                "msg": str(
                    _("Trường “%(field)s” chứa ký tự NUL hoặc ký tự Unicode không hợp lệ.") % {"field": field}
                ),
            }
            for field in fields
        ]
    )


class TextCheckingParser(Parser):
    """ninja's parser, refusing NUL characters and lone surrogates in any string of a JSON body
    or a form field with a 422 naming the field (canhgiac.api.on_http_error unwraps it)."""

    def parse_body(self, request):
        data = super().parse_body(request)
        fields = _bad_text_fields(data)
        if fields:
            raise _text_refusal(fields)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        fields = [
            f for f in _bad_text_fields({k: v for k, v in result.items() if isinstance(v, (str, list))})
        ]
        fields += [k for k, v in result.items() if _bad_text(getattr(v, "name", "") or "")]
        if fields:
            raise _text_refusal(fields)
        return result


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
    # ninja's local Swagger UI assets (nothing from a CDN: the intranet has none)
    docs=Swagger(),
    docs_decorator=staff_only_docs,
    parser=TextCheckingParser(),
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
    # ninja answers 400 for any error while parsing the body; a refused string is a 422 by field
    if isinstance(exc.__cause__, ValidationError):
        return on_validation_error(request, exc.__cause__)
    if str(exc.message).startswith("Cannot parse request body"):
        return _errors(_("Nội dung yêu cầu không đọc được (cần JSON UTF-8 hợp lệ)."), [], 400)
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
        for prefix, extra in getattr(module, "extra_routers", ()):  # an app's second API (goods: /epcis)
            api.add_router(prefix, extra)


_mount_routers()
