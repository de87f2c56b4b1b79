from django.shortcuts import render

from canhgiac.directory.models import Agency
from canhgiac.portal.registry import PORTAL_LINKS


def home(request):
    hotlines = Agency.objects.filter(is_active=True).exclude(hotline="").exclude(kind=Agency.Kind.COMMUNE)
    return render(request, "portal/home.html", {"hotlines": hotlines, "links": PORTAL_LINKS})


def hotlines(request):
    agencies = Agency.objects.filter(is_active=True).exclude(hotline="").order_by("kind", "name")
    return render(request, "portal/hotlines.html", {"agencies": agencies})
