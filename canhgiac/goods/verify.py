"""The public check (issue 13, item 5): what a code, a Digital Link or a GTIN says, in one answer.

`check(text, unit_code)` answers a dict whose `status` is one of STATUSES, with `reasons`
(codes after the EU medicines verification system's alerts, with Vietnamese text), the product,
the issuing business, and what a consumer should do. Every check is logged as a CodeCheck
(time, commune chosen or none, the answer; no IP, no personal data).

Order of the tests for a signed code: readable → signature (key known, not revoked, signature
valid) → issued (the serial exists for that product and lot) → recalled → decommissioned →
the copy rule (suspicious) → authentic.
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import os
import threading
import time
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.goods import digital_link, signing
from canhgiac.goods.models import CodeCheck, Product, SerialCode

AUTHENTIC = "authentic"
SUSPICIOUS = "suspicious"
FORGED = "forged"
RECALLED = "recalled"
DECOMMISSIONED = "decommissioned"
REGISTERED = "registered"
NOT_REGISTERED = "not_registered"
UNREADABLE = "unreadable"
STATUSES = (AUTHENTIC, SUSPICIOUS, FORGED, RECALLED, DECOMMISSIONED, REGISTERED, NOT_REGISTERED, UNREADABLE)
MAX_CODE = 2000
log = logging.getLogger(__name__)


_texts: dict = {}


def _per_language(name: str, make) -> dict:
    """`make()` (a dict of translated texts) once per process and language: the check asked
    gettext for every text on every request."""
    from django.utils.translation import get_language

    key = (name, get_language())
    found = _texts.get(key)
    if found is None:
        found = _texts[key] = make()
    return found


def status_names() -> dict:
    return _per_language("status", _status_names)


def _status_names() -> dict:
    return {
        AUTHENTIC: _("Mã thật"),
        SUSPICIOUS: _("Nghi vấn mã bị sao chép"),
        FORGED: _("Mã giả"),
        RECALLED: _("Sản phẩm bị thu hồi"),
        DECOMMISSIONED: _("Mã đã ngừng hiệu lực"),
        REGISTERED: _("Sản phẩm đã đăng ký"),
        NOT_REGISTERED: _("Sản phẩm chưa đăng ký"),
        UNREADABLE: _("Không đọc được mã"),
    }


def reason_texts() -> dict:
    """Reason codes (EMVS-like: A = the pack and its data, S = the signature, C = the scans,
    R = recalls) and their Vietnamese text."""
    return _per_language("reasons", _reason_texts)


def _reason_texts() -> dict:
    return {
        "OK": _("Chữ ký hợp lệ, mã đã được cấp, chưa bị thu hồi hay ngừng hiệu lực."),
        "A1": _("Mã GTIN không có trong cơ sở dữ liệu hàng hóa."),
        "A2": _("Số lô không có mã nào được cấp."),
        "A3": _("Mã sê-ri chưa từng được cấp cho sản phẩm và lô này."),
        "A7": _("Mã đã ngừng hiệu lực (đã bán, tiêu hủy, mất cắp hoặc hết hạn)."),
        "A8": _("Mã đã bán ở một xã, phường khác với nơi đang kiểm tra."),
        "S1": _("Chữ ký số không khớp với mã: mã đã bị sửa hoặc làm giả."),
        "S2": _("Mã ký bằng khóa không do cơ quan nào công bố."),
        "S3": _("Khóa ký số của mã đã bị lộ và bị thu hồi: chữ ký không còn chứng minh được mã là thật."),
        "S4": _("Mã không có chữ ký số: chỉ xác nhận sản phẩm, không xác nhận được từng sản phẩm."),
        "C1": _("Mã này được quét ở nhiều xã, phường khác nhau trong thời gian ngắn."),
        "C2": _("Mã này đã được quét quá nhiều lần."),
        "R1": _("Sản phẩm đang bị thu hồi."),
        "R2": _("Lô hàng đang bị thu hồi."),
        "U1": _("Nội dung không phải mã GTIN hay đường dẫn GS1 Digital Link hợp lệ."),
        "U2": _("Mã xã, phường không có trong danh mục; bỏ qua."),
    }


def advice_text(status: str) -> str:
    return _per_language("advice", _advice_texts)[status]


def _advice_texts() -> dict:
    return {
        AUTHENTIC: _("Sản phẩm có mã thật. Vẫn kiểm tra bao bì, hạn dùng và mua ở nơi tin cậy."),
        SUSPICIOUS: _(
            "Mã thật nhưng có dấu hiệu bị sao chép. Đừng mua hoặc dùng; giữ lại sản phẩm, hóa đơn và "
            "báo cho cơ quan chức năng."
        ),
        FORGED: _("Mã giả. Không mua, không dùng; hãy báo cho cơ quan chức năng kèm ảnh sản phẩm, nơi bán."),
        RECALLED: _(
            "Sản phẩm đang bị thu hồi. Ngừng dùng và liên hệ nơi bán hoặc doanh nghiệp để được đổi trả."
        ),
        DECOMMISSIONED: _(
            "Mã đã ngừng hiệu lực. Nếu anh/chị vừa mua sản phẩm này ở nơi và lúc ghi dưới đây thì đó là "
            "giao dịch của anh/chị; nếu không, hãy báo cho cơ quan chức năng."
        ),
        REGISTERED: _(
            "Sản phẩm có đăng ký, nhưng mã vạch thường không chứng minh được từng sản phẩm là thật. "
            "Hãy kiểm tra tem, bao bì và nơi bán."
        ),
        NOT_REGISTERED: _(
            "Sản phẩm chưa có trong cơ sở dữ liệu của tỉnh. Hãy thận trọng, nhất là với thuốc, sữa, thực "
            "phẩm chức năng và mỹ phẩm."
        ),
        UNREADABLE: _("Không đọc được mã. Hãy quét lại cho rõ hoặc nhập mã số dưới mã vạch."),
    }


def untrusted_texts() -> dict:
    """The name and advice of a code signed with a compromised (revoked) key: "cannot be trusted"."""
    return _per_language("untrusted", _untrusted_texts)


def _untrusted_texts() -> dict:
    return {
        "name": _("Không thể tin cậy mã này"),
        "advice": _(
            "Không thể tin cậy mã này: khóa ký số dùng để tạo mã đã bị lộ, kẻ gian có thể làm ra mã "
            "giống hệt. Mã có trong danh sách đã cấp nhưng không chứng minh được sản phẩm là thật. "
            "Hãy kiểm tra tem, bao bì, hạn dùng, mua ở nơi tin cậy và giữ hóa đơn; nếu nghi ngờ, hãy "
            "báo cho cơ quan chức năng hoặc gọi đường dây nóng."
        ),
    }


def suspicious_rule() -> dict:
    return {
        "communes": settings.GOODS_SUSPICIOUS_COMMUNES,
        "hours": settings.GOODS_SUSPICIOUS_HOURS,
        "scans": settings.GOODS_SUSPICIOUS_SCANS,
    }


# --- keys, cached per process (a revocation is seen within KEY_CACHE_SECONDS) --------------------
KEY_CACHE_SECONDS = 30
_keys: dict = {"at": 0.0, "keys": {}}


def _key(kid: str):
    from canhgiac.goods.models import SigningKey

    now = time.monotonic()
    if now - _keys["at"] > KEY_CACHE_SECONDS or kid not in _keys["keys"]:
        _keys["keys"] = {
            k.kid: (k.status, signing.public_key_of(k))
            for k in SigningKey.objects.only("kid", "status", "public_key")
        }
        _keys["at"] = now
    return _keys["keys"].get(kid)


def forget_keys() -> None:
    _keys["at"] = 0.0
    _keys["keys"] = {}


_units: dict = {}


def _unit(code: str):
    """(id, province id) of a commune or ward by its code, or None (cached: reference data)."""
    if code in _units:
        return _units[code]
    from canhgiac.directory.models import AdministrativeUnit

    row = (
        AdministrativeUnit.objects.filter(code=code)
        .exclude(parent=None)
        .values_list("id", "parent_id")
        .first()
    )
    if len(_units) > 20_000:
        _units.clear()
    _units[code] = row  # an unknown code too (None): the list of communes changes with a release
    return row


def _active_recall(product: Product, lot: str | None):
    """The recall of this product or lot in force (recalls.choose_recall over the product's active
    recalls, cached with the product for PRODUCT_CACHE_SECONDS), or None; a product whose status
    is "recalled" answers as recalled."""
    entry = _entry(pk=product.pk)
    recall = None
    if entry is not None:
        from canhgiac.goods import recalls

        recall = recalls.choose_recall(entry.recalls, lot)
    if recall is not None:
        return recall
    if product.status == Product.Status.RECALLED:
        return product
    return None


def _recall_info(recall, product, lot) -> tuple[str, dict]:
    if isinstance(recall, Product):
        return "R1", {"scope": "product", "reason": ""}
    recall_lot = getattr(recall, "lot", "") or ""
    return ("R2" if recall_lot else "R1"), {
        "scope": "lot" if recall_lot else "product",
        "lot": recall_lot,
        "reason": str(getattr(recall, "reason", "") or ""),
    }


def _business(b) -> dict | None:
    if b is None:
        return None
    return {"name": b.name, "tax_code": b.tax_code, "address": b.address}


def _public_product(product, lot=None, serial=None) -> dict | None:
    """The product as the public reads it (services.public_product), built once per product and
    language while the product is cached, with this code's lot and serial."""
    if product is None:
        return None
    from django.utils.translation import get_language

    from canhgiac.goods.services import public_product

    entry = _entry(pk=product.pk)
    if entry is None or entry.product is not product:
        return public_product(product, {"10": lot, "21": serial}, base=settings.CANHGIAC_BASE_URL)
    language = get_language()
    data = entry.public.get(language)
    if data is None:
        data = entry.public[language] = public_product(product, None, base=settings.CANHGIAC_BASE_URL)
    data = dict(data)
    if lot:
        data["lot"] = lot
    if serial:
        data["serial"] = serial
    return data


def _gtin_only(text: str) -> str | None:
    digits = text.replace(" ", "").replace("-", "")
    return digits if digits.isdigit() and len(digits) in (8, 12, 13, 14) else None


def _looks_signed(text: str) -> bool:
    parts = urlsplit(text)
    return "/01/" in parts.path and "/21/" in parts.path and any(k == "s" for k, _v in parse_qsl(parts.query))


def check(text: str, unit_code: str = "", *, now: dt.datetime | None = None, log: bool = True) -> dict:
    """The answer to one check (see the module docstring). `text` must be 1..MAX_CODE characters
    (the API refuses others before calling)."""
    now = now or timezone.now()
    text = (text or "").strip()
    reasons: list[str] = []
    unit = None
    if unit_code:
        unit = _unit(unit_code.strip())
        if unit is None:
            reasons.append("U2")
    answer = {
        "status": UNREADABLE,
        "product": None,
        "business": None,
        "code": None,
        "decommissioned": None,
        "recall": None,
    }
    product = code = None
    lot = serial = ""

    def done(status, *codes):
        answer["status"] = status
        reasons.extend(codes)
        return status

    gtin = _gtin_only(text)
    link = None
    if gtin is None and text.lower().startswith(("http://", "https://")):
        try:
            link = digital_link.parse(text)
        except digital_link.DigitalLinkError:
            link = None
        if link is not None:
            gtin = link.get("01")
            lot = link.get("10") or ""
            serial = link.get("21") or ""
    if gtin is None and link is None and _looks_signed(text):
        done(FORGED, "S1")  # one of our codes with an altered character that breaks its syntax
    elif gtin is None:
        done(UNREADABLE, "U1")
    else:
        from canhgiac.goods.services import clean_gtin

        if link is not None:
            gtin14 = gtin  # AI (01) of a parsed link: 14 digits, its check digit verified
        else:
            try:
                gtin14 = clean_gtin(gtin)
            except ValueError:
                gtin14 = None
                done(UNREADABLE, "U1")
        if gtin14 is not None:
            signature = ""
            if link is not None:
                query = urlsplit(text).query
                signature = next((v for k, v in parse_qsl(query, keep_blank_values=True) if k == "s"), "")
            if serial and signature:
                product, code = _check_signed(answer, done, gtin14, lot, serial, signature, unit, now)
            else:
                product = _claimed(gtin14)
                if product is None:
                    done(NOT_REGISTERED, "A1")
                else:
                    recall = _active_recall(product, lot or None)
                    if recall is not None:
                        reason, info = _recall_info(recall, product, lot)
                        answer["recall"] = info
                        done(RECALLED, reason)
                    else:
                        done(REGISTERED, *(["S4"] if serial else []))
            answer["product"] = _public_product(product, lot, serial)
            answer["business"] = _business(
                _issuer(code.batch_id) if code else (product.owner if product else None)
            )
            if gtin14 and (lot or serial):
                answer["code"] = {"gtin": gtin14, "lot": lot, "serial": serial}
    texts = reason_texts()
    status = answer["status"]
    untrusted = status == SUSPICIOUS and "S3" in reasons
    answer["status_name"] = untrusted_texts()["name"] if untrusted else status_names()[status]
    answer["reasons"] = [{"code": c, "text": texts[c]} for c in dict.fromkeys(reasons)]
    answer["advice"] = _advice(status, text, unit_code if unit else "", product)
    if untrusted:
        answer["advice"]["text"] = untrusted_texts()["advice"]
    answer["checked_at"] = now.isoformat()
    if log:
        check_log.add(
            {
                "checked_at": now,
                "unit_id": unit[0] if unit else None,
                "province_id": unit[1] if unit else (product.owner.province_id if product else None),
                "status": status,
                "reasons": ",".join(dict.fromkeys(reasons))[:100],
                "product_id": product.pk if product else None,
                "code_id": code.pk if code else None,
                "lot": lot[:20],
                "serial": serial[:20],
            }
        )
    return answer


class CheckLog:
    """The check log's writer. With settings.GOODS_CHECK_LOG_FLUSH_MS > 0 (the default, 200 ms),
    each process keeps the rows of its checks in memory and a thread of its own writes them every
    interval in one transaction (core.bulk.insert_rows): one write per interval instead of one per
    check, which is what lets the check answer as fast as a page that writes nothing. A row waits
    at most the interval (and is written at exit); the copy rule counts this process's waiting rows
    too, so only another process's last interval can be missed. With 0 each row is written in the
    request (the tests)."""

    def __init__(self):
        self.rows: list[dict] = []
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.pid = 0

    def add(self, row: dict) -> None:
        interval = settings.GOODS_CHECK_LOG_FLUSH_MS
        if interval <= 0:
            CodeCheck.objects.create(**row)
            return
        with self.lock:
            self.rows.append(row)
            if self.thread is None or self.pid != os.getpid() or not self.thread.is_alive():
                self.pid = os.getpid()
                self.thread = threading.Thread(
                    target=self._run, args=(interval / 1000,), daemon=True, name="goods-check-log"
                )
                self.thread.start()

    def pending(self, code_id: int) -> list[tuple]:
        with self.lock:
            return [(r["unit_id"], r["checked_at"]) for r in self.rows if r["code_id"] == code_id]

    def flush(self) -> int:
        with self.lock:
            rows, self.rows = self.rows, []
        if rows:
            from django.db import transaction

            from canhgiac.core import bulk

            try:
                with transaction.atomic():
                    bulk.insert_rows(CodeCheck, rows)
            except Exception:  # the database is away: keep the rows for the next round
                log.exception("goods check log: %s rows not written yet", len(rows))
                with self.lock:
                    self.rows[:0] = rows
                return 0
        return len(rows)

    def _run(self, interval: float) -> None:
        from django.db import connection

        try:
            while True:
                time.sleep(interval)
                self.flush()
        finally:
            connection.close()


check_log = CheckLog()
atexit.register(check_log.flush)


def _claimed(gtin14: str):
    """The registered product of a GTIN (what a forged code claims to be, or a plain GTIN)."""
    entry = _entry(gtin=gtin14)
    return entry.product if entry is not None else None


# --- the hot path in plain SQL and small per-process caches: the ORM's compiling of a five-table
# select_related, and of the recall query, cost more than everything else in a check
# (bench/goods_verify.py). A product, its active recalls and its public JSON are kept together for
# PRODUCT_CACHE_SECONDS; a save of a product, recall, business or signing key in this process
# empties the caches at once (signals in apps.py), other processes see it within the interval.
PRODUCT_CACHE_SECONDS = 5  # a product's change (a recall) shows in the check within this
_products: dict = {}
_issuers: dict = {}


class _Entry:
    __slots__ = ("at", "product", "recalls", "public")

    def __init__(self, at, product, recalls):
        self.at, self.product, self.recalls, self.public = at, product, recalls, {}


def _entry(pk: int | None = None, gtin: str | None = None):
    """The cached entry of a product by id or GTIN (None: no such product, cached as well)."""
    key = ("pk", pk) if pk is not None else ("gtin", gtin)
    now = time.monotonic()
    hit = _products.get(key)
    if hit is not None and now - hit[0] < PRODUCT_CACHE_SECONDS:
        return hit[1]
    query = Product.objects.select_related("owner", "category")
    product = (query.filter(pk=pk) if pk is not None else query.filter(gtin=gtin)).first()
    entry = None
    if product is not None:
        from canhgiac.goods import recalls

        entry = _Entry(now, product, recalls.active_recalls_of(product.pk))
    if len(_products) > 20_000:
        _products.clear()
    _products[key] = (now, entry)
    if entry is not None:
        _products[("pk", product.pk)] = _products[("gtin", product.gtin)] = (now, entry)
    return entry


class _Code:
    """What a check reads of an issued code (a model instance cost more to build than the rest)."""

    __slots__ = ("pk", "product_id", "batch_id", "status")

    def __init__(self, pk, product_id, batch_id, status):
        self.pk, self.product_id, self.batch_id, self.status = pk, product_id, batch_id, status


def _find_code(gtin14: str, lot: str, serial: str, since, limit: int):
    """The issued code by its GTIN, lot and serial with, in the same query, how many scans it has
    had (counted up to `limit`) and the communes of its scans since `since`; None if not issued."""
    from django.db import connection

    sc, pr, ck = SerialCode._meta.db_table, Product._meta.db_table, CodeCheck._meta.db_table
    if connection.vendor == "postgresql":
        communes = "string_agg(DISTINCT k.unit_id::text, ',')"
    else:
        communes = "group_concat(DISTINCT k.unit_id)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, c.product_id, c.batch_id, c.status, "
            f"(SELECT COUNT(*) FROM (SELECT 1 FROM {ck} k WHERE k.code_id = c.id LIMIT %s) AS t), "
            f"(SELECT {communes} FROM {ck} k WHERE k.code_id = c.id AND k.checked_at >= %s "
            f"AND k.unit_id IS NOT NULL) "
            f"FROM {sc} c JOIN {pr} p ON p.id = c.product_id "
            "WHERE c.serial = %s AND c.lot = %s AND p.gtin = %s",
            [limit, connection.ops.adapt_datetimefield_value(since), serial, lot, gtin14],
        )
        row = cursor.fetchone()
    if row is None:
        return None, 0, set()
    code = _Code(row[0], row[1], row[2], row[3])
    units = {int(u) for u in str(row[5]).split(",")} if row[5] else set()
    return code, row[4], units


def _product(pk: int):
    entry = _entry(pk=pk)
    return entry.product if entry is not None else None


def _issuer(batch_id: int):
    """The business a batch was issued to (never changes: cached)."""
    if batch_id not in _issuers:
        from canhgiac.goods.models import Business

        if len(_issuers) > 10_000:
            _issuers.clear()
        _issuers[batch_id] = Business.objects.filter(code_batches__id=batch_id).first()
    return _issuers[batch_id]


def forget_cached() -> None:
    """Empty the per-process caches (keys, products, issuers): tests, and after a change."""
    forget_keys()
    _products.clear()
    _issuers.clear()
    _units.clear()
    _paths.clear()


def _check_signed(answer, done, gtin14, lot, serial, signature, unit, now):
    kid, _dot, sig_text = signature.partition(".")
    key = _key(kid) if kid and sig_text else None
    if key is None:
        done(FORGED, "S2")
        return _claimed(gtin14), None
    status, public = key
    try:
        sig = signing.b64url_decode(sig_text)
    except ValueError:
        sig = b""
    if len(sig) != 64 or not signing.verify_signature(public, gtin14, lot, serial, sig):
        done(FORGED, "S1")
        return _claimed(gtin14), None
    # a revoked key was compromised: its signature proves nothing, yet the serials it signed were
    # issued (the database knows them). An issued serial "cannot be trusted" (suspicious, S3), one
    # never issued is forged; the recall, decommissioned and copy answers stand, with S3 added.
    compromised = status == "revoked"
    rule = suspicious_rule()
    since = now - dt.timedelta(hours=rule["hours"])
    code, logged_scans, logged_communes = _find_code(gtin14, lot, serial, since, rule["scans"] + 1)
    if code is None:
        product = _claimed(gtin14)
        if product is None:
            done(FORGED, "A1")
        elif not SerialCode.objects.filter(product=product, lot=lot).exists():
            done(FORGED, "A2", "A3")
        else:
            done(FORGED, "A3")
        if compromised:
            done(FORGED, "S3")
        return product, None
    product = _product(code.product_id)
    recall = _active_recall(product, lot)
    if recall is not None:
        reason, info = _recall_info(recall, product, lot)
        answer["recall"] = info
        done(RECALLED, reason, *(["S3"] if compromised else []))
        return product, code
    if code.status != SerialCode.Status.ACTIVE:
        code = SerialCode.objects.select_related("status_unit").get(pk=code.pk)
        answer["decommissioned"] = {
            "status": code.status,
            "status_name": str(code.get_status_display()),
            "at": code.status_at.isoformat() if code.status_at else None,
            "unit": code.status_unit.name if code.status_unit else "",
            "unit_code": code.status_unit.code if code.status_unit else "",
        }
        if (
            code.status == SerialCode.Status.SOLD
            and unit
            and code.status_unit_id
            and unit[0] != code.status_unit_id
        ):
            done(SUSPICIOUS, "A7", "A8")
        else:
            done(DECOMMISSIONED, "A7")
        if compromised:
            done(answer["status"], "S3")
        return product, code
    # the logged scans came with the code (counted up to the rule's limit: beyond it C2 holds
    # whatever the exact count), plus this process's scans not written yet, plus this one
    waiting = check_log.pending(code.pk)
    communes = logged_communes | {u for u, at in waiting if u is not None and at >= since}
    if unit:
        communes.add(unit[0])
    scans = logged_scans + len(waiting) + 1
    odd = []
    if len(communes) >= rule["communes"]:
        odd.append("C1")
    if scans > rule["scans"]:
        odd.append("C2")
    if compromised:
        odd.insert(0, "S3")
    if odd:
        done(SUSPICIOUS, *odd)
    else:
        done(AUTHENTIC, "OK")
    return product, code


def _advice(status: str, text: str, unit_code: str, product) -> dict:
    out = {"text": advice_text(status), "tip_url": ""}
    if status in (SUSPICIOUS, FORGED, NOT_REGISTERED, DECOMMISSIONED, RECALLED):
        description = _("Kiểm tra mã trên Cảnh Giác 389 cho kết quả: %(status)s.\nMã: %(code)s") % {
            "status": status_names()[status],
            "code": text[:500],
        }
        if product is not None:
            description += "\n" + _("Sản phẩm: %(name)s (GTIN %(gtin)s)") % {
                "name": product.name,
                "gtin": product.gtin,
            }
        params = {"description": description}
        if unit_code:
            params["unit_code"] = unit_code
        if product is not None:
            params["goods_category"] = product.category.code
        out["tip_url"] = f"{_path('tips:report')}?{urlencode(params)}"
    out["hotline_url"] = _path("portal:hotlines")
    return out


_paths: dict = {}


def _path(name: str) -> str:
    """reverse(name) of a URL without arguments, kept per script prefix (URLs change only with
    a release; reversing cost more than the rest of the advice)."""
    from django.urls import get_script_prefix

    key = (name, get_script_prefix())
    found = _paths.get(key)
    if found is None:
        found = _paths[key] = reverse(name)
    return found
