from django.http import Http404
from django.shortcuts import render

from canhgiac.core.dbrouter import replica_reads
from canhgiac.directory.models import Agency
from canhgiac.portal import services
from canhgiac.portal.content import GUIDES
from canhgiac.portal.registry import PORTAL_LINKS
from canhgiac.portal.statistics import DEFINITIONS


def home(request):
    hotlines = Agency.objects.filter(is_active=True).exclude(hotline="").exclude(kind=Agency.Kind.COMMUNE)
    return render(
        request,
        "portal/home.html",
        {"hotlines": hotlines, "links": PORTAL_LINKS, "warnings": services.warnings(3), "guides": GUIDES},
    )


def hotlines(request):
    """Every published hotline, by field (the agency that leads it) and by commune; printable."""
    from canhgiac.directory import services as directory

    return render(request, "portal/hotlines.html", directory.hotline_directory())


def warnings(request):
    """Warnings of new tricks (published weekly and monthly by the Standing Office) and recalls."""
    items = services.warnings(100)
    return render(
        request,
        "portal/warnings.html",
        {"months": services.warnings_by_month(items), "recalls": services.recalls(50)},
    )


@replica_reads
def statistics(request):
    from canhgiac.accounts import services as accounts

    provinces = list(accounts.loaded_provinces())
    chosen = next((p for p in provinces if p.code == request.GET.get("province")), None)
    snapshot = services.public_statistics(request.user, chosen)
    return render(
        request,
        "portal/statistics.html",
        {"snapshot": snapshot, "provinces": provinces, "definitions": DEFINITIONS},
    )


@replica_reads
def products(request):
    from canhgiac.directory.models import GoodsCategory

    q = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("category", "").strip()[:20]
    found = services.clear_origin(q, category)
    categories = GoodsCategory.objects.order_by("name")
    return render(
        request, "portal/products.html", {"q": q, "category": category, "categories": categories, **found}
    )


def guides(request):
    return render(request, "portal/guides.html", {"guides": GUIDES})


def guide(request, slug):
    g = GUIDES.get(slug)
    if g is None:
        raise Http404
    return render(request, "portal/guide.html", {"guide": g, "slug": slug})


def commitments_guide(request):
    """Until the online app publishes the signed commitments, what a commitment is."""
    return render(request, "portal/guide.html", {"guide": GUIDES["doanh-nghiep"], "slug": "doanh-nghiep"})


@replica_reads
def search(request):
    q = request.GET.get("q", "").strip()[:100]
    return render(request, "portal/search.html", services.search(q))
