"""Home page cards: flagged listings awaiting review and overdue takedowns over every listing the
user may see (the province), the same scope and labels as the leaders' "today" rows."""

from django.urls import reverse

from canhgiac.core import policy


def online_cards(user):
    from canhgiac.dashboard.services import Card
    from canhgiac.online.handling import review_counts
    from canhgiac.online.leaders import FLAGGED_LABEL, OVERDUE_LABEL

    if not policy.is_staff_member(user) or policy.is_figures_only(user):
        return []
    counts = review_counts(user)
    return [
        Card(
            str(FLAGGED_LABEL), counts["flagged_waiting"], reverse("online:queue") + "?flagged=on&status=new"
        ),
        Card(str(OVERDUE_LABEL), counts["takedowns_overdue"], reverse("online:figures")),
    ]
