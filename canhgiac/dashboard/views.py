from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from canhgiac.dashboard import services


@login_required
def home(request):
    return render(request, "dashboard/home.html", {"cards": services.home_cards(request.user)})
