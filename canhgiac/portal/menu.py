"""The portal's menu (labels fixed by issue 16). Items whose page belongs to an app that may not be
installed name several URL names, tried in order; the first that resolves is used."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

MENU = [
    (_("Gửi tin báo"), ("tips:report",)),
    (_("Tra cứu tin báo"), ("tips:follow",)),
    # the goods app's public check (scan or type a code)
    (_("Kiểm tra sản phẩm"), ("goods:check",)),
    (_("Cảnh báo"), ("portal:warnings",)),
    (_("Đường dây nóng"), ("portal:hotlines",)),
    # the online app's public list of signed commitments
    (_("Cam kết"), ("online:public_commitments",)),
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
