"""The goods app's services (other apps call these only): businesses as accounts, the product
registry, GS1 Digital Link, recalls and product warnings."""

from canhgiac.goods.businesses import (  # noqa: F401
    SESSION_KEY as BUSINESS_SESSION_KEY,
)
from canhgiac.goods.businesses import (  # noqa: F401
    acting_businesses,
    choose_business,
    clean_tax_code,
    current_business,
    import_businesses,
)
from canhgiac.goods.models import Business, Product, ProductWarning
from canhgiac.goods.products import (  # noqa: F401
    clean_gtin,
    display_gtin,
    import_products,
    registration_warning,
    save_product,
)
from canhgiac.goods.recalls import (  # noqa: F401
    active_recall,
    add_warning,
    clean_lot,
    feed_entries,
    lift_recall,
    public_notices,
    published_recalls,
    record_recall,
    warn_from_case_goods,
    withdraw_warning,
)


def businesses_of_user(user) -> list[Business]:
    """The active businesses `user` acts for (their tax codes and provinces), for the business
    area's pages of other apps (the online app's commitments a business signs)."""
    from canhgiac.core import policy

    ids = policy.business_ids(user)
    return list(Business.objects.filter(pk__in=ids, is_active=True)) if ids else []


def business_by_tax_code(tax_code: str) -> Business | None:
    """The registered business with this tax code (any accepted spelling), or None."""
    try:
        return Business.objects.filter(tax_code=clean_tax_code(tax_code)).first()
    except ValueError:
        return None


def product_by_gtin(gtin: str) -> Product | None:
    """The registered product with this GTIN (8/12/13/14 digits), or None."""
    try:
        return (
            Product.objects.select_related("owner__unit", "owner__province", "category")
            .filter(gtin=clean_gtin(gtin))
            .first()
        )
    except ValueError:
        return None


def public_product(product: Product, link=None, base: str = "") -> dict:
    """What anyone may read about a registered product (the resolver's JSON and public page):
    no internal notes, no registration warning, no distributors' contacts."""
    base = base.rstrip("/")
    gtin = product.gtin
    data = {
        "gtin": gtin,
        "name": product.name,
        "brand": product.brand,
        "category": product.category.code,
        "category_name": product.category.name,
        "owner": {"name": product.owner.name, "tax_code": product.owner.tax_code},
        "registration_no": product.registration_no,
        "reference_price_vnd": product.reference_price_vnd,
        "status": product.status,
        "status_name": str(product.get_status_display()),
        "links": {"self": f"{base}/01/{gtin}"},
    }
    if product.image:
        data["image"] = (
            f"{base}{product.image.url}" if not product.image.url.startswith("http") else product.image.url
        )
    if link is not None:
        lot = link.get("10")
        if lot:
            data["lot"] = lot
        serial = link.get("21")
        if serial:
            data["serial"] = serial
    return data


def parse_digital_link(uri: str):
    """A GS1 Digital Link URI parsed (digital_link.DigitalLink); DigitalLinkError when invalid."""
    from canhgiac.goods import digital_link

    return digital_link.parse(uri)


def may_warn_about(user, product: Product) -> bool:
    """May `user` record a warning (or a recall) about `product` (the lead agency's officers)?"""
    from canhgiac.core import policy

    return policy.can(user, "add", ProductWarning, product=product)


def warned_lines(line_ids) -> set[int]:
    """Which of these case goods lines already have a product warning drawn from them."""
    ids = [i for i in line_ids if i]
    if not ids:
        return set()
    return set(ProductWarning.objects.filter(case_goods_id__in=ids).values_list("case_goods_id", flat=True))


def lead_agency_name(product: Product) -> str:
    """The name of the agency leading the product's field (who records its recalls)."""
    from canhgiac.goods.rules import lead_agency_of

    agency = lead_agency_of(product)
    return agency.name if agency else "—"


def case_of_line(user, line_id) -> int | None:
    """The case id of a goods line `user` may see (to go back to it), through the cases services."""
    from canhgiac.cases import services as cases

    line = cases.goods_line_for(user, line_id)
    return line.case_id if line else None


def notices_for(user, product: Product) -> dict:
    """The product page's panels: recalls and warnings `user` may see (lifted ones included for
    the product's province staff and business), and the cases naming it that `user` may see."""
    from canhgiac.cases import services as cases
    from canhgiac.core.policy import visible_to
    from canhgiac.goods.models import Recall

    return {
        "recalls": list(
            visible_to(user, Recall.objects.filter(product=product).select_related("agency")).order_by(
                "status", "-issued_on", "-id"
            )
        ),
        "warnings": list(
            visible_to(
                user, ProductWarning.objects.filter(product=product).select_related("agency")
            ).order_by("-is_active", "-created_at", "-id")[:50]
        ),
        "cases": cases.cases_naming_product(user, product) if not _is_external(user) else [],
    }


def _is_external(user) -> bool:
    from canhgiac.core import policy

    return policy.is_external(user)


def reference_prices():
    """(name, brand, reference_price_vnd) of every product on sale with a reference price: what
    the online app's price rule compares listings with (system scope, no personal data)."""
    return list(
        Product.objects.filter(status=Product.Status.ON_SALE, reference_price_vnd__gt=0)
        .exclude(brand="")
        .values_list("name", "brand", "reference_price_vnd")
    )


def clear_origin_products(q: str = "", category_code: str = "", province=None, limit: int = 50) -> dict:
    """Goods of clear origin (seed 004, 7.5) for the public portal: registered products on sale
    whose owner is an active registered business, with what `public_product` lets anyone read.
    `q` matches the name, brand or GTIN (accents and case ignored). Returns {"total", "items"}."""
    from django.db.models import Q

    from canhgiac.core.text import fold

    qs = Product.objects.filter(status=Product.Status.ON_SALE, owner__is_active=True)
    if province is not None:
        qs = qs.filter(owner__province=province)
    if category_code:
        qs = qs.filter(category__code=category_code)
    for word in fold(q).split():
        qs = qs.filter(Q(name_folded__contains=word) | Q(gtin__contains=word) | Q(brand__icontains=word))
    qs = qs.select_related("owner", "category").order_by("category__code", "name_folded", "pk")
    return {"total": qs.count(), "items": [public_product(p) for p in qs[:limit]]}


def epcis():
    """The EPCIS services (capture, query, trace, leads): `services.epcis().capture(...)`."""
    from canhgiac.goods.epcis import services as epcis_services

    return epcis_services
