"""Home page cards: flagged listings awaiting review and overdue takedowns of the user's province."""

from django.urls import reverse
from django.utils.translation import gettext as _

from canhgiac.core import policy
from canhgiac.core.policy import visible_to


def online_cards(user):
    from canhgiac.dashboard.services import Card
    from canhgiac.online.models import Listing, Takedown

    if not policy.is_staff_member(user) or policy.is_figures_only(user):
        return []
    url = reverse("online:queue")
    waiting = visible_to(user, Listing.objects.filter(flagged=True, status=Listing.Status.NEW)).count()
    overdue = visible_to(user, Takedown.objects.filter(status=Takedown.Status.OVERDUE)).count()
    return [
        Card(_("Tin đăng bị gắn cờ chờ xem xét"), waiting, url + "?flagged=on&status=new"),
        Card(_("Yêu cầu gỡ bỏ quá hạn"), overdue, reverse("online:figures")),
    ]
