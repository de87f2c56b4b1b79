"""Issuing signed serial codes, the batch's files and the business's marks (issue 13, item 4).

Issuing: the serials are drawn at random (signing.new_serials), signed in chunks by a pool of
worker processes (one per core: Ed25519 signs about 16,800 codes a second on one core here),
written to the CSV `serial,code` as the chunks come back in order, and stored with
core.bulk.insert_rows in one transaction, with one audit event for the batch (not one per code).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.audit import services as audit
from canhgiac.core import bulk, policy
from canhgiac.core.errors import Errors
from canhgiac.goods import signing
from canhgiac.goods.models import Business, CodeBatch, Product, SerialCode

MAX_BATCH = 1_000_000
CHUNK = 20_000
POOL_THRESHOLD = 40_000  # below this, signing in the calling process is faster than a pool
LOT_CHARS = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)  # GS1 AI encodable character set 82


def clean_lot(value) -> str:
    lot = str(value or "").strip()
    if not lot:
        raise ValueError(_("Số lô: bắt buộc."))
    if len(lot) > 20:
        raise ValueError(_("Số lô: tối đa 20 ký tự (AI 10 của GS1)."))
    bad = sorted({c for c in lot if c not in LOT_CHARS})
    if bad:
        raise ValueError(
            _("Số lô: ký tự “%(chars)s” không dùng được trong mã GS1 (chỉ chữ không dấu, số và - . / _).")
            % {"chars": "".join(bad)}
        )
    return lot


def batch_file(batch: CodeBatch) -> Path:
    return Path(settings.MEDIA_ROOT) / "goods" / "codes" / f"batch-{batch.pk}.csv"


def request_batch(user, product: Product, lot, count) -> CodeBatch:
    """A business (or the province's coordinators) asks for `count` codes of `product` and `lot`;
    the batch is created pending and issued by issue_batch (a background task in the business
    area, at once in the command)."""
    errors = Errors()
    # user None: the command line, run by the server's operator (as import-products)
    if user is not None and not policy.can(user, "goods.issue_codes", product):
        raise PermissionDenied
    try:
        lot = clean_lot(lot)
    except ValueError as exc:
        errors.add("lot", str(exc))
    try:
        count = int(count)
    except (TypeError, ValueError):
        count = 0
    if not 1 <= count <= MAX_BATCH:
        errors.add("count", _("Số mã: từ 1 đến %(n)s mỗi lần.") % {"n": f"{MAX_BATCH:,}".replace(",", ".")})
    errors.raise_if_any()
    with transaction.atomic():
        return CodeBatch.objects.create(
            business=product.owner,
            product=product,
            lot=lot,
            count=count,
            requested_by=user if getattr(user, "pk", None) else None,
        )


@dataclass
class IssueResult:
    batch: CodeBatch
    count: int
    path: Path
    seconds: float


def _chunks(raw_private, base, gtin14, lot, kid, serials):
    for i in range(0, len(serials), CHUNK):
        yield (raw_private, base, gtin14, lot, kid, serials[i : i + CHUNK])


def issue_batch(
    batch: CodeBatch,
    out: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    processes: int | None = None,
    base: str | None = None,
) -> IssueResult:
    """Sign and store the batch's codes, writing `serial,code` to `out` (the batch's file by
    default). All or nothing: the codes and the audit event are one transaction."""
    import time

    started = time.perf_counter()
    base = base or settings.CANHGIAC_BASE_URL
    out = Path(out) if out else batch_file(batch)
    out.parent.mkdir(parents=True, exist_ok=True)
    product = batch.product
    key = signing.active_key(batch.business.province, create=True)
    raw_private = signing.private_bytes(key)
    taken = set(SerialCode.objects.filter(product=product, lot=batch.lot).values_list("serial", flat=True))
    serials = signing.new_serials(batch.count, taken)
    processes = processes or min(2, os.cpu_count() or 1)
    pool = None
    if processes > 1 and batch.count >= POOL_THRESHOLD:
        pool = multiprocessing.get_context("fork").Pool(processes)
    tmp = out.with_name(out.name + ".part")
    done = 0
    try:
        chunks = _chunks(raw_private, base, product.gtin, batch.lot, key.kid, serials)
        results = pool.imap(signing.sign_chunk, chunks) if pool else map(signing.sign_chunk, chunks)
        batch_id, product_id, lot = batch.pk, product.pk, batch.lot
        with transaction.atomic(), tmp.open("w", newline="", encoding="utf-8") as handle:
            handle.write("serial,code\n")
            offset = 0
            for codes in results:
                chunk_serials = serials[offset : offset + len(codes)]
                offset += len(codes)
                handle.write("".join(f"{s},{c}\n" for s, c in zip(chunk_serials, codes, strict=True)))
                bulk.insert_rows(
                    SerialCode,
                    [
                        {"batch_id": batch_id, "product_id": product_id, "lot": lot, "serial": s}
                        for s in sorted(chunk_serials)  # in index order: fewer pages touched
                    ],
                )
                done += len(codes)
                if progress:
                    progress(done, batch.count)
            batch.status = CodeBatch.Status.ISSUED
            batch.key = key
            batch.issued_at = timezone.now()
            batch.message = ""
            batch.save()
            audit.record(
                "goods.codes_issued",
                obj=batch,
                changes={
                    "gtin": product.gtin,
                    "lot": batch.lot,
                    "count": batch.count,
                    "kid": key.kid,
                    "first_serial": serials[0] if serials else "",
                    "last_serial": serials[-1] if serials else "",
                },
            )
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    tmp.replace(out)
    return IssueResult(batch=batch, count=done, path=out, seconds=time.perf_counter() - started)


def fail_batch(batch: CodeBatch, message: str) -> None:
    with transaction.atomic():
        batch.status = CodeBatch.Status.FAILED
        batch.message = message[:300]
        batch.save()


def read_codes(batch: CodeBatch, start: int = 0, count: int | None = None) -> list[tuple[str, str]]:
    """(serial, code) pairs of the batch's file, from the `start`-th (0-based)."""
    path = batch_file(batch)
    out = []
    with path.open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        for i, row in enumerate(reader):
            if i < start:
                continue
            if count is not None and len(out) >= count:
                break
            out.append((row[0], row[1]))
    return out


PDF_MAX = 240  # codes per PDF sheet request (10 pages of 24)


def pdf_sheet(batch: CodeBatch, start: int = 0, count: int = PDF_MAX) -> bytes:
    """A printable A4 PDF of QR codes (segno), 4 × 6 per page with the serial under each,
    made with Pillow (the venv has no reportlab)."""
    import segno
    from PIL import Image, ImageDraw, ImageFont

    pairs = read_codes(batch, start, max(1, min(count, PDF_MAX)))
    dpi, width, height = 150, 1240, 1754
    cols, rows = 4, 6
    cell_w, cell_h = (width - 100) // cols, (height - 160) // rows
    font = ImageFont.load_default()
    pages = []
    page = None
    for i, (serial, code) in enumerate(pairs):
        slot = i % (cols * rows)
        if slot == 0:
            page = Image.new("L", (width, height), 255)
            draw = ImageDraw.Draw(page)
            draw.text(
                (50, 40),
                f"GTIN {batch.product.gtin}  LOT {batch.lot}  ({start + i + 1}-"
                f"{start + min(i + cols * rows, len(pairs))})",
                fill=0,
                font=font,
            )
            pages.append(page)
        buf = io.BytesIO()
        segno.make(code, error="m", micro=False).save(buf, kind="png", scale=2, border=2)
        buf.seek(0)
        qr = Image.open(buf).convert("L")
        side = min(cell_w - 20, cell_h - 40)
        qr = qr.resize((side, side), Image.NEAREST)
        x = 50 + (slot % cols) * cell_w
        y = 100 + (slot // cols) * cell_h
        page.paste(qr, (x, y))
        ImageDraw.Draw(page).text((x, y + side + 4), serial, fill=0, font=font)
    if not pages:
        pages = [Image.new("L", (width, height), 255)]
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return out.getvalue()


MARKS = {
    "sold": SerialCode.Status.SOLD,
    "destroyed": SerialCode.Status.DESTROYED,
    "stolen": SerialCode.Status.STOLEN,
    "expired": SerialCode.Status.EXPIRED,
}


def mark_codes(
    user, business: Business, serials: list[str], status: str, *, at=None, unit=None, note=""
) -> int:
    """Mark the business's codes sold, destroyed, stolen or expired (decommissioned), all or
    nothing; errors name the line of the serial. One audit event per code, in one batch."""
    if not policy.can(user, "goods.mark_codes", business=business):
        raise PermissionDenied
    errors = Errors()
    if status not in MARKS:
        errors.add("status", _("Trạng thái phải là một trong: %(v)s.") % {"v": ", ".join(MARKS)})
    wanted: dict[str, int] = {}
    for line, raw in enumerate(serials, start=1):
        serial = raw.strip().upper()
        if not serial:
            continue
        if serial in wanted:
            errors.add(
                "serials",
                _("Mã sê-ri “%(s)s” lặp lại (dòng %(l)s).") % {"s": serial, "l": wanted[serial]},
                line,
            )
        wanted.setdefault(serial, line)
    if not wanted:
        errors.add("serials", _("Nhập ít nhất một mã sê-ri."))
    if len(wanted) > 100_000:
        errors.add("serials", _("Tối đa 100.000 mã mỗi lần."))
    errors.raise_if_any()
    at = at or timezone.now()
    with transaction.atomic():
        found = {}
        names = list(wanted)
        for i in range(0, len(names), 5000):
            for code in SerialCode.objects.filter(batch__business=business, serial__in=names[i : i + 5000]):
                found.setdefault(code.serial, []).append(code)
        for serial, line in wanted.items():
            if serial not in found:
                errors.add(
                    "serials",
                    _("Dòng %(l)s: mã sê-ri “%(s)s” không phải mã của doanh nghiệp.")
                    % {"l": line, "s": serial},
                    line,
                )
        errors.raise_if_any()
        codes = [c for group in found.values() for c in group]
        changes = []
        for code in codes:
            changes.append(
                {
                    "status": {"before": code.status, "after": MARKS[status]},
                    "status_at": {
                        "before": code.status_at and code.status_at.isoformat(),
                        "after": at.isoformat(),
                    },
                    "status_unit": {"before": code.status_unit_id, "after": unit.pk if unit else None},
                }
            )
            code.status, code.status_at, code.status_unit, code.status_note = (
                MARKS[status],
                at,
                unit,
                note[:200],
            )
        SerialCode.objects.bulk_update(
            codes, ["status", "status_at", "status_unit", "status_note"], batch_size=2000
        )
        audit.record_many("update", codes, changes=changes)
    return len(codes)


def start_batch(user, product: Product, lot, count) -> tuple[CodeBatch, object]:
    """Ask for a batch (request_batch) and issue it in the background with progress: the business
    area's page and the API both call this. Returns (batch, job); the task is queued on commit."""
    from canhgiac.core import jobs
    from canhgiac.goods.tasks import issue_codes_task

    with transaction.atomic():
        batch = request_batch(user, product, lot, count)
        job = jobs.create_job(
            "goods.issue_codes",
            _("Cấp %(n)s mã cho %(product)s, lô %(lot)s")
            % {
                "n": f"{batch.count:,}".replace(",", "."),
                "product": batch.product.name[:80],
                "lot": batch.lot,
            },
            owner=user,
            total=batch.count,
        )
        batch.job_id = str(job.pk)
        batch.save(update_fields=["job_id"])
        user_pk = getattr(user, "pk", None)
        transaction.on_commit(lambda: issue_codes_task.enqueue(str(job.pk), batch.pk, user_pk))
    return batch, job


def batch_counts(batch: CodeBatch) -> dict[str, int]:
    """How many of the batch's codes are in each state (every state named, zeros included)."""
    from django.db.models import Count

    found = dict(
        SerialCode.objects.filter(batch=batch).values_list("status").annotate(n=Count("id")).order_by()
    )
    return {value: found.get(value, 0) for value in SerialCode.Status.values}


def _item_serial(item: dict) -> str:
    """The serial an item names: `serial`, or the AI 21 of its `code` (a Digital Link URI)."""
    from canhgiac.goods import digital_link

    serial = str(item.get("serial") or "").strip().upper()
    code = str(item.get("code") or "").strip()
    if code:
        try:
            link = digital_link.parse(code)
        except digital_link.DigitalLinkError as exc:
            raise ValueError(_("Mã không đọc được: %(e)s") % {"e": exc}) from None
        from_code = (link.get("21") or "").upper()
        if not from_code:
            raise ValueError(_("Mã không có số sê-ri (AI 21)."))
        if serial and serial != from_code:
            raise ValueError(_("Số sê-ri không khớp với số sê-ri trong mã."))
        serial = from_code
    if not serial:
        raise ValueError(_("Cần “code” hoặc “serial”."))
    return serial


def mark_items(user, business: Business, items: list[dict]) -> int:
    """Mark many codes, each with its own state, time and commune (the API's list of {code or
    serial, state, when, where}): all or nothing; an error's field names the item's index
    (`items[3].state`). The same service as the page (mark_codes), one audit batch per group."""
    from canhgiac.directory.models import AdministrativeUnit

    if not policy.can(user, "goods.mark_codes", business=business):
        raise PermissionDenied
    errors = Errors()
    if not items:
        errors.add("items", _("Gửi ít nhất một mã."))
    if len(items) > 100_000:
        errors.add("items", _("Tối đa 100.000 mã mỗi lần."))
    errors.raise_if_any()
    unit_codes = {str(i.get("where") or "").strip() for i in items} - {""}
    units = {u.code: u for u in AdministrativeUnit.objects.filter(code__in=unit_codes)}
    seen: dict[str, int] = {}
    parsed = []
    for index, item in enumerate(items):
        where = f"items[{index}]"
        try:
            serial = _item_serial(item)
        except ValueError as exc:
            errors.add(f"{where}.code", str(exc))
            serial = None
        if serial is not None:
            if serial in seen:
                errors.add(
                    f"{where}.serial",
                    _("Mã sê-ri “%(s)s” lặp lại (mục %(i)s).") % {"s": serial, "i": seen[serial]},
                )
            seen.setdefault(serial, index)
        state = str(item.get("state") or "")
        if state not in MARKS:
            errors.add(f"{where}.state", _("Trạng thái phải là một trong: %(v)s.") % {"v": ", ".join(MARKS)})
        at = item.get("when") or None
        if at is not None and timezone.is_naive(at):
            at = timezone.make_aware(at)
        if at is not None and at > timezone.now() + dt.timedelta(minutes=5):
            errors.add(f"{where}.when", _("Thời điểm không được ở tương lai."))
        unit_code = str(item.get("where") or "").strip()
        if unit_code and unit_code not in units:
            errors.add(f"{where}.where", _("Không có đơn vị hành chính mã “%(c)s”.") % {"c": unit_code})
        parsed.append((serial, state, at, units.get(unit_code)))
    errors.raise_if_any()
    names = list(seen)
    owned = set()
    for i in range(0, len(names), 5000):
        owned.update(
            SerialCode.objects.filter(batch__business=business, serial__in=names[i : i + 5000]).values_list(
                "serial", flat=True
            )
        )
    for index, (serial, *_rest) in enumerate(parsed):
        if serial not in owned:
            errors.add(
                f"items[{index}].serial",
                _("Mã sê-ri “%(s)s” không phải mã của doanh nghiệp.") % {"s": serial},
            )
    errors.raise_if_any()
    groups: dict[tuple, list[str]] = {}
    for serial, state, at, unit in parsed:
        groups.setdefault((state, at, unit.pk if unit else None), []).append(serial)
    total = 0
    now = timezone.now()
    units_by_pk = {u.pk: u for u in units.values()}
    with transaction.atomic():
        for (state, at, unit_pk), serials in groups.items():
            unit = units_by_pk.get(unit_pk)
            total += mark_codes(user, business, serials, state, at=at or now, unit=unit)
    return total
