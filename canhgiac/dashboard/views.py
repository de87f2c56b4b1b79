from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from canhgiac.core import policy
from canhgiac.core.dbrouter import replica_reads
from canhgiac.dashboard import leaders, services


def _year(request) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year else this_year


@login_required
@replica_reads
def home(request):
    user = request.user
    context = {"cards": services.home_cards(user)}
    if policy.is_staff_member(user) or policy.is_figures_only(user):
        year = _year(request)
        date_from, date_to = leaders.window(year)
        context.update(
            {
                "year": year,
                "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
                "date_from": date_from,
                "date_to": date_to,
                "targets": leaders.targets(user, date_from, date_to),
                "charts": leaders.trends(user, date_from, date_to),
                "hotspots": leaders.hotspots(user, date_from, date_to),
                "commune_parts": [] if policy.is_figures_only(user) else leaders.commune_parts(user),
                "today": [] if policy.is_figures_only(user) else leaders.today_list(user),
            }
        )
    return render(request, "dashboard/home.html", context)
