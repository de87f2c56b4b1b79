"""The portal's menu (labels fixed by issue 16). Items whose page belongs to an app that may not be
installed name several URL names, tried in order; the first that resolves is used."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

MENU = [
    (_("Gửi tin báo"), ("tips:report",)),
    (_("Tra cứu tin báo"), ("tips:follow",)),
    # the goods app's public check (goods issue); until it lands, the registry look-up by barcode
    (_("Kiểm tra sản phẩm"), ("goods:check", "goods:lookup")),
    (_("Cảnh báo"), ("portal:warnings",)),
    (_("Đường dây nóng"), ("portal:hotlines",)),
    # the online app's signed commitments; until it lands, the businesses' guide explains them
    (_("Cam kết"), ("online:commitments", "portal:commitments_guide")),
    (_("Số liệu"), ("portal:statistics",)),
]


def first_url(*names: str) -> str:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


def menu_items() -> list[dict]:
    return [{"label": label, "url": first_url(*names)} for label, names in MENU if first_url(*names)]
