"""Shops and their seller (issue 15, item 1): an online account linked to its subject record, the
resolved entity that record belongs to (subjects app, entity resolution), and so the seller's other
shops. Everything goes through the policy: a subject record the user may not see stays hidden, and
so does what it would reveal (its entity, the shops linked through it)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Value
from django.db.models.functions import Replace

from canhgiac.core import policy
from canhgiac.core.text import fold
from canhgiac.online.models import Listing, OnlineAccount


def _visible_accounts(user):
    return policy.visible_to(user, OnlineAccount.objects.select_related("platform", "unit", "province"))


def _keyed(user, keys) -> list[OnlineAccount]:
    """The accounts `user` may see whose "platform:handle" is one of `keys` (the subjects app's
    `online_account` link keys: folded, "@" and spaces dropped; the platform by code or name)."""
    wanted: dict[str, set[str]] = {}
    for key in keys:
        platform, _sep, handle = key.partition(":")
        if platform != "url" and handle:
            wanted.setdefault(handle, set()).add(platform)
    if not wanted:
        return []
    found = []
    candidates = (
        _visible_accounts(user)
        .annotate(compact=Replace("handle_folded", Value(" "), Value("")))
        .filter(compact__in=[*wanted, *(f"@{h}" for h in wanted)])
    )
    for account in candidates:
        platforms = wanted.get(account.handle_folded.lstrip("@").replace(" ", ""), set())
        names = {account.platform.code, fold(account.platform.name).replace(" ", "")}
        if platforms & names:
            found.append(account)
    return found


def accounts_of_subjects(user, subject_ids, exclude=None) -> list[OnlineAccount]:
    """The online accounts (shops, pages, channels) of these subject records that `user` may see:
    those linked to one of them (`OnlineAccount.subject`), and those whose platform and handle the
    records carry or are related to (the subjects app's `online_accounts` hook, which applies the
    policy to the relations). The caller passes records the user may see."""
    ids = {int(i) for i in subject_ids}
    if not ids:
        return []
    from canhgiac.subjects.network import services as network

    keys = {key for found in network.online_accounts(user, ids).values() for key in found}
    accounts = {a.pk: a for a in _visible_accounts(user).filter(subject_id__in=ids)}
    for account in _keyed(user, keys):
        accounts.setdefault(account.pk, account)
    out = [a for a in accounts.values() if exclude is None or a.pk != exclude.pk]
    return sorted(out, key=lambda a: (a.platform.name, a.handle_folded))


def seller_of(user, account: OnlineAccount) -> dict:
    """What `user` may know of the seller behind `account`: the subject record (None when there is
    none or the user may not see it), its resolved entity (when the user may see it), the visible
    records of that entity, and the seller's other shops found through them."""
    out = {"subject": None, "entity": None, "records": [], "other_accounts": []}
    if not account.subject_id:
        return out
    from canhgiac.subjects import services as subjects

    subject = account.subject
    if not policy.can(user, "view", subject):
        return out  # a hidden subject stays hidden, and the shops linked through it too
    out["subject"] = subject
    entity = subjects.entity_for(subject)
    records = [subject]
    if entity is not None and policy.can(user, "view", entity):
        out["entity"] = entity
        records = subjects.records_of_entity(entity, user)["records"] or [subject]
    out["records"] = records
    out["other_accounts"] = accounts_of_subjects(user, [r.pk for r in records], exclude=account)
    return out


def account_listings(user, account: OnlineAccount, limit: int = 50):
    from canhgiac.online.models import Listing

    return list(
        policy.visible_to(user, Listing.objects.filter(account=account))
        .select_related("platform")
        .order_by("-priority", "-risk_score", "-id")[:limit]
    )


def find_subject(user, subject_id):
    """A subject record by its number, if `user` may see it (for linking a shop to its seller)."""
    from canhgiac.subjects import services as subjects

    return subjects.visible_subject(user, subject_id)


def flagged_listings_by_seller(user, *, date_from: dt.date | None = None, date_to: dt.date | None = None):
    """The flagged listings `user` may see (entered in the period when given), one row each:
    {"listing": id, "subject": the seller's subject record id or None, "platform_code",
    "platform_name", "handle"} (handle None for a listing without an account). A fixed number of
    queries, whatever the number of sellers asked about: the caller maps sellers itself (the
    subjects' ranked list: "links to online accounts with flagged listings", issue 12)."""
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
