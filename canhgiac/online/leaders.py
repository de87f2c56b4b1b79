"""The online app's rows on the leaders' dashboard (canhgiac.dashboard.leaders hooks, registered in
OnlineConfig.ready): a target row per kind of signer ("commitments signed", 100 %, current round),
"today" items (takedowns overdue, flagged listings awaiting review in the province, for those who
may act on listings; same scope and labels as the home cards)
and a hot-spot source (flagged listings per seller's commune)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canhgiac.core import policy
from canhgiac.core.policy import visible_to

# One label each for the home card and the "today" row (same scope: every listing the user sees).
FLAGGED_LABEL = gettext_lazy("Tin đăng bị gắn cờ chờ xem xét trong tỉnh")
OVERDUE_LABEL = gettext_lazy("Yêu cầu gỡ bỏ tin đăng quá hạn trong tỉnh")


def commitment_targets(user, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """One row per kind of signer: commitments signed ÷ signers on the register of the round that
    contains `date_to` (the current round for this year), summed over the user's provinces."""
    from canhgiac.directory.models import AdministrativeUnit
    from canhgiac.online import commitments

    if not (policy.is_figures_only(user) or policy.can(user, "online.commitments")):
        return []
    ids = policy.province_ids(user)
    provinces = AdministrativeUnit.objects.filter(parent=None)
    if ids is not None:
        provinces = provinces.filter(pk__in=ids)
    current = commitments.round_for(date_to)
    by_kind: dict[str, dict] = {}
    for province in provinces.order_by("code"):
        for row in commitments.commitment_coverage(province, current.code, as_of=date_to, with_missing=False):
            seen = by_kind.setdefault(row["kind"], {"name": row["kind_name"], "signed": 0, "required": 0})
            seen["signed"] += row["signed"]
            seen["required"] += row["required"]
    url = ""
    if not policy.is_figures_only(user):
        url = reverse("online:coverage") + f"?round={current.code}"
    out = []
    for code, k in by_kind.items():
        whole = k["required"]
        out.append(
            {
                "key": f"online_commitments_{code}",
                "label": _("Cam kết đã ký — %(kind)s") % {"kind": k["name"]},
                "target": _("100%"),
                "definition": _(
                    "số %(kind)s đã ký cam kết ÷ số %(kind)s có trong danh sách phải ký của %(round)s"
                )
                % {"kind": k["name"].lower(), "round": current.name},
                "part": k["signed"],
                "whole": whole,
                "value": round(100.0 * k["signed"] / whole, 1) if whole else None,
                "url": url,
            }
        )
    return out


def today_items(user) -> list[dict]:
    """Takedowns overdue and flagged listings awaiting review, for those who may act on listings
    (online.import: officers, leaders and coordinators). Counted over every listing the user may
    see — the province — exactly as the home card beside it, and labelled so: a leader of the
    Standing Office expects the province's queue, not only the listings of their own agency
    (which holds none)."""
    from canhgiac.online.handling import review_counts

    if not policy.is_staff_member(user) or not policy.can(user, "online.import"):
        return []
    counts = review_counts(user)
    return [
        {"label": str(OVERDUE_LABEL), "count": counts["takedowns_overdue"], "url": reverse("online:figures")},
        {
            "label": str(FLAGGED_LABEL),
            "count": counts["flagged_waiting"],
            "url": reverse("online:queue") + "?flagged=on&status=new",
        },
    ]


def flagged_by_unit(user, date_from: dt.date, date_to: dt.date) -> dict[int, int]:
    """Flagged listings entered in the period per seller's commune (the shop's commune, where the
    register knows it): {unit id: n}."""
    from canhgiac.online.models import Listing

    if not policy.is_staff_member(user):
        return {}
    qs = visible_to(
        user,
        Listing.objects.filter(
            flagged=True,
            created_at__date__gte=date_from,
            created_at__date__lte=date_to,
            account__unit__isnull=False,
        ),
    )
    return dict(qs.values_list("account__unit").annotate(n=Count("id")).order_by())
