"""The import of the registers of who must sign a commitment (issue 15, item 5: "how many must
sign, from the registers of sellers, press, etc."): `canhgiac import-signers FILE` and the page
/online/commitments/signers/import/. CSV (UTF-8) or XLSX with the columns

    kind, name, identifier, contact, commune, platform, url

`kind` a kind of signer's code (ecommerce_seller, platform, press, health, celebrity, kol,
health_goods); `identifier` the tax code or ID number (may be empty); `commune` a commune code or
name of the province (may be empty); `platform` a platform code (may be empty); `url` the page or
channel. Optional column `registered_on` (dd/mm/yyyy, default today): the date the signer joined
the register, which decides the round (commitments.round_for).

The whole file is checked first; any error, named by line and column, and nothing is written.
Rows are matched by (province, kind, identifier) — by (province, kind, name) when there is no
identifier — so importing the same file again changes nothing; a changed row is updated. One audit
event for the batch (file, rows, created, updated), plus the creations and changes themselves.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.audit import services as audit
from canhgiac.core import policy
from canhgiac.core.tabular import ImportResult, RowError, read_import
from canhgiac.core.text import fold
from canhgiac.online.models import OnlineAccount, Platform, Signer, SignerKind

COLUMNS = ("kind", "name", "identifier", "contact", "commune", "platform", "url")
OPTIONAL = ("registered_on",)
MAX_ROWS = 50_000
UPDATABLE = ("name", "identifier", "contact", "unit_id", "platform_id", "url", "account_id")
_url = URLValidator(schemes=["http", "https"])


class SignerImportResult(ImportResult):
    """The signer register's import: rows, created, updated, unchanged, errors."""


def _parse_date(value):
    """dd/mm/yyyy or YYYY-MM-DD (core.dates, the exchange formats; an XLSX date as it comes), or
    None when unreadable."""
    from canhgiac.core import dates

    try:
        return dates.parse_date(value)
    except ValueError:
        return None


def import_signers(user, data: bytes, filename: str, province) -> SignerImportResult:
    """Check the file, then create or update every signer of `province` in one transaction, or
    write nothing. `user` None is the command line (system)."""
    from canhgiac.directory import services as directory
    from canhgiac.online.rules import keeps_register

    result = SignerImportResult()
    if province is None:
        result.errors.append(RowError(1, "", _("Không xác định được tỉnh của danh sách.")))
        return result
    if user is not None and not policy.can(user, "online.import_signers", province=province):
        result.errors.append(
            RowError(1, "", _("Bạn không được nhập danh sách phải ký cam kết của tỉnh này."))
        )
        return result
    table = read_import(data, filename, required=COLUMNS, known=COLUMNS + OPTIONAL, max_rows=MAX_ROWS)
    result.rows = len(table.rows)
    if table.errors:
        result.errors = table.errors
        return result
    kinds = {k.code: k for k in SignerKind.objects.all()}
    platforms = {p.code: p for p in Platform.objects.filter(is_active=True)}
    communes = list(directory.units(province.codename))
    by_code = {u.code: u for u in communes}
    by_name: dict[str, list] = {}
    for u in communes:
        by_name.setdefault(u.name_folded, []).append(u)
    allowed = {code: user is None or keeps_register(user, province, kind) for code, kind in kinds.items()}
    existing = {}
    for s in Signer.objects.filter(province=province):
        existing[(s.kind_id, s.identifier or "", "" if s.identifier else fold(s.name))] = s
    accounts = {
        (a.platform_id, a.url.rstrip("/").lower()): a
        for a in OnlineAccount.objects.filter(province=province).exclude(url="")
    }
    today = timezone.localdate()
    plan, seen = [], {}
    for row in table.rows:
        line, cells, get = row.line, row.cells, row.text

        def err(column, message, _line=line):
            result.errors.append(RowError(_line, column, message))

        if "\x00" in "".join(str(c) for c in cells):
            err("", _("dòng có ký tự NUL."))
            continue
        code = get("kind").lower()
        kind = kinds.get(code)
        if kind is None:
            err(
                "kind",
                _("không có loại đối tượng mã “%(code)s” (%(codes)s).")
                % {"code": code[:40], "codes": ", ".join(kinds)},
            )
        elif not allowed[code]:
            err("kind", _("bạn không quản lý danh sách loại đối tượng “%(name)s”.") % {"name": kind.name})
        name = " ".join(get("name").split())
        if not name:
            err("name", _("bắt buộc."))
        elif len(name) > 200:
            err("name", _("dài quá 200 ký tự."))
        identifier = "".join(get("identifier").split())
        if len(identifier) > 100:
            err("identifier", _("dài quá 100 ký tự."))
        contact = get("contact")
        if len(contact) > 200:
            err("contact", _("dài quá 200 ký tự."))
        commune_raw = get("commune")
        unit = None
        if commune_raw:
            unit = by_code.get(commune_raw)
            if unit is None:
                found = by_name.get(fold(commune_raw), [])
                if len(found) == 1:
                    unit = found[0]
                else:
                    err(
                        "commune",
                        _("không có xã, phường “%(v)s” trong tỉnh (ghi mã hoặc tên đúng).")
                        % {"v": commune_raw[:80]}
                        if not found
                        else _("có nhiều xã, phường tên “%(v)s”: ghi mã.") % {"v": commune_raw[:80]},
                    )
        platform_raw = get("platform").lower()
        platform = platforms.get(platform_raw) if platform_raw else None
        if platform_raw and platform is None:
            err(
                "platform",
                _("không có nền tảng mã “%(code)s” (%(codes)s).")
                % {"code": platform_raw[:40], "codes": ", ".join(platforms)},
            )
        url = get("url")
        if url:
            try:
                _url(url)
                if len(url) > 500:
                    raise ValidationError("long")
            except ValidationError:
                err("url", _("“%(v)s” không phải địa chỉ http(s) hợp lệ.") % {"v": url[:100]})
        registered_on = today
        if get("registered_on"):
            registered_on = _parse_date(get("registered_on"))
            if registered_on is None:
                err(
                    "registered_on",
                    _("“%(v)s” không phải ngày dd/mm/yyyy.") % {"v": get("registered_on")[:20]},
                )
            elif registered_on > today:
                err("registered_on", _("không được ở tương lai."))
        if kind is None or not name:
            continue
        key = (kind.pk, identifier, "" if identifier else fold(name))
        if key in seen:
            err("identifier" if identifier else "name", _("trùng với dòng %(line)s.") % {"line": seen[key]})
            continue
        seen[key] = line
        account = accounts.get((platform.pk, url.rstrip("/").lower())) if platform and url else None
        plan.append(
            (
                key,
                {
                    "kind": kind,
                    "name": name,
                    "identifier": identifier,
                    "contact": contact,
                    "unit_id": unit.pk if unit else None,
                    "platform_id": platform.pk if platform else None,
                    "url": url,
                    "account_id": account.pk if account else None,
                    "registered_on": registered_on,
                },
            )
        )
    if result.errors:
        return result
    with transaction.atomic():
        for key, values in plan:
            signer = existing.get(key)
            if signer is None:
                Signer.objects.create(province=province, **values)  # audited on save
                result.created += 1
                continue
            if values["account_id"] is None:
                values["account_id"] = signer.account_id  # an account linked earlier stays
            changed = [f for f in UPDATABLE if getattr(signer, f) != values[f]]
            if not changed:
                result.unchanged += 1
                continue
            for f in changed:
                setattr(signer, f, values[f])
            signer.save()  # audited on save, before and after
            result.updated += 1
        audit.record(
            "online.signers_imported",
            object_type="online.signer",
            object_repr=Path(filename).name[:200],
            changes={
                "file": Path(filename).name,
                "province": province.code,
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
    return result
