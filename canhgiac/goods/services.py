"""The goods app's services (other apps call these only): businesses as accounts, the product
registry, GS1 Digital Link."""

from canhgiac.goods.businesses import clean_tax_code, import_businesses  # noqa: F401
from canhgiac.goods.models import Business, Product
from canhgiac.goods.products import (  # noqa: F401
    clean_gtin,
    display_gtin,
    import_products,
    registration_warning,
    save_product,
)


def business_by_tax_code(tax_code: str) -> Business | None:
    """The registered business with this tax code (any accepted spelling), or None."""
    try:
        return Business.objects.filter(tax_code=clean_tax_code(tax_code)).first()
    except ValueError:
        return None


def product_by_gtin(gtin: str) -> Product | None:
    """The registered product with this GTIN (8/12/13/14 digits), or None."""
    try:
        return Product.objects.select_related("owner", "category").filter(gtin=clean_gtin(gtin)).first()
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


def epcis():
    """The EPCIS services (capture, query, trace, leads): `services.epcis().capture(...)`."""
    from canhgiac.goods.epcis import services as epcis_services

    return epcis_services
