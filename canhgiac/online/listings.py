"""Listings: entered by an officer, from a tip, or imported (`canhgiac import-listings`), scored
before the call returns; evidence files with their SHA-256; the export `listing_ref,risk_score,
flagged,reasons`."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.audit import services as audit
from canhgiac.core import policy, tabular
from canhgiac.core.errors import Errors
from canhgiac.core.numbers import NumberError, parse_vn_int
from canhgiac.core.tabular import RowError
from canhgiac.core.text import fold
from canhgiac.directory import services as directory
from canhgiac.directory.models import GoodsCategory
from canhgiac.online import scoring
from canhgiac.online.models import Evidence, Listing, OnlineAccount, Platform

IMPORT_COLUMNS = (
    "listing_ref",
    "platform",
    "url",
    "shop_name",
    "title",
    "description",
    "price_vnd",
    "category_hint",
)
EXPORT_HEADER = ("listing_ref", "risk_score", "flagged", "reasons")
MAX_ROWS = 100_000
MAX_PRICE = 10**13
MAX_EVIDENCE_BYTES = 50 * 1024 * 1024
SCORED_FIELDS = ("risk_score", "flagged", "priority", "reasons")
_url = URLValidator(schemes=["http", "https"])


def threshold() -> int:
    return int(getattr(settings, "CANHGIAC_ONLINE_FLAG_THRESHOLD", scoring.DEFAULT_THRESHOLD))


def default_agency(code: str = "QLTT", province=None):
    return directory.agency_by_code(code, province or directory.home_province())


# ---------------------------------------------------------------- accounts


def account_for(province, platform: Platform, handle: str, url: str = "") -> OnlineAccount | None:
    """The province's account with this handle on the platform, created when new (None: no handle)."""
    handle = (handle or "").strip()[:200]
    if not handle:
        return None
    account = OnlineAccount.objects.filter(
        province=province, platform=platform, handle_folded=fold(handle)
    ).first()
    if account is None:
        account = OnlineAccount.objects.create(
            province=province, platform=platform, handle=handle, url=url[:500]
        )
    return account


def link_account(user, account: OnlineAccount, *, subject=None, unit=None) -> OnlineAccount:
    """Link an account to a subject (the seller) and/or the seller's commune; the seller's listings
    are scored again (several shops of one seller, a seller in cases)."""
    if user is not None:
        policy.require(user, "change", account)
        if subject is not None:
            policy.require(user, "view", subject)  # only a seller the user may see
    with transaction.atomic():
        if subject is not None:
            account.subject = subject
        if unit is not None:
            account.unit = unit
        account.save()
        if account.subject_id:
            from canhgiac.subjects import services as subjects

            group = subjects.same_entity_records([account.subject_id])[account.subject_id]
            rescore(Listing.objects.filter(account__subject_id__in=group))
        else:
            rescore(account.listings.all())
    return account


# ---------------------------------------------------------------- scoring


def _seller_key(account: OnlineAccount | None):
    if account is None:
        return None
    return f"s{account.subject_id}" if account.subject_id else f"a{account.pk}"


def shops_of_sellers(accounts) -> dict[int, int]:
    """For each of these accounts linked to a subject record: how many shops its seller has, that
    is the accounts of the same province's register whose subject records belong to the same
    resolved entity (subjects services; the record alone before it has been matched). Counted
    within the account's province, as the policy lets that province's staff see accounts: a shop
    in another province's register neither counts nor shows. Three queries."""
    from canhgiac.subjects import services as subjects

    linked = [a for a in accounts if a.subject_id]
    if not linked:
        return {}
    groups = subjects.same_entity_records({a.subject_id for a in linked})
    every = set().union(*groups.values())
    per: dict[tuple[int, int], int] = {}
    for row in (
        OnlineAccount.objects.filter(subject_id__in=every, province_id__in={a.province_id for a in linked})
        .values("province_id", "subject_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        per[(row["province_id"], row["subject_id"])] = row["n"]
    return {a.pk: sum(per.get((a.province_id, sid), 0) for sid in groups[a.subject_id]) or 1 for a in linked}


def build_context(listings: list[Listing]) -> scoring.Context:
    """What the rules need about the sellers of `listings`, in a constant number of queries."""
    from canhgiac.cases import services as cases
    from canhgiac.goods import services as goods

    context = scoring.Context.with_references(goods.reference_prices())
    accounts = {listing.account_id: listing.account for listing in listings if listing.account_id}
    subject_ids = {a.subject_id for a in accounts.values() if a.subject_id}
    if subject_ids:
        context.account_shops = shops_of_sellers(accounts.values())
        context.in_cases = {f"s{i}" for i in cases.subjects_in_cases(subject_ids)}
    # flagged before: another flagged listing of the same seller, or an account marked so
    flagged = Listing.objects.filter(flagged=True).filter(
        account_id__in=list(accounts)
    ) | Listing.objects.filter(flagged=True, account__subject_id__in=subject_ids)
    for pk, account_id, subject_id in flagged.values_list("pk", "account_id", "account__subject_id"):
        key = f"s{subject_id}" if subject_id else f"a{account_id}"
        context.flagged_listings.setdefault(key, set()).add(pk)
    for account in accounts.values():
        if account.flagged_before:
            context.flagged_before.add(_seller_key(account))
    return context


def score_one(listing: Listing, context: scoring.Context, limit: int) -> scoring.Result:
    seller = _seller_key(listing.account)
    others = context.flagged_listings.get(seller, set()) - {listing.pk}
    marked = seller in context.flagged_before
    if others and not marked:
        context.flagged_before.add(seller)
    try:
        return scoring.score(
            listing.title,
            listing.description,
            listing.price_vnd,
            listing.category.code if listing.category_id else "",
            seller=seller,
            context=context,
            threshold=limit,
            shops=context.account_shops.get(listing.account_id),
        )
    finally:
        if others and not marked:
            context.flagged_before.discard(seller)


def rescore(listings, *, audit_changes: bool = True) -> int:
    """Score `listings` (a queryset or list) again; save those whose score changed (audited)."""
    listings = list(
        listings.select_related("account", "category") if hasattr(listings, "select_related") else listings
    )
    if not listings:
        return 0
    context = build_context(listings)
    limit = threshold()
    changed, changes = [], []
    for listing in listings:
        result = score_one(listing, context, limit)
        new = {
            "risk_score": result.score,
            "flagged": result.flagged,
            "priority": result.priority,
            "reasons": result.reasons,
        }
        old = {k: getattr(listing, k) for k in SCORED_FIELDS}
        if new != old:
            for key, value in new.items():
                setattr(listing, key, value)
            changed.append(listing)
            changes.append(
                {k: {"before": old[k], "after": new[k]} for k in SCORED_FIELDS if old[k] != new[k]}
            )
    if changed:
        with transaction.atomic():
            Listing.objects.bulk_update(changed, list(SCORED_FIELDS), batch_size=2000)
            if audit_changes:
                audit.record_many("update", changed, changes=changes)
    return len(changed)


# ---------------------------------------------------------------- one listing


def clean_price(value) -> int | None:
    try:
        price = parse_vn_int(value)
    except NumberError:
        raise ValueError(
            _("“%(value)s” không phải số tiền (đồng, ví dụ 125.000).") % {"value": str(value)[:40]}
        ) from None
    if price is not None and not 0 <= price < MAX_PRICE:
        raise ValueError(_("giá phải từ 0 đến dưới 10.000 tỷ đồng."))
    return price


def save_listing(user, values: dict, listing: Listing | None = None) -> Listing:
    """Create or change a listing entered by an officer (or from a tip: source="tip", tip_code):
    agency, listing_ref (blank: made up), platform (Platform), url, shop_name, title, description,
    price_vnd, category (GoodsCategory or None). Scored before returning."""
    errors = Errors()
    agency = values.get("agency") or (listing.agency if listing else None)
    if agency is None:
        errors.add("agency", _("Chọn cơ quan theo dõi."))
        errors.raise_if_any()
    if listing is None:
        if user is not None:
            policy.require(user, "add", Listing, agency=agency)
    else:
        if user is not None:
            policy.require(user, "change", listing)
    title = (values.get("title") or "").strip()
    if not title:
        errors.add("title", _("Nhập tiêu đề tin đăng."))
    platform = values.get("platform")
    if platform is None:
        errors.add("platform", _("Chọn nền tảng."))
    url = (values.get("url") or "").strip()
    if url:
        try:
            _url(url)
        except ValidationError:
            errors.add("url", _("“%(v)s” không phải địa chỉ http(s) hợp lệ.") % {"v": url[:100]})
    ref = (values.get("listing_ref") or "").strip()[:100]
    if (
        ref
        and Listing.objects.filter(agency=agency, listing_ref=ref)
        .exclude(pk=getattr(listing, "pk", None))
        .exists()
    ):
        errors.add("listing_ref", _("Cơ quan này đã có tin đăng mã “%(ref)s”.") % {"ref": ref})
    errors.raise_if_any()
    with transaction.atomic():
        listing = listing or Listing(source=values.get("source") or Listing.Source.OFFICER)
        listing.agency = agency
        listing.listing_ref = ref or timezone.now().strftime("CB%Y%m%d%H%M%S%f")[:100]
        listing.platform = platform
        listing.url = url
        listing.shop_name = (values.get("shop_name") or "").strip()[:200]
        listing.account = account_for(agency.province, platform, listing.shop_name, url)
        listing.title = title[:500]
        listing.description = values.get("description") or ""
        listing.price_vnd = values.get("price_vnd")
        listing.category = values.get("category")
        listing.tip_code = (values.get("tip_code") or "")[:20]
        listing.save()
        rescore([listing])
    return listing


def add_evidence(user, listing: Listing, uploaded, kind: str, captured_at=None) -> Evidence:
    """Keep a screenshot, saved page or video of a listing as it is (never re-encoded), with its
    SHA-256 and capture time; the creation's audit event carries both into the chain."""
    from django.core.files.base import ContentFile
    from django.utils.crypto import get_random_string

    if user is not None:
        policy.require(user, "change", listing)
    if kind not in Evidence.Kind.values:
        raise ValidationError({"kind": [_("Loại chứng cứ không hợp lệ.")]})
    if uploaded is None or not uploaded.size:
        raise ValidationError({"file": [_("Chọn tệp chứng cứ.")]})
    if uploaded.size > MAX_EVIDENCE_BYTES:
        raise ValidationError({"file": [_("Tệp chứng cứ: tối đa 50 MB.")]})
    data = uploaded.read()
    name = Path(uploaded.name or "chung-cu").name[:200]
    captured_at = captured_at or timezone.now()
    if captured_at > timezone.now() + timezone.timedelta(minutes=5):
        raise ValidationError({"captured_at": [_("Thời điểm ghi nhận không được ở tương lai.")]})
    with transaction.atomic():
        evidence = Evidence(
            listing=listing,
            kind=kind,
            original_name=name,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            captured_at=captured_at,
            uploaded_by=user if getattr(user, "pk", None) else None,
        )
        evidence.file.save(
            get_random_string(16) + Path(name).suffix.lower()[:10], ContentFile(data), save=False
        )
        evidence.save()
    return evidence


def evidence_intact(evidence: Evidence) -> bool:
    """The stored file still has the SHA-256 recorded when it was captured."""
    with evidence.file.open("rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest() == evidence.sha256


# ---------------------------------------------------------------- import


@dataclass
class ImportResult(tabular.ImportResult):
    """The listings' import; `flagged`: listings scored at or above the threshold."""

    flagged: int = 0


def import_listings(user, data: bytes, filename: str, agency=None) -> ImportResult:
    """Check the whole file, then create or update every listing in one transaction and score
    them, or write nothing. Rows are matched by (agency, listing_ref): importing the same file
    again changes nothing. `user` None is the command line."""
    result = ImportResult()
    if agency is None:
        result.errors.append(RowError(1, "", _("Không xác định được cơ quan theo dõi.")))
        return result
    if user is not None and not policy.can(user, "online.import", agency=agency):
        result.errors.append(RowError(1, "", _("Bạn không được nhập tin đăng cho cơ quan này.")))
        return result
    table = tabular.read_import(
        data, filename, required=IMPORT_COLUMNS, known=IMPORT_COLUMNS, max_rows=MAX_ROWS
    )
    result.rows = len(table.rows)
    if table.errors:
        result.errors = table.errors
        return result
    platforms = {p.code: p for p in Platform.objects.filter(is_active=True)}
    categories = {c.code: c for c in GoodsCategory.objects.all()}
    plan, seen = [], {}
    for row in table.rows:
        line, cells, get = row.line, row.cells, row.text

        def err(column, message, _line=line):
            result.errors.append(RowError(_line, column, message))

        ref = get("listing_ref")
        if not ref:
            err("listing_ref", _("bắt buộc."))
        elif len(ref) > 100:
            err("listing_ref", _("dài quá 100 ký tự."))
        elif ref in seen:
            err("listing_ref", _("trùng với dòng %(line)s.") % {"line": seen[ref]})
        else:
            seen[ref] = line
        platform = platforms.get(get("platform").lower())
        if platform is None:
            err(
                "platform",
                _(
                    "không có nền tảng mã “%(code)s” (shopee, lazada, tiktok_shop, tiki, facebook, zalo, youtube, website)."
                )
                % {"code": get("platform")[:40]},
            )
        url = get("url")
        if url:
            try:
                _url(url)
                if len(url) > 1000:
                    raise ValidationError("long")
            except ValidationError:
                err("url", _("“%(v)s” không phải địa chỉ http(s) hợp lệ.") % {"v": url[:100]})
        shop = get("shop_name")
        if len(shop) > 200:
            err("shop_name", _("dài quá 200 ký tự."))
        title = get("title")
        if not title:
            err("title", _("bắt buộc."))
        elif len(title) > 500:
            err("title", _("dài quá 500 ký tự."))
        description = get("description")
        if len(description) > 20_000:
            err("description", _("dài quá 20.000 ký tự."))
        try:
            price = clean_price(get("price_vnd"))
        except ValueError as exc:
            err("price_vnd", str(exc))
            price = None
        hint = get("category_hint").lower()
        category = categories.get(hint) if hint else None
        if hint and category is None:
            err(
                "category_hint",
                _("không có nhóm hàng mã “%(code)s” (xem danh mục nhóm hàng).") % {"code": hint[:40]},
            )
        if "\x00" in "".join(str(c) for c in cells):
            err("", _("dòng có ký tự NUL."))
        plan.append(
            (
                ref,
                {
                    "platform": platform,
                    "url": url,
                    "shop_name": shop,
                    "title": title,
                    "description": description,
                    "price_vnd": price,
                    "category": category,
                },
            )
        )
    if result.errors:
        result.errors.sort(key=lambda e: e.line)
        return result
    refs, existing = list(seen), {}
    for start in range(0, len(refs), 5000):  # SQLite limits the parameters of one query
        chunk = refs[start : start + 5000]
        existing.update(
            (listing.listing_ref, listing)
            for listing in Listing.objects.filter(agency=agency, listing_ref__in=chunk)
        )
    province = agency.province
    accounts = {}
    to_score = []
    with transaction.atomic():
        new, updates, update_changes = [], [], []
        for ref, values in plan:
            key = (values["platform"].pk, fold(values["shop_name"]))
            if values["shop_name"] and key not in accounts:
                accounts[key] = account_for(province, values["platform"], values["shop_name"], "")
            account = accounts.get(key) if values["shop_name"] else None
            listing = existing.get(ref)
            if listing is None:
                listing = Listing(
                    agency=agency,
                    province_id=agency.province_id,
                    listing_ref=ref,
                    account=account,
                    source=Listing.Source.IMPORT,
                    **values,
                )
                new.append(listing)
                continue
            values["account"] = account
            diff = {k: v for k, v in values.items() if _current(listing, k) != _plain(v)}
            if not diff:
                result.unchanged += 1
                continue
            update_changes.append(
                {k: {"before": _current(listing, k), "after": _plain(v)} for k, v in diff.items()}
            )
            for key_, value in diff.items():
                setattr(listing, key_, value)
            updates.append(listing)
        # scored in memory before the rows are written: one insert (or update) per row, no second pass
        to_score = new + updates
        context = build_context(to_score)
        limit = threshold()
        for listing, changes in zip(to_score, [None] * len(new) + update_changes, strict=True):
            result_ = score_one(listing, context, limit)
            scored = {
                "risk_score": result_.score,
                "flagged": result_.flagged,
                "priority": result_.priority,
                "reasons": result_.reasons,
            }
            if changes is not None:
                for key_, value in scored.items():
                    if getattr(listing, key_) != value:
                        changes[key_] = {"before": getattr(listing, key_), "after": value}
            for key_, value in scored.items():
                setattr(listing, key_, value)
        for listing in to_score:
            listing.fold_search()
        if new:
            Listing.objects.bulk_create(new, batch_size=2000)
            audit.record_many("create", new)
        if updates:
            Listing.objects.bulk_update(
                updates,
                [
                    "platform",
                    "url",
                    "shop_name",
                    "title",
                    "description",
                    "price_vnd",
                    "category",
                    "account",
                    "search_folded",
                    *SCORED_FIELDS,
                ],
                batch_size=2000,
            )
            audit.record_many("update", updates, changes=update_changes)
        result.created, result.updated = len(new), len(updates)
        audit.record(
            "online.listings_imported",
            object_type="online.listing",
            object_repr=Path(filename).name[:200],
            agency_code=agency.key,
            changes={
                "file": Path(filename).name,
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
    result.flagged = sum(1 for listing in to_score if listing.flagged)
    return result


def _plain(value):
    return getattr(value, "pk", value)


FOREIGN_KEYS = ("platform", "category", "account")


def _current(listing, key):
    """A listing's value for the import's comparison (foreign keys by id: no query per row)."""
    return getattr(listing, f"{key}_id") if key in FOREIGN_KEYS else getattr(listing, key)


# ---------------------------------------------------------------- export


def export_listings(out, listings) -> int:
    """Write `listing_ref,risk_score,flagged,reasons` (flagged 0 or 1 at the configured threshold;
    reasons joined with " | ") for `listings`; returns the number of rows."""
    writer = csv.writer(out)
    writer.writerow(EXPORT_HEADER)
    n = 0
    limit = threshold()
    for ref, risk, reasons in (
        listings.order_by("listing_ref", "pk")
        .values_list("listing_ref", "risk_score", "reasons")
        .iterator(2000)
    ):
        writer.writerow([ref, risk, 1 if risk >= limit else 0, " | ".join(reasons or [])])
        n += 1
    return n
