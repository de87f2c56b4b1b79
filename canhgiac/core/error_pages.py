"""Error answers: Vietnamese pages (templates 403/404/500.html) for people, and the API's JSON
shape `{"detail", "errors"}` for anything under /api/, including addresses that match no route."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def _api(request) -> bool:
    return request.path.startswith("/api/")


def _json(detail, status):
    return JsonResponse({"detail": detail, "errors": []}, status=status)


def bad_request(request, exception=None):
    if _api(request):
        return _json(_("Yêu cầu không hợp lệ."), 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if _api(request):
        return _json(_("Không có quyền thực hiện thao tác này."), 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if _api(request):
        return _json(_("Không tìm thấy."), 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _api(request):
        return _json(_("Lỗi hệ thống: yêu cầu chưa được thực hiện, vui lòng thử lại sau."), 500)
    return defaults.server_error(request)
