from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from canhgiac.core.dbrouter import replica_reads
from canhgiac.dashboard import services


@login_required
@replica_reads
def home(request):
    return render(request, "dashboard/home.html", {"cards": services.home_cards(request.user)})
