"""Home page cards with real figures of the cases visible to the user (this year so far)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.cases import services
from canhgiac.core import policy
from canhgiac.core.numbers import format_vn_percent


def case_cards(user):
    from canhgiac.dashboard.services import Card

    # A national viewer reads the figures of every province, linked to the figures page (no list).
    figures_only = policy.is_figures_only(user)
    if not figures_only and not policy.can(user, "cases.list"):
        return []
    today = timezone.localdate()
    figures = services.summary(user, today.replace(month=1, day=1), today)
    totals, change = figures["totals"], figures["change_pct"]

    def note(key):
        pct = change[key]
        return (
            "" if pct is None else _("%(pct)s so với cùng kỳ") % {"pct": format_vn_percent(pct, signed=True)}
        )

    url = (
        reverse("cases:figures")
        if figures_only
        else reverse("cases:list") + f"?detected_from={today.year}-01-01"
    )
    return [
        Card(_("Vụ việc phát hiện từ đầu năm"), totals["cases"], url, note("cases")),
        Card(
            _("Trị giá hàng vi phạm từ đầu năm (đồng)"),
            totals["goods_value_vnd"],
            url,
            note("goods_value_vnd"),
        ),
        Card(
            _("Thu nộp ngân sách từ đầu năm (đồng)"),
            totals["budget_revenue_vnd"],
            url,
            note("budget_revenue_vnd"),
        ),
        Card(_("Vụ khởi tố hình sự từ đầu năm"), totals["criminal_cases"], url, note("criminal_cases")),
    ]
