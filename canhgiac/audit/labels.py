"""Vietnamese labels for the audit page: an event's action and object type read as words
("Tạo hàng hóa vi phạm", "Người dùng"), and filters that take those words as well as the codes."""

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from canhgiac.core.text import fold

VERBS = {
    "create": _("Tạo"),
    "update": _("Sửa"),
    "delete": _("Xóa"),
    "login": _("Đăng nhập"),
    "logout": _("Đăng xuất"),
    "login_failed": _("Đăng nhập thất bại"),
    "two_factor_failed": _("Sai mã xác thực hai lớp"),
    "two_factor_enabled": _("Bật xác thực hai lớp"),
    "import": _("Nhập tệp"),
    "export": _("Xuất dữ liệu"),
    "exported": _("Xuất báo cáo"),
    "exported_docx": _("Xuất tệp Word"),
    "exported_xlsx": _("Xuất tệp Excel"),
    "case_viewed": _("Xem vụ việc"),
    "identifiers_exported": _("Xuất số định danh trong"),
    "border_followed": _("Cập nhật xã biên giới cho"),
    "attachment_viewed": _("Xem tệp đính kèm"),
    "subject_viewed": _("Xem đối tượng"),
    "searched": _("Tra cứu"),
    "contact_viewed": _("Xem liên hệ người báo tin"),
    "contact_keys_rotated": _("Đổi khóa mã hóa liên hệ"),
    "evidence_downloaded": _("Tải tài liệu minh chứng"),
    "export_downloaded": _("Tải tệp đã xuất"),
    "exception_granted": _("Mở lại hạn nộp báo cáo"),
    "transition": _("Chuyển trạng thái"),
}
APPS = {"auth": _("Tài khoản")}


def model_label(code: str) -> str:
    """'cases.casegoods' → the model's verbose name; the code itself when it names no model."""
    try:
        return capfirst(apps.get_model(code)._meta.verbose_name)
    except (LookupError, ValueError):
        return code


def _app_label(app: str) -> str:
    if app in APPS:
        return str(APPS[app])
    try:
        return str(apps.get_app_config(app).verbose_name)
    except LookupError:
        return app


def action_label(action: str) -> str:
    """'cases.casegoods.create' → 'Tạo hàng hóa vi phạm'; 'auth.login' → 'Đăng nhập'."""
    prefix, _dot, verb = action.rpartition(".")
    word = str(VERBS.get(verb, verb.replace("_", " ")))
    if prefix.count(".") == 1:
        return f"{word} {model_label(prefix).lower()}"
    if prefix and prefix not in ("auth", "accounts"):
        return f"{word} ({_app_label(prefix).lower()})"
    return word


def _known_actions() -> list[str]:
    codes = []
    for model in apps.get_models():
        codes += [f"{model._meta.label_lower}.{verb}" for verb in ("create", "update", "delete")]
    for app in {config.label for config in apps.get_app_configs()} | set(APPS):
        codes += [f"{app}.{verb}" for verb in VERBS if verb not in ("create", "update", "delete")]
    return codes


def actions_matching(words: str) -> list[str]:
    """Action codes whose Vietnamese label contains `words` (accents and case ignored)."""
    needle = fold(words)
    return [code for code in _known_actions() if needle in fold(action_label(code))]


def object_type_choices() -> list[tuple[str, str]]:
    choices = {model._meta.label_lower: model_label(model._meta.label_lower) for model in apps.get_models()}
    return sorted(choices.items(), key=lambda item: fold(item[1]))


def object_types_matching(words: str) -> list[str]:
    needle = fold(words)
    return [code for code, label in object_type_choices() if needle in fold(label)]
