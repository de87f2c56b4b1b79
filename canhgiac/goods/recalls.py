"""Recalls and product warnings (issue 13, item 6).

`active_recall(product, lot)` is what the public check asks: the active recall that covers this
product and lot (a recall of that lot, or of the whole product), or None. One indexed query.
"""

from __future__ import annotations

from django.db.models import Q

from canhgiac.goods.models import Product, Recall


def active_recall(product: Product | int, lot: str | None = None) -> Recall | None:
    """The active recall covering `product` (an object or its id) and `lot` (GS1 AI 10, compared
    exactly, as lots are case-sensitive): a recall of that lot, else one of the whole product.
    Without a lot only a whole-product recall answers (a lot recall does not cover every pack)."""
    product_id = product.pk if isinstance(product, Product) else product
    lot = (lot or "").strip()
    lots = Q(lot="") | Q(lot=lot) if lot else Q(lot="")
    # a recall naming this very lot explains the answer best ("-lot": the lot before ""), else the
    # newest whole-product one
    return (
        Recall.objects.filter(lots, product_id=product_id, status=Recall.Status.ACTIVE)
        .select_related("agency")
        .order_by("-lot", "-issued_on", "-id")
        .first()
    )
