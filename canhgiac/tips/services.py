"""Tips: intake (public and staff), routing, duplicates, handling, deadlines and figures.

Every write goes through a function here, in one transaction; views, the API and commands are thin.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rapidfuzz import fuzz, process

from canhgiac.audit import services as audit
from canhgiac.core import policy, ratelimit, sqlite_turn
from canhgiac.core.context import acting_as
from canhgiac.core.policy import require, visible_to
from canhgiac.core.text import fold, shorten
from canhgiac.directory.models import AdministrativeUnit, Agency, GoodsCategory, ViolationType
from canhgiac.tips import conf, lookups, tokens, uploads
from canhgiac.tips.models import Tip, TipAttachment, TipMessage, TipTransfer

PHONE_RE = re.compile(r"^(\+84|84|0)\d{8,10}$")
TRACKING_PARAMS = {"fbclid", "gclid", "si", "igshid", "mibextid", "ref", "ref_src", "_t", "share_id"}
MAX_DESCRIPTION = 5000
log = logging.getLogger(__name__)


# --- Input -------------------------------------------------------------------------------------


def _text(data: dict, name: str) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({name: [_("Phải là chuỗi ký tự.")]})
    return value.strip()


def normalize_url(url: str) -> str:
    """The key two tips about the same online link share: host without www, no fragment, no
    tracking parameters, no trailing slash, case-folded scheme and host."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    query = urlencode(
        sorted(
            (k, v)
            for k, v in parse_qsl(parts.query)
            if k.lower() not in TRACKING_PARAMS and not k.lower().startswith("utm_")
        )
    )
    return urlunsplit(("https", host, parts.path.rstrip("/"), query, ""))[:500]


def clean_input(data: dict, *, staff: bool = False) -> dict:
    """Validate a tip's fields (public form, API or staff entry). Raises ValidationError with a
    Vietnamese message per field; returns the cleaned values with reference objects resolved."""
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}

    def field(name, fn, key=None):
        # Errors are named after the input (unit_code), values after what they hold (unit).
        try:
            cleaned[key or name] = fn()
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)

    def description():
        text = _text(data, "description")
        if not text:
            raise ValidationError(_("Nội dung tin báo: bắt buộc, hãy mô tả điều anh/chị thấy."))
        if len(text) < 10:
            raise ValidationError(_("Nội dung tin báo: quá ngắn, cần ít nhất 10 ký tự."))
        if len(text) > MAX_DESCRIPTION:
            raise ValidationError(_("Nội dung tin báo: dài quá %(n)s ký tự.") % {"n": MAX_DESCRIPTION})
        return text

    def ref(name, lookup, label):
        def get():
            code = _text(data, name)
            if not code:
                return None
            obj = lookup(code)  # cached per process (tips/lookups.py)
            if obj is None:
                raise ValidationError(
                    _("%(label)s: không có mã “%(code)s”.") % {"label": label, "code": code[:40]}
                )
            return obj

        return get

    def bounded(name, label, limit):
        def get():
            value = _text(data, name)
            if len(value) > limit:
                raise ValidationError(_("%(label)s: dài quá %(n)s ký tự.") % {"label": label, "n": limit})
            return value

        return get

    def online_url():
        url = _text(data, "online_url")
        if not url:
            return ""
        if "://" not in url:
            url = "https://" + url
        if len(url) > 500:
            raise ValidationError(_("Đường dẫn trên mạng: dài quá 500 ký tự."))
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ValidationError(_("Đường dẫn trên mạng: không phải địa chỉ web hợp lệ."))
        return url

    def phone():
        value = re.sub(r"[\s.\-()]", "", _text(data, "reporter_phone"))
        if value and not PHONE_RE.match(value):
            raise ValidationError(_("Số điện thoại: không hợp lệ (ví dụ 0912345678)."))
        return value

    def email():
        value = _text(data, "reporter_email")
        if value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError(_("Thư điện tử: không hợp lệ."))
        return value.lower()

    def anonymous():
        value = data.get("anonymous")
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "1", "on", "yes"):
            return True
        if str(value).lower() in ("false", "0", "off", "no"):
            return False
        raise ValidationError(_("Ẩn danh: phải là có (true) hoặc không (false)."))

    field("description", description)
    field("unit_code", ref("unit_code", lookups.unit, _("Xã, phường")), key="unit")
    field("goods_category", ref("goods_category", lookups.goods_category, _("Nhóm hàng")))
    field("violation_type", ref("violation_type", lookups.violation_type, _("Loại vi phạm")))
    field("location", bounded("location", _("Địa chỉ, địa điểm"), 300))
    field("online_url", online_url)
    field("anonymous", anonymous)
    field("reporter_name", bounded("reporter_name", _("Họ và tên"), 150))
    field("reporter_phone", phone)
    field("reporter_email", email)
    if staff:

        def channel():
            value = _text(data, "channel") or Tip.Channel.HOTLINE
            if value not in Tip.Channel.values:
                raise ValidationError(_("Kênh tiếp nhận: không hợp lệ."))
            return value

        field("channel", channel)
        field("transferred_from", bounded("transferred_from", _("Cơ quan chuyển đến"), 200))
        if cleaned.get("channel") == Tip.Channel.TRANSFERRED and not cleaned.get("transferred_from"):
            errors.setdefault("transferred_from", []).append(
                _("Cơ quan chuyển đến: bắt buộc khi tin báo do cơ quan khác chuyển đến.")
            )
        received_at = data.get("received_at")
        if received_at and received_at > timezone.now() + dt.timedelta(minutes=5):
            errors.setdefault("received_at", []).append(_("Thời điểm tiếp nhận: không được ở tương lai."))
        cleaned["received_at"] = received_at or timezone.now()
    if errors:
        raise ValidationError(errors)
    has_contact = any(cleaned.get(k) for k in ("reporter_name", "reporter_phone", "reporter_email"))
    if cleaned["anonymous"] is None:
        cleaned["anonymous"] = not has_contact
    if cleaned["anonymous"]:
        # Anonymity wins over anything typed in the contact boxes: nothing is kept.
        cleaned["reporter_name"] = cleaned["reporter_phone"] = cleaned["reporter_email"] = ""
    elif not (cleaned["reporter_phone"] or cleaned["reporter_email"]):
        raise ValidationError(
            {
                "reporter_phone": [
                    _("Số điện thoại hoặc thư điện tử: cần ít nhất một cách liên hệ khi không gửi ẩn danh.")
                ]
            }
        )
    return cleaned


# --- Routing and duplicates --------------------------------------------------------------------


# The routing decision table (docs/responsibility-matrix.md, "Routing a tip"). The first row
# that matches picks the field; the responsibility matrix then gives the lead for that field in
# the tip's commune (its own row first: the commune override), else in the province.
#: Violation types that by themselves show signs of crime. Trading prohibited goods is a crime
#: under Articles 190-191 of the Criminal Code; the others need a person's judgement, recorded as
#: the tip's "signs of crime" mark (`signs_of_crime`) when the tip or its recorder gives one.
CRIME_VIOLATION_CODES = frozenset({"prohibited_goods"})
CROSS_BORDER_CODES = frozenset({"illegal_transport"})
SMUGGLING_CODES = frozenset({"smuggling"})
TAX_CODES = frozenset({"tax_fraud"})
IP_CODES = frozenset({"ip_infringement"})
QUALITY_CODES = frozenset({"substandard"})
ADVERTISING_CODES = frozenset({"false_advertising"})
# Fields whose goods have their own quality regulator (health, food, farm inputs): a substandard
# medicine stays with Health rather than going to Science and Technology.
SECTOR_QUALITY_FIELDS = frozenset({"health", "food_safety", "agriculture"})
#: Words (folded) that say the goods are sold online when no link is given.
ONLINE_WORDS = (
    "livestream",
    "live stream",
    "facebook",
    "tiktok",
    "shopee",
    "lazada",
    "zalo",
    "ban hang online",
    "ban hang truc tuyen",
    "mang xa hoi",
    "thuong mai dien tu",
    "san thuong mai",
)


def is_online(online_url: str = "", description: str = "") -> bool:
    """An online link, or a platform named in the text."""
    if online_url:
        return True
    folded = fold(description or "")
    return any(word in folded for word in ONLINE_WORDS)


def route_field_code(
    *,
    unit: AdministrativeUnit | None = None,
    goods_category: GoodsCategory | None = None,
    violation_type: ViolationType | None = None,
    online: bool = False,
    signs_of_crime: bool = False,
) -> tuple[str | None, str]:
    """(field code, rule name) by the decision table; (None, "standing_office") when nothing
    matches, so the Standing Office assigns the tip."""
    violation = violation_type.code if violation_type else ""
    goods_field = goods_category.field.code if goods_category else None
    border_commune = bool(unit is not None and unit.parent_id and unit.border)
    if signs_of_crime or violation in CRIME_VIOLATION_CODES:
        return "crime", "signs_of_crime"
    if violation in CROSS_BORDER_CODES or (violation in SMUGGLING_CODES and border_commune):
        return "border", "border"
    if violation in SMUGGLING_CODES:
        return "customs", "smuggling_inland"
    if violation in TAX_CODES:
        return "tax", "tax"
    if online:
        return "ecommerce", "online"
    if violation in IP_CODES:
        return "ip_quality", "ip"
    if violation in QUALITY_CODES and goods_field not in SECTOR_QUALITY_FIELDS:
        return "ip_quality", "quality"
    if violation in ADVERTISING_CODES:
        return "culture", "advertising"
    if goods_field:
        return goods_field, "goods"
    return None, "standing_office"


def route(
    unit: AdministrativeUnit | None,
    goods_category: GoodsCategory | None,
    violation_type: ViolationType | None = None,
    *,
    online: bool = False,
    signs_of_crime: bool = False,
):
    """(field, lead agency, coordinating agencies): the field by the decision table above, then
    the responsibility matrix: the commune's own row first, then the province row; the Standing
    Office when no field is found."""
    code, _rule = route_field_code(
        unit=unit,
        goods_category=goods_category,
        violation_type=violation_type,
        online=online,
        signs_of_crime=signs_of_crime,
    )
    field = lookups.field(code)
    lead, coordinating = lookups.agencies(unit or lookups.default_province(), field)
    return field, lead, coordinating


#: Earlier tips a new one is compared with (the oldest first).
CANDIDATES = 100


@functools.cache
def _candidates_sql(vendor: str) -> tuple[str, tuple[int, ...]]:
    """The duplicate check's candidate query exactly as the ORM writes it (same filter, order and
    limit), compiled once per process: building it cost more CPU than running it. Returns the SQL
    and, for each of its parameters, which of (unit, goods category, since, until) it is."""
    sentinels = (-389001, -389002, _EPOCH, _EPOCH + dt.timedelta(seconds=1))
    query = (
        Tip.objects.filter(
            unit_id=sentinels[0],
            goods_category_id=sentinels[1],
            received_at__gte=sentinels[2],
            received_at__lte=sentinels[3],
        )
        .order_by("received_at")
        .values_list("id", "group_id", "description_folded")[:CANDIDATES]
    )
    sql, params = query.query.sql_with_params()
    adapt = connection.ops.adapt_datetimefield_value  # the ORM gives the dates as the driver takes them
    prepared = [sentinels[0], sentinels[1], adapt(sentinels[2]), adapt(sentinels[3])]
    return sql, tuple(prepared.index(p) for p in params)


_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _candidates(unit_id: int, goods_category_id: int, since, until) -> list[tuple]:
    sql, order = _candidates_sql(connection.vendor)
    adapt = connection.ops.adapt_datetimefield_value
    values = (unit_id, goods_category_id, adapt(since), adapt(until))
    with connection.cursor() as cursor:
        cursor.execute(sql, [values[i] for i in order])
        return cursor.fetchall()


def find_group(*, unit, goods_category, url_key: str, folded: str, received_at, exclude_pk=None):
    """The group a new tip belongs to, as (first tip's id, its lead agency's id, its coordinating
    agencies' ids), or None: the same online link (any time), or the same commune and goods
    category within TIP_DUPLICATE_DAYS days and similar text. Two queries at most, plus one when a
    group is found; candidates are compared as plain values (no model instances)."""
    base = Tip.objects.exclude(pk=exclude_pk) if exclude_pk else Tip.objects.all()
    match = None
    if url_key:
        match = (
            base.filter(online_url_key=url_key).order_by("received_at").values_list("id", "group_id").first()
        )
    if match is None and unit is not None and goods_category is not None:
        since = received_at - dt.timedelta(days=conf.get("TIP_DUPLICATE_DAYS"))
        until = received_at + dt.timedelta(days=1)
        if exclude_pk:
            candidates = list(
                base.filter(
                    unit=unit, goods_category=goods_category, received_at__gte=since, received_at__lte=until
                )
                .order_by("received_at")
                .values_list("id", "group_id", "description_folded")[:CANDIDATES]
            )
        else:  # every public tip: the same query, its SQL built once per process
            candidates = _candidates(unit.pk, goods_category.pk, since, until)
        # The first candidate (oldest) whose text is similar enough, compared in rapidfuzz's C loop.
        similar = process.extract_iter(
            folded,
            [c[2] for c in candidates],
            scorer=fuzz.token_set_ratio,
            score_cutoff=conf.get("TIP_DUPLICATE_SIMILARITY"),
        )
        first = next(similar, None)
        match = candidates[first[2]][:2] if first is not None else None
    if match is None:
        return None
    group_id = match[1] or match[0]
    rows = list(Tip.objects.filter(pk=group_id).values_list("lead_agency_id", "coordinating"))
    lead_id = rows[0][0]
    return group_id, lead_id, sorted({agency for _lead, agency in rows if agency and agency != lead_id})


# --- Intake ------------------------------------------------------------------------------------

#: Draws of a new code when it collides with a stored one (30**8 codes: practically never).
CODE_ATTEMPTS = 8


def _save_new(tip: Tip, coordinating: list[int]) -> None:
    """Insert the tip and its coordinating agencies (ids) and write one audit event holding both:
    three INSERTs (the model signals would write two events and read the many-to-many table first)."""
    Tip.objects.bulk_create([tip])
    changes = audit.creation_changes(tip)
    if coordinating:
        through = Tip.coordinating.through
        through.objects.bulk_create([through(tip_id=tip.pk, agency_id=pk) for pk in coordinating])
        changes["coordinating"] = {"before": None, "after": sorted(coordinating)}
    # The batch writer for one event: the same row as audit.record writes, without a model
    # instance and the JSON field's round trip (docs/audit.md).
    audit.record_many(f"{Tip._meta.label_lower}.create", [tip], changes=[changes])


def _stored(tip: Tip) -> bool:
    return Tip.objects.filter(code=tip.code, secret_hash=tip.secret_hash).exists()


def _stored_despite_error(tip: Tip) -> bool:
    """The connection failed while the tip's transaction was committing: the commit may have
    happened with its answer lost (the server restarted). Ask the database, reconnecting for up
    to TIP_COMMIT_CHECK_SECONDS, so that a stored tip is never answered "not recorded" (and sent
    again by the tipster). False when nothing was stored or the database stays unreachable."""
    deadline = time.monotonic() + conf.get("TIP_COMMIT_CHECK_SECONDS")
    while True:
        try:
            connection.close_if_unusable_or_obsolete()
            return _stored(tip)
        except DatabaseError:
            connection.close()
            if time.monotonic() >= deadline:
                log.error("tip %s: commit outcome unknown, database unreachable", tip.code)
                return False
            time.sleep(0.5)


def _create(
    cleaned: dict, *, channel: str, files=(), created_by=None, received_at=None, transferred_from: str = ""
) -> tuple[Tip, str]:
    """Validate uploads, route (cached reference data, no query when warm), then ONE transaction:
    duplicate check, the tip, its coordinating agencies, one audit event and the notice task
    (the worker runs it once the tip is committed). Returns only after the commit."""
    try:
        files_ok = uploads.check_uploads(files)
    except ValidationError as exc:
        raise ValidationError({"files": exc.messages})
    received_at = received_at or timezone.now()
    field, lead, coordinating = route(
        cleaned["unit"],
        cleaned["goods_category"],
        cleaned["violation_type"],
        online=is_online(cleaned["online_url"], cleaned["description"]),
        # Hook for the "signs of crime" mark on tips: read when the intake gives it.
        signs_of_crime=bool(cleaned.get("signs_of_crime")),
    )
    folded = fold(cleaned["description"])
    url_key = normalize_url(cleaned["online_url"])
    secret = tokens.new_secret()
    contact = {k: cleaned[f"reporter_{k}"] for k in ("name", "phone", "email") if cleaned[f"reporter_{k}"]}
    # Only the outermost transaction's commit can be checked after a lost answer.
    outermost = not connection.in_atomic_block
    for _attempt in range(CODE_ATTEMPTS):
        tip = Tip(
            code=tokens.new_code(),
            secret_hash=tokens.hash_secret(secret),
            channel=channel,
            transferred_from=transferred_from,
            description=cleaned["description"],
            description_folded=folded,
            unit=cleaned["unit"],
            location=cleaned["location"],
            online_url=cleaned["online_url"],
            online_url_key=url_key,
            goods_category=cleaned["goods_category"],
            violation_type=cleaned["violation_type"],
            field=field,
            anonymous=cleaned["anonymous"],
            contact_encrypted=tokens.encrypt_contact(contact) if contact else "",
            lead_agency=lead,
            received_at=received_at,
            accept_due=received_at + dt.timedelta(days=conf.get("TIP_ACCEPT_DAYS")),
            resolve_due=received_at + dt.timedelta(days=conf.get("TIP_RESOLVE_DAYS")),
            created_by=created_by,
        )
        committing = False
        try:
            # On SQLite, wait for the write turn in the kernel, not in SQLite's sleeping busy wait.
            with sqlite_turn.write_turn(), transaction.atomic(), audit.sealing_left_to_worker():
                group = find_group(
                    unit=cleaned["unit"],
                    goods_category=cleaned["goods_category"],
                    url_key=url_key,
                    folded=folded,
                    received_at=received_at,
                )
                coordinating_ids = [a.pk for a in coordinating]
                if group is not None:
                    # One agency handles the whole group.
                    tip.group_id, tip.lead_agency_id, coordinating_ids = group
                _save_new(tip, coordinating_ids)
                for item in files_ok:
                    TipAttachment.objects.create(
                        tip=tip,
                        kind=item["kind"],
                        file=item["content"],
                        content_type=item["content_type"],
                        size=item["size"],
                    )
                # The notice to the handlers runs as a task. Queued in this transaction, it is
                # stored exactly when the tip is, and the worker sees it only after the commit:
                # nothing after the commit can fail and turn a stored tip into an error answer.
                _queue_announce(tip.pk)
                committing = True
            return tip, secret
        except IntegrityError:
            if committing or not Tip.objects.filter(code=tip.code).exists():
                raise
            continue  # the code was taken: draw another
        except DatabaseError:
            if outermost and committing and _stored_despite_error(tip):
                log.warning("tip %s: commit answer lost, the tip is stored", tip.code)
                return tip, secret
            raise
    raise RuntimeError("could not allocate a unique tip code")


def _queue_announce(tip_id: int) -> None:
    from canhgiac.tips.tasks import announce_tip_task

    announce_tip_task.enqueue(tip_id)


def announce(tip_id: int) -> None:
    """The new-tip notice (run by the worker after the tip was committed)."""
    tip = Tip.objects.select_related("lead_agency").filter(pk=tip_id).first()
    if tip is not None:
        _announce(tip)


def _announce(tip: Tip) -> None:
    """Tell the lead agency's handlers a tip has arrived (after commit: a failed save tells nobody)."""
    _notify(
        _handlers(tip.lead_agency),
        "tips.new",
        _("Tin báo mới %(code)s: %(text)s") % {"code": tip.code, "text": shorten(tip.description, 80)},
        tip,
        dedupe_key=f"tips:{tip.pk}:new",
        body=_("Hạn thụ lý: %(due)s.")
        % {"due": timezone.localtime(tip.accept_due).strftime("%d/%m/%Y %H:%M")},
    )


def submit_public(data: dict, files=()) -> tuple[Tip, str]:
    """A citizen's tip from the portal or the public API. Returns the tip and its follow-up secret,
    which is stored only as a hash. No IP address is recorded anywhere, not even in the audit
    trail (the event names no actor and no address)."""
    cleaned = clean_input(data)
    with acting_as(None, ip=None):
        return _create(cleaned, channel=Tip.Channel.ONLINE, files=files)


def record_tip(user, data: dict, files=()) -> tuple[Tip, str]:
    """A tip received by phone, email, in person, by mail or transferred from another body, entered
    by staff. The secret is read out (or sent) to the tipster so they can follow up online."""
    require(user, "add", Tip)
    cleaned = clean_input(data, staff=True)
    return _create(
        cleaned,
        channel=cleaned["channel"],
        files=files,
        created_by=user,
        received_at=cleaned["received_at"],
        transferred_from=cleaned["transferred_from"],
    )


# --- Rate limit --------------------------------------------------------------------------------


def submission_limit() -> int:
    return settings.TIP_RATE_LIMIT_PER_HOUR


def follow_limit() -> int:
    return conf.get("TIP_FOLLOW_ATTEMPTS_PER_HOUR")


def submission_limited(ip: str | None) -> bool:
    """Count one public submission from `ip` (canhgiac.core.ratelimit); True when over the limit."""
    return ratelimit.hit("tips:submit", ip, submission_limit())


def follow_limited(ip: str | None) -> bool:
    return ratelimit.hit("tips:follow", ip, follow_limit())


# --- Follow-up (tipster side) ------------------------------------------------------------------


def find_for_tipster(code: str, secret: str) -> Tip | None:
    """The tip when code and secret match; None for an unknown code and a wrong secret alike."""
    tip = Tip.objects.filter(code=tokens.normalize(code)[:12]).first()
    if tip is None or not tokens.secret_matches(secret, tip.secret_hash):
        return None
    return tip


def public_status(tip: Tip) -> dict:
    """What the tipster sees: the status, the dates, and messages that are not internal notes.
    Never the handling agency's staff names."""
    return {
        "code": tip.code,
        "status": tip.status,
        "status_label": str(tip.get_status_display()),
        "outcome": tip.outcome,
        "outcome_label": str(tip.get_outcome_display()) if tip.outcome else "",
        "received_at": tip.received_at,
        "handled_by": tip.lead_agency.name,
        "messages": [
            {
                "from_tipster": m.from_tipster,
                "body": m.body,
                "at": m.created_at,
                "from": str(_("Người báo tin")) if m.from_tipster else (str(m.agency) if m.agency else ""),
            }
            for m in tip.messages.filter(internal=False).select_related("agency")
        ],
    }


def tipster_message(tip: Tip, body: str) -> TipMessage:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Nội dung tin nhắn: bắt buộc.")]})
    if len(body) > MAX_DESCRIPTION:
        raise ValidationError(
            {"body": [_("Nội dung tin nhắn: dài quá %(n)s ký tự.") % {"n": MAX_DESCRIPTION}]}
        )
    if not tip.is_open:
        raise ValidationError({"body": [_("Tin báo đã kết thúc xử lý, không nhận thêm tin nhắn.")]})
    with acting_as(None, ip=None), transaction.atomic():
        message = TipMessage.objects.create(tip=tip, from_tipster=True, body=body)
    handlers = _handlers(tip.lead_agency)
    _notify(
        handlers,
        "tips.message",
        _("Người báo tin %(code)s gửi tin nhắn mới") % {"code": tip.code},
        tip,
        dedupe_key=f"tips:{tip.pk}:message:{message.pk}",
    )
    return message


# --- Handling (staff side) ---------------------------------------------------------------------


def _require(user, action: str, tip: Tip) -> None:
    require(user, action, tip)


def _user_agency(user, tip: Tip) -> Agency | None:
    memberships = user.active_memberships() if hasattr(user, "active_memberships") else []
    own = next((m.agency for m in memberships if m.agency_id == tip.lead_agency_id), None)
    return own or (memberships[0].agency if memberships else tip.lead_agency)


def staff_message(user, tip: Tip, body: str, *, internal: bool = False) -> TipMessage:
    """A reply to the tipster (signed with the agency, never the officer's name) or an internal note."""
    _require(user, "note" if internal else "handle", tip)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Nội dung: bắt buộc.")]})
    with transaction.atomic():
        return TipMessage.objects.create(
            tip=tip,
            author=user,
            agency=_user_agency(user, tip) if internal else tip.lead_agency,
            body=body,
            internal=internal,
        )


def _group_members(tip: Tip) -> list[Tip]:
    root = tip.group_id or tip.pk
    return list(Tip.objects.filter(Q(pk=root) | Q(group_id=root)).select_related("lead_agency"))


def accept(user, tip: Tip) -> Tip:
    _require(user, "handle", tip)
    if tip.status != Tip.Status.RECEIVED:
        raise ValidationError(_("Chỉ thụ lý được tin báo mới tiếp nhận."))
    with transaction.atomic():
        tip.status, tip.accepted_at = Tip.Status.ACCEPTED, timezone.now()
        tip.save()
    return tip


def start_verifying(user, tip: Tip) -> Tip:
    _require(user, "handle", tip)
    if tip.status != Tip.Status.ACCEPTED:
        raise ValidationError(_("Chỉ chuyển sang xác minh tin báo đã thụ lý."))
    with transaction.atomic():
        tip.status = Tip.Status.VERIFYING
        tip.save()
    return tip


RESOLVE_OUTCOMES = (Tip.Outcome.SUBSTANTIATED, Tip.Outcome.NOT_SUBSTANTIATED, Tip.Outcome.CASE)
REJECT_OUTCOMES = (Tip.Outcome.DUPLICATE, Tip.Outcome.OUT_OF_SCOPE)


def _close(tip: Tip, status: str, outcome: str, reason: str) -> None:
    tip.status, tip.outcome, tip.outcome_reason, tip.closed_at = status, outcome, reason, timezone.now()
    tip.save()


def resolve(user, tip: Tip, outcome: str, reason: str) -> Tip:
    """Conclude a verified tip: substantiated, not substantiated (or turned into a case, by
    `link_case`). A reason is required; the tipster sees the outcome, not the reason."""
    _require(user, "handle", tip)
    reason = (reason or "").strip()
    errors = {}
    if tip.status not in (Tip.Status.ACCEPTED, Tip.Status.VERIFYING):
        errors["status"] = [_("Chỉ kết luận được tin báo đã thụ lý hoặc đang xác minh.")]
    if outcome not in RESOLVE_OUTCOMES:
        errors["outcome"] = [_("Kết quả: không hợp lệ.")]
    if not reason:
        errors["reason"] = [_("Kết luận: bắt buộc ghi rõ căn cứ.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _close(tip, Tip.Status.RESOLVED, outcome, reason)
    return tip


def reject(user, tip: Tip, outcome: str, reason: str) -> Tip:
    """Not accepted: a duplicate of another tip, or out of the committee's scope, with the reason."""
    _require(user, "handle", tip)
    reason = (reason or "").strip()
    errors = {}
    if not tip.is_open:
        errors["status"] = [_("Tin báo đã kết thúc xử lý.")]
    if outcome not in REJECT_OUTCOMES:
        errors["outcome"] = [_("Lý do không thụ lý: chọn trùng tin báo hoặc không thuộc phạm vi.")]
    if not reason:
        errors["reason"] = [_("Lý do: bắt buộc.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _close(tip, Tip.Status.REJECTED, outcome, reason)
    return tip


def extend(user, tip: Tip, new_due: dt.date, reason: str) -> Tip:
    """Extend the resolution deadline once, with a reason, to at most TIP_MAX_RESOLVE_DAYS days
    after receipt (end of the chosen day, local time)."""
    _require(user, "handle", tip)
    reason = (reason or "").strip()
    errors = {}
    latest = tip.received_at + dt.timedelta(days=conf.get("TIP_MAX_RESOLVE_DAYS"))
    due = None
    if tip.extended:
        errors["new_due"] = [_("Tin báo đã được gia hạn một lần; không gia hạn thêm.")]
    elif not tip.is_open:
        errors["new_due"] = [_("Tin báo đã kết thúc xử lý.")]
    elif new_due is None:
        errors["new_due"] = [_("Hạn mới: bắt buộc.")]
    else:
        due = timezone.make_aware(dt.datetime.combine(new_due, dt.time(23, 59, 59)))
        due = min(due, latest) if new_due == timezone.localtime(latest).date() else due
        if due <= tip.resolve_due:
            errors["new_due"] = [_("Hạn mới phải sau hạn hiện tại.")]
        elif due > latest:
            errors["new_due"] = [
                _("Hạn mới không được quá %(n)s ngày kể từ khi tiếp nhận (%(d)s).")
                % {
                    "n": conf.get("TIP_MAX_RESOLVE_DAYS"),
                    "d": timezone.localtime(latest).strftime("%d/%m/%Y"),
                }
            ]
    if not reason:
        errors["reason"] = [_("Lý do gia hạn: bắt buộc.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        tip.resolve_due, tip.extended, tip.extension_reason = due, True, reason
        tip.save()
    return tip


def transfer(user, tip: Tip, agency: Agency, reason: str) -> list[Tip]:
    """Hand the tip (and the open tips grouped with it) to another agency, with a reason. The
    deadlines keep running from receipt."""
    _require(user, "transfer", tip)
    reason = (reason or "").strip()
    errors = {}
    if agency is None or not agency.is_active:
        errors["agency"] = [_("Cơ quan nhận: bắt buộc.")]
    elif agency.pk == tip.lead_agency_id:
        errors["agency"] = [_("Cơ quan nhận đang là cơ quan chủ trì.")]
    elif agency.province_id != tip.lead_agency.province_id and not policy.is_national_admin(user):
        # Provinces are apart: only a national administrator hands a tip to another province.
        errors["agency"] = [_("Cơ quan nhận phải thuộc tỉnh của tin báo.")]
    if not reason:
        errors["reason"] = [_("Lý do chuyển: bắt buộc.")]
    if not tip.is_open:
        errors["agency"] = [_("Tin báo đã kết thúc xử lý.")]
    if errors:
        raise ValidationError(errors)
    moved = []
    with transaction.atomic():
        for member in _group_members(tip):
            if not member.is_open or member.lead_agency_id == agency.pk:
                continue
            TipTransfer.objects.create(
                tip=member, from_agency=member.lead_agency, to_agency=agency, reason=reason, by=user
            )
            member.lead_agency = agency
            member.save()
            member.coordinating.remove(agency)
            moved.append(member)
    _notify(
        _handlers(agency),
        "tips.transferred",
        _("Tin báo %(code)s được chuyển đến đơn vị") % {"code": tip.code},
        tip,
        dedupe_key=f"tips:{tip.pk}:transfer:{agency.pk}:{len(tip.transfers.all())}",
    )
    return moved


def ungroup(user, tip: Tip) -> Tip:
    """Take a tip wrongly grouped as a duplicate out of its group."""
    _require(user, "handle", tip)
    if tip.group_id is None:
        raise ValidationError(_("Tin báo không thuộc nhóm nào."))
    with transaction.atomic():
        tip.group = None
        tip.save()
    return tip


def reveal_contact(user, tip: Tip) -> dict:
    """The tipster's contact details, decrypted for a tip handler of the lead agency. Every view
    is recorded in the audit trail."""
    _require(user, "view_contact", tip)
    contact = tokens.decrypt_contact(tip.contact_encrypted)
    audit.record("tips.contact_viewed", obj=tip, actor=user, changes={"fields": sorted(contact)})
    return contact


def link_case(user, tip: Tip, case_id: int, case_reference: str) -> Tip:
    with transaction.atomic():
        tip.case_id, tip.case_reference = case_id, case_reference
        if tip.is_open:
            _close(
                tip,
                Tip.Status.RESOLVED,
                Tip.Outcome.CASE,
                _("Đã lập vụ việc %(ref)s từ tin báo.") % {"ref": case_reference},
            )
        else:
            tip.save()
    return tip


# --- Deadlines: reminders and escalation -------------------------------------------------------


def _handlers(agency: Agency):
    from canhgiac.accounts.models import User
    from canhgiac.core import policy

    return list(
        User.objects.filter(
            is_active=True,
            memberships__agency=agency,
            memberships__is_active=True,
            memberships__role__in=(policy.TIP_HANDLER, policy.LEADER),
        ).distinct()
    )


def _coordinators(agency: Agency):
    from canhgiac.accounts.models import User
    from canhgiac.core import policy

    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role=policy.COORDINATOR,
            memberships__agency__province_id=agency.province_id,
        ).distinct()
    )


def _notify(users, kind, title, tip, *, dedupe_key, body=""):
    from canhgiac.core.notify import notify

    return notify(
        users, kind=kind, title=str(title), body=str(body), url=tip.get_absolute_url(), dedupe_key=dedupe_key
    )


def run_deadlines(now=None) -> str:
    """Remind the lead agency's handlers TIP_REMINDER_HOURS before each deadline; after it has
    passed, escalate to the Standing Office coordinators (and the lead's leaders). Safe to rerun:
    every notice has a dedupe key naming the tip, the deadline and the deadline's date."""
    now = now or timezone.now()
    soon = now + dt.timedelta(hours=conf.get("TIP_REMINDER_HOURS"))
    sent = {"remind": 0, "escalate": 0}
    open_tips = Tip.objects.filter(status__in=Tip.OPEN_STATUSES).select_related("lead_agency")
    due_accept = open_tips.filter(accepted_at__isnull=True, accept_due__lte=soon)
    due_resolve = open_tips.filter(resolve_due__lte=soon)
    for kind, qs, label in (("accept", due_accept, _("thụ lý")), ("resolve", due_resolve, _("giải quyết"))):
        for tip in qs.iterator():
            due = tip.accept_due if kind == "accept" else tip.resolve_due
            stamp = timezone.localtime(due).strftime("%d/%m/%Y %H:%M")
            key = f"tips:{tip.pk}:{kind}:{due:%Y%m%d%H%M}"
            if due > now:
                sent["remind"] += _notify(
                    _handlers(tip.lead_agency),
                    "tips.reminder",
                    _("Tin báo %(code)s sắp đến hạn %(what)s (%(due)s)")
                    % {"code": tip.code, "what": label, "due": stamp},
                    tip,
                    dedupe_key=f"{key}:remind",
                )
            else:
                users = {u.pk: u for u in _coordinators(tip.lead_agency) + _handlers(tip.lead_agency)}
                sent["escalate"] += _notify(
                    list(users.values()),
                    "tips.escalation",
                    _("Tin báo %(code)s quá hạn %(what)s (%(due)s) — %(agency)s")
                    % {"code": tip.code, "what": label, "due": stamp, "agency": tip.lead_agency},
                    tip,
                    dedupe_key=f"{key}:escalate",
                )
    return f"{sent['remind']} nhắc hạn, {sent['escalate']} báo quá hạn"


# --- Figures -----------------------------------------------------------------------------------

FIGURE_KEYS = (
    "received",
    "accepted",
    "to_resolve",
    "resolved",
    "resolved_on_time",
    "acceptance_rate",
    "resolution_rate",
    "on_time_resolution_rate",
    "open",
    "overdue",
)


def _bounds(date_from: dt.date, date_to: dt.date, now) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min))
    return start, end, min(end, now)


def _intake_aggregates(cutoff) -> dict:
    """Over the tips received in the period."""
    open_q = Q(closed_at__isnull=True) | Q(closed_at__gte=cutoff)
    not_accepted_q = Q(accepted_at__isnull=True) | Q(accepted_at__gte=cutoff)
    return {
        "received": Count("id"),
        "accepted": Count("id", filter=Q(accepted_at__lt=cutoff)),
        "open": Count("id", filter=open_q),
        "overdue": Count(
            "id", filter=open_q & ((not_accepted_q & Q(accept_due__lt=cutoff)) | Q(resolve_due__lt=cutoff))
        ),
    }


def _resolution_aggregates(start, cutoff) -> dict:
    """Over the tips to resolve in the period: accepted before the cut-off and not closed before
    the period began (accepted in the period, or carried over from earlier periods)."""
    resolved_q = Q(status=Tip.Status.RESOLVED, closed_at__gte=start, closed_at__lt=cutoff)
    open_q = Q(closed_at__isnull=True) | Q(closed_at__gte=cutoff)
    return {
        "to_resolve": Count("id"),
        "resolved": Count("id", filter=resolved_q),
        "resolved_on_time": Count("id", filter=resolved_q & Q(closed_at__lte=F("resolve_due"))),
        "past_due": Count("id", filter=open_q & Q(resolve_due__lt=cutoff)),
    }


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _finish(row: dict) -> dict:
    out = {k: row.get(k) or 0 for k in FIGURE_KEYS if not k.endswith("_rate")}
    out["acceptance_rate"] = _rate(out["accepted"], out["received"])
    out["resolution_rate"] = _rate(out["resolved"], out["to_resolve"])
    out["on_time_resolution_rate"] = _rate(
        out["resolved_on_time"], out["resolved"] + (row.get("past_due") or 0)
    )
    return {k: out[k] for k in FIGURE_KEYS}


def _grouped(intake, resolution, key: str, intake_agg: dict, resolution_agg: dict) -> dict:
    rows: dict[str, dict] = {}
    for qs, agg in ((intake, intake_agg), (resolution, resolution_agg)):
        for r in qs.order_by().values(key).annotate(**agg):
            rows.setdefault(r[key], {}).update({k: v for k, v in r.items() if k != key})
    return {k: _finish(v) for k, v in sorted(rows.items(), key=lambda kv: str(kv[0]))}


def stats(
    user,
    date_from: dt.date,
    date_to: dt.date,
    *,
    agency_code: str | None = None,
    province_code: str | None = None,
    now=None,
    groups: bool = True,
) -> dict:
    """Figures of the period from `date_from` to `date_to` (inclusive, local days), as they stood
    at the end of `date_to` (or now, if that is earlier). user=None: every tip (system scope);
    otherwise only the tips the user may see. Definitions (docs/tips.md, "Figures"; seed 004,
    group 2: 100 % accepted, over 90 % resolved):

    - received: tips received in the period;
    - accepted: of those, accepted (thụ lý) by the cut-off;
    - acceptance_rate: accepted / received × 100;
    - to_resolve: tips accepted by the cut-off and not closed before the period began — those
      accepted in the period plus those carried over from earlier periods;
    - resolved: of those, concluded (substantiated, not substantiated, turned into a case) in the
      period; tips rejected as duplicate or out of scope are not resolved;
    - resolution_rate: resolved / to_resolve × 100 (the seed's "giải quyết" target);
    - resolved_on_time: resolved no later than the resolution deadline (as extended);
    - on_time_resolution_rate: resolved_on_time / (resolved + tips to resolve still open past their
      resolution deadline at the cut-off) × 100 — a separate figure, not the resolution rate;
    - open: tips received in the period not yet resolved or rejected at the cut-off;
    - overdue: of those, past the acceptance deadline without acceptance, or past the resolution
      deadline.
    Rates are None when their denominator is 0. by_agency groups by the current lead agency's
    code, by_channel by the intake channel (both left out, as {}, with groups=False).
    """
    now = now or timezone.now()
    start, end, cutoff = _bounds(date_from, date_to, now)
    intake = Tip.objects.filter(received_at__gte=start, received_at__lt=end)
    resolution = Tip.objects.filter(accepted_at__lt=cutoff).filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=start)
    )
    if user is not None:
        intake, resolution = visible_to(user, intake), visible_to(user, resolution)
    if province_code:  # agency codes repeat in every province
        intake = intake.filter(lead_agency__province__code=province_code)
        resolution = resolution.filter(lead_agency__province__code=province_code)
    if agency_code:
        intake = intake.filter(lead_agency__code=agency_code)
        resolution = resolution.filter(lead_agency__code=agency_code)
    intake_agg, resolution_agg = _intake_aggregates(cutoff), _resolution_aggregates(start, cutoff)
    total = _finish({**intake.aggregate(**intake_agg), **resolution.aggregate(**resolution_agg)})
    if not groups:
        return {**total, "by_agency": {}, "by_channel": {}}
    return {
        **total,
        "by_agency": _grouped(intake, resolution, "lead_agency__code", intake_agg, resolution_agg),
        "by_channel": _grouped(intake, resolution, "channel", intake_agg, resolution_agg),
    }


TARGETS = (
    # key, label, target, formula (shown next to the figure; docs/tips.md, "Targets")
    (
        "acceptance_rate",
        _lazy("Tỷ lệ thụ lý"),
        _lazy("100%"),
        _lazy("số tin thụ lý ÷ số tin tiếp nhận trong kỳ"),
    ),
    (
        "resolution_rate",
        _lazy("Tỷ lệ giải quyết"),
        _lazy("trên 90%"),
        _lazy(
            "số tin giải quyết xong trong kỳ ÷ số tin phải giải quyết (thụ lý trong kỳ và kỳ trước chuyển sang)"
        ),
    ),
    (
        "prosecution_rate",
        _lazy("Tỷ lệ khởi tố"),
        _lazy("100%"),
        _lazy("số vụ khởi tố hình sự ÷ số vụ việc có dấu hiệu tội phạm phát hiện trong kỳ"),
    ),
    (
        "on_time_resolution_rate",
        _lazy("Giải quyết đúng hạn (chỉ số riêng)"),
        "",
        _lazy("số tin giải quyết đúng hạn ÷ (số tin đã giải quyết + số tin quá hạn giải quyết chưa xong)"),
    ),
)


def targets(
    user,
    date_from: dt.date,
    date_to: dt.date,
    *,
    agency_code: str | None = None,
    province_code: str | None = None,
    now=None,
    groups: bool = True,
) -> dict:
    """The seed's three targets for tips and cases with signs of crime, plus on-time resolution:
    the figures of `stats` and of cases.services.prosecution_figures, each with its formula.
    groups=False leaves out the breakdowns by agency and channel (the dashboard needs none)."""
    figures = stats(
        user, date_from, date_to, agency_code=agency_code, province_code=province_code, now=now, groups=groups
    )
    from canhgiac.cases import services as cases

    crime = cases.prosecution_figures(
        user, date_from, date_to, agency_code=agency_code, province_code=province_code
    )
    values = {**figures, **crime}
    parts = {
        "acceptance_rate": (values["accepted"], values["received"]),
        "resolution_rate": (values["resolved"], values["to_resolve"]),
        "prosecution_rate": (values["prosecuted"], values["signs_of_crime"]),
        "on_time_resolution_rate": (values["resolved_on_time"], None),
    }
    rows = [
        {
            "key": key,
            "label": label,
            "target": target,
            "formula": formula,
            "value": values[key],
            "part": parts[key][0],
            "whole": parts[key][1],
        }
        for key, label, target, formula in TARGETS
    ]
    return {"figures": figures, "prosecution": crime, "rows": rows}


def mark_signs_of_crime(user, tip: Tip, value: bool) -> Tip:
    """The handler marks (or unmarks) a tip as showing signs of crime; a case made from it inherits
    the mark (the denominator of the prosecution rate)."""
    _require(user, "handle", tip)
    with transaction.atomic():
        tip.signs_of_crime = bool(value)
        tip.save()
    return tip


# --- Turn into a case --------------------------------------------------------------------------


def case_data(tip: Tip) -> dict:
    """The case pre-filled from the tip (the contract of canhgiac.cases.services.create_case).
    The tipster's identity is never copied into the case."""
    host = (urlsplit(tip.online_url).hostname or "").removeprefix("www.") if tip.online_url else ""
    goods = []
    if tip.goods_category_id:
        goods.append({"goods_category": tip.goods_category.code, "description": tip.goods_category.name})
    return {
        "lead_agency_code": tip.lead_agency.code,
        "detected_on": timezone.localtime(tip.received_at).date(),
        "unit_code": tip.unit.code if tip.unit_id else "",
        "address": tip.location,
        "violation_type": tip.violation_type.code if tip.violation_type_id else "",
        "summary": tip.description,
        "online_url": tip.online_url,
        "online_platform": host,
        "goods": goods,
        "origin": f"tip:{tip.code}",
        "sensitive": False,
        "signs_of_crime": tip.signs_of_crime,
    }


def turn_into_case(user, tip: Tip, *, unit_code: str = "", violation_type: str = ""):
    """Create a case from an accepted tip, link both ways (the case's origin names the tip; the
    tip keeps the case id and reference) and resolve the tip as turned into a case. The handler
    supplies the commune and violation type when the tipster did not give them (a case needs both).
    The user needs the right to add cases (officers, leaders and tip handlers of the agency) as
    well as to handle the tip: the handler who verified the tip opens its case."""
    _require(user, "handle", tip)
    if tip.case_id:
        raise ValidationError(_("Tin báo đã được lập vụ việc %(ref)s.") % {"ref": tip.case_reference})
    if tip.status not in (Tip.Status.ACCEPTED, Tip.Status.VERIFYING):
        raise ValidationError(_("Chỉ lập vụ việc từ tin báo đã thụ lý hoặc đang xác minh."))
    from canhgiac.cases import services as cases

    data = case_data(tip)
    if unit_code:
        data["unit_code"] = unit_code
    if violation_type:
        data["violation_type"] = violation_type
    try:
        with transaction.atomic():
            case = cases.create_case(user, data)
            link_case(user, tip, case.pk, case.reference)
    except PermissionDenied:
        raise ValidationError(
            _(
                "Lập vụ việc: cần vai trò cán bộ nghiệp vụ, cán bộ xử lý tin báo hoặc lãnh đạo của cơ quan chủ trì."
            )
        )
    return case


# --- Key rotation ------------------------------------------------------------------------------


def rotate_contact_keys() -> int:
    """Re-encrypt every stored contact with the first key of TIP_CONTACT_KEYS (after a new key was
    put in front), in one transaction; afterwards the old keys can be removed. Returns the count."""
    count = 0
    with transaction.atomic():
        rows = Tip.objects.select_for_update().exclude(contact_encrypted="").only("id", "contact_encrypted")
        for tip in rows.iterator():
            Tip.objects.filter(pk=tip.pk).update(
                contact_encrypted=tokens.rotate_contact(tip.contact_encrypted)
            )
            count += 1
        audit.record("tips.contact_keys_rotated", object_type="tips.tip", changes={"count": count})
    return count


def received_by_unit(user, date_from: dt.date, date_to: dt.date, *, province_code: str | None = None) -> dict:
    """Tips received in the period per commune named in the tip ({unit_id: count}), as `stats`
    counts "received" (user=None: every tip; otherwise the tips the user may see)."""
    start, end, _cutoff = _bounds(date_from, date_to, timezone.now())
    qs = Tip.objects.filter(received_at__gte=start, received_at__lt=end, unit__isnull=False)
    if user is not None:
        qs = visible_to(user, qs)
    if province_code:
        qs = qs.filter(lead_agency__province__code=province_code)
    return dict(qs.order_by().values_list("unit_id").annotate(n=Count("id")))


def open_counts(user, now=None) -> dict:
    """Open tips the user may see and, of those, overdue (past the acceptance deadline without
    acceptance, or past the resolution deadline): the figures of the home page's tip cards."""
    now = now or timezone.now()
    qs = visible_to(user, Tip.objects.filter(status__in=Tip.OPEN_STATUSES))
    row = qs.aggregate(
        open=Count("id"),
        overdue=Count("id", filter=Q(accepted_at__isnull=True, accept_due__lt=now) | Q(resolve_due__lt=now)),
    )
    return {"open": row["open"] or 0, "overdue": row["overdue"] or 0}
