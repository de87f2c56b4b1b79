"""Home page cards: the user's reports waiting for action, and the latest period's timeliness."""

from django.urls import reverse
from django.utils.translation import gettext as _

from canhgiac.core import policy
from canhgiac.core.policy import visible_to
from canhgiac.reporting.models import Period, Submission


def reporting_cards(user):
    from canhgiac.dashboard.services import Card
    from canhgiac.reporting import services

    if not policy.is_active_user(user):
        return []
    cards = []
    url = reverse("reporting:index")
    subs = visible_to(user, Submission.objects.all())
    if policy.can(user, "reporting.consolidate"):
        cards.append(
            Card(_("Báo cáo chờ tiếp nhận"), subs.filter(status=Submission.Status.APPROVED).count(), url)
        )
        latest = (
            visible_to(user, Period.objects.all())
            .filter(deadline__lte=services.today())
            .order_by("-deadline")
            .first()
        )
        if latest is not None:
            t = services.period_totals([latest])[latest.pk]
            cards.append(
                Card(
                    _("Chưa báo cáo — %(p)s") % {"p": latest.name},
                    t["missing"],
                    reverse("reporting:period", args=[latest.pk]),
                    _("đúng hạn %(x)s%%") % {"x": t["timeliness"]} if t["timeliness"] is not None else "",
                )
            )
    else:
        waiting = subs.filter(
            status__in=[Submission.Status.DRAFT, Submission.Status.RETURNED, Submission.Status.SUBMITTED]
        ).count()
        cards.append(Card(_("Báo cáo đang xử lý"), waiting, url))
    return cards
