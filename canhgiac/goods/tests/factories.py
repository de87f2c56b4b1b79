"""Factories of the goods tests shared with core's fixtures (query counts)."""


def epcis_grow(made: int, unit) -> None:
    """One more item of lot L1 of the measured product (the first registered one): made at the
    owner's factory, shipped to a new shop (in `unit`) that receives and sells it, and one more
    item sold by another new shop no shipment reached (a "never shipped" lead). The lot's trace,
    its public page and the leads grow by a few events, places and businesses."""
    from canhgiac.goods.epcis import capture
    from canhgiac.goods.models import Business, Product
    from canhgiac.goods.tests.epcis_support import document, object_event

    product = Product.objects.order_by("pk").first()
    base = f"https://id.gs1.org/01/{product.gtin}/21"
    items = [f"{base}/E{made}", f"{base}/F{made}"]
    factory = "urn:epc:id:sgln:8934588.00000.0"
    shop_place, stray_place = (f"urn:epc:id:sgln:8934588.{made % 100000:05d}.{n}" for n in (1, 2))
    shop, stray = (
        Business.objects.create(tax_code=f"4{n}{made:08d}", name=f"Cửa hàng đo {n}-{made}", unit=unit)
        for n in (1, 2)
    )
    lot = {"cbvmda:lotNumber": "L1", "cbvmda:itemExpirationDate": "2027-06-01"}
    capture.capture(
        None,
        document(
            object_event(items, "commissioning", bizLocation={"id": factory}, ilmd=lot),
            object_event(
                items[:1],
                "shipping",
                "2026-12-02T08:00:00+07:00",
                readPoint={"id": factory},
                destinationList=[{"type": "location", "destination": shop_place}],
            ),
        ),
        business=product.owner,
    )
    capture.capture(
        None,
        document(
            object_event(items[:1], "receiving", "2026-12-03T08:00:00+07:00", bizLocation={"id": shop_place}),
            object_event(
                items[:1], "retail_selling", "2026-12-04T08:00:00+07:00", bizLocation={"id": shop_place}
            ),
        ),
        business=shop,
    )
    capture.capture(
        None,
        document(
            object_event(
                items[1:], "retail_selling", "2026-12-05T08:00:00+07:00", bizLocation={"id": stray_place}
            )
        ),
        business=stray,
    )
