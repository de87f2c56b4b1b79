"""Flagged listings by seller, for other apps (the subjects' ranked list: "links to online accounts
with flagged listings", issue 12). Read through `online.services`."""

from __future__ import annotations

import datetime as dt

from canhgiac.core import policy
from canhgiac.online.models import Listing


def flagged_listings_by_seller(user, *, date_from: dt.date | None = None, date_to: dt.date | None = None):
    """The flagged listings `user` may see (entered in the period when given), one row each:
    {"listing": id, "subject": the seller's subject record id or None, "platform_code",
    "platform_name", "handle"} (handle None for a listing without an account). A fixed number of
    queries, whatever the number of sellers asked about: the caller maps sellers itself."""
    listings = policy.visible_to(user, Listing.objects.filter(flagged=True))
    if date_from:
        listings = listings.filter(created_at__date__gte=date_from)
    if date_to:
        listings = listings.filter(created_at__date__lte=date_to)
    return [
        {
            "listing": pk,
            "subject": subject,
            "platform_code": code,
            "platform_name": name,
            "handle": handle,
        }
        for pk, subject, code, name, handle in listings.order_by().values_list(
            "pk", "account__subject_id", "platform__code", "platform__name", "account__handle"
        )
    ]
