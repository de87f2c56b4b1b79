"""The portal's services: the public warnings (with recalls when the goods app publishes them),
public statistics, goods of clear origin and the site search. Other apps are read only through
their services."""

from __future__ import annotations

from canhgiac.core.text import fold
from canhgiac.portal import cadence, statistics  # noqa: F401  (part of the door)
from canhgiac.portal.content import GUIDES, guide_text
from canhgiac.portal.models import PublicStatistics


def recalls(limit: int = 50) -> list:
    """Published recalls from the goods app's services, when it offers them (goods issue, not
    on every branch); [] otherwise."""
    from canhgiac.goods import services as goods

    source = getattr(goods, "published_recalls", None)
    return list(source()[:limit]) if source else []


def warnings(limit: int = 100) -> list:
    from canhgiac.cases import services as cases

    return list(cases.published_warnings().order_by("-published_at", "-id")[:limit])


def warnings_by_month(items) -> list[tuple[str, list]]:
    """Warnings grouped by month of publication, newest first ("06/2026")."""
    groups: dict[str, list] = {}
    for w in items:
        key = w.published_at.strftime("%m/%Y") if w.published_at else ""
        groups.setdefault(key, []).append(w)
    return list(groups.items())


def public_statistics(user, province=None):
    """The newest snapshot of `province` (default: the first loaded province) the user may read."""
    from canhgiac.core.policy import visible_to

    qs = visible_to(user, PublicStatistics.objects.select_related("province")).order_by("-year")
    if province is not None:
        qs = qs.filter(province=province)
    else:
        qs = qs.order_by("province__code", "-year")
    return qs.first()


def clear_origin(q: str = "", category_code: str = "", limit: int = 50) -> dict:
    from canhgiac.goods import services as goods

    return goods.clear_origin_products(q, category_code, limit=limit)


def search(q: str) -> dict:
    """The site search: published warnings, guides, goods of clear origin and hotlines whose
    text contains every word of `q` (accents and case ignored)."""
    from canhgiac.cases import services as cases
    from canhgiac.directory import services as directory

    words = fold(q).split()
    if not words:
        return {"q": q, "warnings": [], "guides": [], "products": [], "hotlines": [], "total": 0}
    guides = [
        {"slug": slug, "title": g["title"], "intro": g["intro"]}
        for slug, g in GUIDES.items()
        if all(w in fold(guide_text(g)) for w in words)
    ]
    hot = directory.hotline_directory()
    agencies = (
        [a for _f, a in hot.get("by_field", [])] + list(hot.get("others", [])) + list(hot.get("communes", []))
    )
    seen, hotlines = set(), []
    for a in agencies:
        if a.pk not in seen and all(w in fold(f"{a.name} {a.unit.name if a.unit_id else ''}") for w in words):
            seen.add(a.pk)
            hotlines.append(a)
    found = {
        "q": q,
        "warnings": cases.search_warnings(q),
        "guides": guides,
        "products": clear_origin(q, limit=20)["items"],
        "hotlines": hotlines,
    }
    found["total"] = sum(len(found[k]) for k in ("warnings", "guides", "products", "hotlines"))
    return found
