from django.shortcuts import render

from canhgiac.directory.models import Agency
from canhgiac.portal.registry import PORTAL_LINKS


def home(request):
    hotlines = Agency.objects.filter(is_active=True).exclude(hotline="").exclude(kind=Agency.Kind.COMMUNE)
    return render(request, "portal/home.html", {"hotlines": hotlines, "links": PORTAL_LINKS})


def hotlines(request):
    """Every published hotline, by field (the agency that leads it) and by commune; printable."""
    from canhgiac.directory import services as directory

    return render(request, "portal/hotlines.html", directory.hotline_directory())
