"""The commitments register (issue 15, item 5): kinds of signer and the agency in charge of each,
templates, rounds, signatures (uploaded or signed online), coverage, the public list, breaches.

Rounds: the first round is due by the end of 02/2026 (seed 002 §III) and covers everyone on the
register by then; after it, one round per quarter for those added to the register during that
quarter (the March additions go to the second quarter's round): "2026-02" (due 28/02/2026),
"2026-Q2" (due 30/06/2026), "2026-Q3" (30/09/2026), …
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.core import policy
from canhgiac.online.models import Commitment, Listing, OnlineAccount, Signer, SignerIdentity, SignerKind

FIRST_DUE = dt.date(2026, 2, 28)
MAX_FILE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Round:
    code: str
    name: str
    start: dt.date | None  # registered on or after (None: since ever)
    due: dt.date  # registered on or before, and the date by which they sign

    def covers(self, registered_on: dt.date) -> bool:
        return (self.start is None or registered_on >= self.start) and registered_on <= self.due


def _quarter_end(year: int, quarter: int) -> dt.date:
    month = quarter * 3
    return dt.date(year, month, 31 if month in (3, 12) else 30)


def round_for(registered_on: dt.date) -> Round:
    """The round a signer added to the register on `registered_on` belongs to."""
    if registered_on <= FIRST_DUE:
        return Round("2026-02", _("Đợt đầu (hạn 28/02/2026)"), None, FIRST_DUE)
    quarter = (registered_on.month - 1) // 3 + 1
    year = registered_on.year
    if (year, quarter) == (2026, 1):  # 01/03–31/03/2026 joins the second quarter's round
        quarter = 2
    start = (
        FIRST_DUE + dt.timedelta(days=1)
        if (year, quarter) == (2026, 2)
        else dt.date(year, quarter * 3 - 2, 1)
    )
    due = _quarter_end(year, quarter)
    return Round(
        f"{year}-Q{quarter}",
        _("Quý %(q)s/%(y)s (hạn %(due)s)") % {"q": quarter, "y": year, "due": due.strftime("%d/%m/%Y")},
        start,
        due,
    )


def rounds(until: dt.date | None = None) -> list[Round]:
    """Every round from the first to the one containing `until` (today)."""
    until = until or timezone.localdate()
    found = [round_for(FIRST_DUE)]
    day = FIRST_DUE + dt.timedelta(days=1)
    while day <= max(until, FIRST_DUE):
        r = round_for(day)
        if r.code != found[-1].code:
            found.append(r)
        day = r.due + dt.timedelta(days=1)
    return found


def round_by_code(code: str) -> Round | None:
    for r in rounds(dt.date(2100, 1, 1)) if code else []:
        if r.code == code:
            return r
        if r.due.year > 2099:
            break
    return None


# ---------------------------------------------------------------- register and signatures


def add_signer(
    user,
    province,
    *,
    kind: SignerKind,
    name: str,
    identifier: str = "",
    registered_on=None,
    account: OnlineAccount | None = None,
    signer_user=None,
) -> Signer:
    if user is not None:
        policy.require(user, "add", Signer, province=province, kind=kind)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Nhập tên người, tổ chức phải ký cam kết.")]})
    registered_on = registered_on or timezone.localdate()
    identifier = (identifier or "").strip()[:100]
    if Signer.objects.filter(province=province, kind=kind, name=name[:200], identifier=identifier).exists():
        raise ValidationError({"name": [_("Đã có trong danh sách phải ký cam kết.")]})
    return Signer.objects.create(
        province=province,
        kind=kind,
        name=name[:200],
        identifier=identifier,
        registered_on=registered_on,
        account=account,
        user=signer_user,
    )


def register_sellers(user, province) -> int:
    """Add the province's e-commerce sellers (shops whose seller's commune is in the province) to
    the register as "e-commerce seller" signers; returns how many were added (idempotent)."""
    kind = SignerKind.objects.get(code="ecommerce_seller")
    if user is not None:
        policy.require(user, "add", Signer, province=province, kind=kind)
    known = set(
        Signer.objects.filter(province=province, kind=kind, account__isnull=False).values_list(
            "account_id", flat=True
        )
    )
    added = 0
    with transaction.atomic():
        for account in OnlineAccount.objects.filter(
            province=province, unit__isnull=False, kind=OnlineAccount.Kind.SHOP
        ).select_related("platform"):
            if account.pk in known:
                continue
            Signer.objects.get_or_create(
                province=province,
                kind=kind,
                name=account.handle[:200],
                identifier=f"{account.platform.code}:{account.pk}",
                defaults={"registered_on": timezone.localdate(), "account": account},
            )
            added += 1
    return added


def record_signed_copy(user, signer: Signer, uploaded, signed_on=None) -> Commitment:
    """An officer uploads the signed copy (PDF or photo, kept as it is, with its SHA-256)."""
    from django.core.files.base import ContentFile
    from django.utils.crypto import get_random_string

    if user is not None:
        policy.require(user, "change", signer)
    if hasattr(signer, "commitment"):
        raise ValidationError({"file": [_("Người này đã ký cam kết.")]})
    if uploaded is None or not uploaded.size:
        raise ValidationError({"file": [_("Chọn tệp bản cam kết đã ký.")]})
    if uploaded.size > MAX_FILE_BYTES:
        raise ValidationError({"file": [_("Tệp bản cam kết: tối đa 10 MB.")]})
    data = uploaded.read()
    if not (data.startswith(b"%PDF-") or data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n"):
        raise ValidationError({"file": [_("Tệp bản cam kết: chỉ nhận PDF, JPEG hoặc PNG.")]})
    signed_on = signed_on or timezone.localdate()
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": [_("Ngày ký không được ở tương lai.")]})
    with transaction.atomic():
        c = Commitment(
            signer=signer,
            signed_on=signed_on,
            method=Commitment.Method.UPLOAD,
            text=signer.kind.template,
            sha256=hashlib.sha256(data).hexdigest(),
            recorded_by=user if getattr(user, "pk", None) else None,
        )
        c.file.save(
            get_random_string(16) + Path(uploaded.name or "x.pdf").suffix.lower()[:6],
            ContentFile(data),
            save=False,
        )
        c.save()
    return c


def _own_condition(user, businesses=None) -> Q | None:
    """The signers a user signs for: those whose account it is (`Signer.user`), and for a business
    user those registered under the tax code of a business they act for, in its province."""
    if not getattr(user, "pk", None) or not getattr(user, "is_active", False):
        return None
    from canhgiac.goods import services as goods

    cond = Q(user=user)
    for business in goods.businesses_of_user(user) if businesses is None else businesses:
        cond |= Q(identifier=business.tax_code, province_id=business.province_id)
    return cond


def own_signers(user):
    """The register entries `user` signs for (the business or signer area)."""
    cond = _own_condition(user)
    if cond is None:
        return Signer.objects.none()
    return (
        Signer.objects.filter(cond)
        .select_related("kind", "commitment", "province")
        .order_by("kind__order", "name")
    )


def is_own_signer(user, signer: Signer) -> bool:
    cond = _own_condition(user)
    return cond is not None and Signer.objects.filter(cond, pk=signer.pk).exists()


# ---------------------------------------------------------------- claiming an entry ("Đây là tôi")

# The kinds of entry a business (by its tax code) may claim: organisations, not persons.
BUSINESS_KINDS = ("ecommerce_seller", "platform", "press", "health_goods")


def _clean_identifier(value: str) -> str:
    return "".join(str(value or "").split())


def record_signer_identity(user, account, identifier: str, province) -> SignerIdentity:
    """Record the identifier (ID number or tax code) checked when a signer-area account was issued,
    by the province's coordinators; audited. The account may then claim the entries with it."""
    from canhgiac.audit import services as audit

    policy.require(user, "add", SignerIdentity, province=province)
    identifier = _clean_identifier(identifier)
    if not identifier or len(identifier) > 100:
        raise ValidationError({"identifier": [_("Nhập số giấy tờ hoặc mã số thuế (tối đa 100 ký tự).")]})
    if policy.is_staff_member(account):
        raise ValidationError({"user": [_("Tài khoản cán bộ không dùng để ký cam kết.")]})
    with transaction.atomic():
        identity, created = SignerIdentity.objects.update_or_create(
            user=account, defaults={"identifier": identifier, "province": province}
        )
        audit.record(
            "online.signer_identity_recorded",
            obj=identity,
            actor=user,
            changes={"user": account.pk, "identifier": identifier, "created": created},
        )
    return identity


def claimable_signers(user):
    """The register entries offered to `user` to claim as its own ("Đây là tôi"): only for a signer
    account (a business user or a signer-area account, not staff) that has no entry linked yet;
    entries without an account whose identifier equals the tax code of a business it acts for
    (entries of a business's kinds) or the identifier recorded for the account. Any province: a
    tax code or ID number names one signer nationally; already-own entries are left out."""
    none = Signer.objects.none()
    if not policy.is_active_user(user) or policy.is_staff_member(user):
        return none
    from canhgiac.goods import services as goods

    identity = SignerIdentity.objects.filter(user=user).values("identifier")
    cond = Q(identifier__in=identity)
    businesses = goods.businesses_of_user(user)
    taxes = [b.tax_code for b in businesses]
    if taxes:
        cond |= Q(identifier__in=taxes, kind__code__in=BUSINESS_KINDS)
    # one query: an account with an entry linked already is offered nothing (an officer changes it)
    linked = Exists(Signer.objects.filter(user=user))
    return (
        Signer.objects.filter(cond, ~linked, user=None)
        .exclude(identifier="")
        .exclude(_own_condition(user, businesses))
        .select_related("kind", "province")
        .order_by("kind__order", "name")
    )


def claim_signer(user, signer: Signer) -> Signer:
    """`user` claims `signer` as its own: the entry's account becomes `user` (policy verb
    `online.claim_signer`), audited in the same transaction. It then signs it as its own."""
    from canhgiac.audit import services as audit

    policy.require(user, "online.claim_signer", signer)
    with transaction.atomic():
        signer.user = user
        signer.save(update_fields=["user", "updated_at"])
        audit.record(
            "online.signer_claimed",
            obj=signer,
            actor=user,
            changes={"user": {"before": None, "after": user.pk}, "identifier": signer.identifier},
        )
    return signer


def sign_online(user, signer: Signer, *, confirmed: bool = True) -> Commitment:
    """The signer signs with their own account (the business or signer area): the template's
    text is stored with its SHA-256, the time and the account; audited."""
    from canhgiac.audit import services as audit

    if not is_own_signer(user, signer):
        raise policy.PermissionDenied
    if hasattr(signer, "commitment"):
        raise ValidationError({"signer": [_("Bạn đã ký cam kết này.")]})
    if not confirmed:
        raise ValidationError({"confirm": [_("Đánh dấu ô “Tôi đã đọc và đồng ý” trước khi ký cam kết.")]})
    text = signer.kind.template
    now = timezone.now()
    with transaction.atomic():
        commitment = Commitment.objects.create(
            signer=signer,
            signed_on=timezone.localdate(now),
            signed_at=now,
            method=Commitment.Method.ONLINE,
            text=text,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            recorded_by=user,
        )
        audit.record(
            "online.commitment_signed",
            obj=commitment,
            actor=user,
            changes={"signer": signer.pk, "kind": signer.kind.code, "sha256": commitment.sha256},
        )
    return commitment


# ---------------------------------------------------------------- coverage


def commitment_coverage(
    province, round_code: str | None = None, *, kind: str | None = None, as_of=None, with_missing: bool = True
) -> list[dict]:
    """For each kind of signer and each round (or the one round asked): how many must sign (on the
    register in that round's window), how many have signed (by `as_of`, default today), the share,
    and who has not. The reporting app pre-fills its "commitments signed" figures from this."""
    as_of = as_of or timezone.localdate()
    wanted = [round_by_code(round_code)] if round_code else rounds(as_of)
    wanted = [r for r in wanted if r is not None]
    kinds = list(SignerKind.objects.all() if not kind else SignerKind.objects.filter(code=kind))
    signers = list(
        Signer.objects.filter(
            province=province, kind__in=kinds, registered_on__lte=max((r.due for r in wanted), default=as_of)
        )
        .select_related("commitment")
        .order_by("name")
    )
    out = []
    for r in wanted:
        for k in kinds:
            members = [s for s in signers if s.kind_id == k.pk and r.covers(s.registered_on)]
            signed = [s for s in members if hasattr(s, "commitment") and s.commitment.signed_on <= as_of]
            signed_ids = {s.pk for s in signed}
            row = {
                "round": r.code,
                "round_name": r.name,
                "due": r.due,
                "kind": k.code,
                "kind_name": k.name,
                "agency_code": k.agency_code,
                "required": len(members),
                "signed": len(signed),
                "signed_on_time": sum(1 for s in signed if s.commitment.signed_on <= r.due),
                "percent": round(100 * len(signed) / len(members), 1) if members else None,
            }
            if with_missing:
                row["missing"] = [
                    {"id": s.pk, "name": s.name, "identifier": s.identifier}
                    for s in members
                    if s.pk not in signed_ids
                ]
            out.append(row)
    return out


def commitments_signed(province, date_from: dt.date, date_to: dt.date) -> dict:
    """Commitments signed in a reporting window, by kind (for the reporting pre-fill): {kind code: n}
    plus "total"."""
    rows = (
        Commitment.objects.filter(signer__province=province, signed_on__gte=date_from, signed_on__lte=date_to)
        .values("signer__kind__code")
        .annotate(n=Count("id"))
    )
    out = {row["signer__kind__code"]: row["n"] for row in rows}
    out["total"] = sum(out.values())
    return out


def commitments_signed_figure(date_from, date_to, agency_code=None, province_code=None) -> dict | None:
    """The reporting pre-fill of "commitments signed": `commitments_signed` for the province
    (its code, default the home province), or, with an agency, for the kinds of signer that
    agency is in charge of; None (no system figure, never 0) for an agency in charge of none."""
    from canhgiac.directory import services as directory

    province = directory.unit_by_code(province_code) if province_code else directory.home_province()
    if province is None:
        return None
    if agency_code:
        code = agency_code.split(":")[-1]
        kinds = set(SignerKind.objects.filter(agency_code=code).values_list("code", flat=True))
        if not kinds:
            return None
        found = commitments_signed(province, date_from, date_to)
        out = {k: v for k, v in found.items() if k in kinds}
        out["total"] = sum(out.values())
        return out
    return commitments_signed(province, date_from, date_to)


def breaches(commitments) -> dict[int, int]:
    """{commitment id: flagged listings of the signer's account (or of the same seller's other
    accounts) posted after it was signed}, in one query."""
    commitments = list(commitments)
    accounts = {c.pk: c.signer.account for c in commitments if c.signer.account_id}
    if not accounts:
        return {}
    subjects = {a.subject_id for a in accounts.values() if a.subject_id}
    rows = list(
        Listing.objects.filter(flagged=True)
        .filter(Q(account_id__in=[a.pk for a in accounts.values()]) | Q(account__subject_id__in=subjects))
        .values_list("account_id", "account__subject_id", "created_at")
    )
    out = {}
    for c in commitments:
        a = accounts.get(c.pk)
        if a is None:
            continue
        n = sum(
            1
            for account_id, subject_id, created in rows
            if (account_id == a.pk or (a.subject_id and subject_id == a.subject_id))
            and timezone.localdate(created) >= c.signed_on
        )
        if n:
            out[c.pk] = n
    return out


def public_commitments(province=None):
    """Signed commitments anyone may read: who signed, their kind, the date (no file, no identifier)."""
    qs = Commitment.objects.select_related("signer", "signer__kind", "signer__account", "signer__province")
    if province is not None:
        qs = qs.filter(signer__province=province)
    return qs.order_by("-signed_on", "signer__name")
