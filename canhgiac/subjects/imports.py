"""The subject import contract (`canhgiac import-subjects FILE --agency CODE`).

CSV (UTF-8, with or without BOM) or XLSX, one header row with the columns
`source_ref, kind, name, birth_date, id_number, tax_code, phone, address, unit_code` and optionally
`email, bank_account, platform, handle, url, plate`. One row is one source record of the agency;
`source_ref` is unique within the agency, and importing again updates the record with that
reference (never duplicates it). The whole file is checked first; any error and nothing is written.
Records are matched to entities as one batch after the import commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from canhgiac.audit import services as audit
from canhgiac.core import bulk, tabular
from canhgiac.core.tabular import RowError, read_import
from canhgiac.core.text import clean_name, fold
from canhgiac.directory.models import AdministrativeUnit
from canhgiac.subjects import normalize
from canhgiac.subjects.models import Identifier, Subject, identifier_rows, matching_keys, normalize_identifier
from canhgiac.subjects.network.keys import refresh as refresh_link_keys

REQUIRED_COLUMNS = (
    "source_ref",
    "kind",
    "name",
    "birth_date",
    "id_number",
    "tax_code",
    "phone",
    "address",
    "unit_code",
)
OPTIONAL_COLUMNS = ("email", "bank_account", "platform", "handle", "url", "plate")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
KINDS = {
    "person": Subject.Kind.PERSON,
    "organization": Subject.Kind.ORGANISATION,
    "organisation": Subject.Kind.ORGANISATION,
    "online_account": Subject.Kind.ONLINE_ACCOUNT,
    "vehicle": Subject.Kind.VEHICLE,
}
MAX_ROWS = 200_000
BATCH = 2000
# fields compared on re-import (the record's own values, as the file gives them)
FIELDS = (
    "kind",
    "name",
    "birth_date",
    "birth_year",
    "identifier",
    "tax_code",
    "phone",
    "address",
    "unit_id",
    "email",
    "bank_account",
    "platform",
    "handle",
    "url",
    "plate",
)
_TAX_SHAPE = re.compile(r"^\d{10}(-?\d{3})?$")


@dataclass
class ImportResult(tabular.ImportResult):
    """The subjects' import; `matched`: what the matching after the commit did."""

    matched: dict = field(default_factory=dict)


def _number(value, width: int) -> str:
    """A number a spreadsheet stored as a number lost its leading zeros: put them back."""
    if isinstance(value, int):
        text = str(value)
        return text.zfill(width) if len(text) == width - 1 else text
    return str(value or "").strip()


def _validate(rows, units) -> tuple[list[dict], list[RowError]]:
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    records = []
    for row in rows:
        line, get = row.line, row.value

        def err(column, message, _line=line):
            errors.append(RowError(_line, column, message))

        ref = str(get("source_ref") or "")
        if not ref:
            err("source_ref", _("bắt buộc."))
        elif len(ref) > 60:
            err("source_ref", _("dài quá 60 ký tự."))
        elif ref in seen:
            err("source_ref", _("trùng với dòng %(line)s (mỗi hồ sơ một mã).") % {"line": seen[ref]})
        else:
            seen[ref] = line
        kind_given = str(get("kind") or "").strip().lower()
        kind = KINDS.get(kind_given)
        if not kind_given:
            err("kind", _("bắt buộc (person, organization, online_account hoặc vehicle)."))
        elif kind is None:
            err(
                "kind",
                _("“%(v)s” không hợp lệ: phải là person, organization, online_account hoặc vehicle.")
                % {"v": kind_given},
            )
        name = clean_name(str(get("name") or ""))
        if not name:
            err("name", _("bắt buộc."))
        elif len(name) > 200:
            err("name", _("dài quá 200 ký tự."))
        birth_date = birth_year = None
        raw_birth = get("birth_date")
        try:
            birth_date, birth_year = normalize.birth(raw_birth)
        except ValueError:
            err(
                "birth_date",
                _("“%(v)s” không phải ngày sinh (YYYY-MM-DD, dd/mm/yyyy hoặc năm sinh).") % {"v": raw_birth},
            )
        id_number = _number(get("id_number"), 12 if len(str(get("id_number"))) >= 11 else 9)
        if len(id_number) > 40:
            err("id_number", _("dài quá 40 ký tự."))
        tax = _number(get("tax_code"), 10)
        if tax and not _TAX_SHAPE.match(tax.replace(" ", "").replace(".", "")):
            err(
                "tax_code",
                _("“%(v)s” không phải mã số thuế (10 chữ số, hoặc 13 với mã chi nhánh như 6001234562-001).")
                % {"v": tax},
            )
        unit_code = str(get("unit_code") or "").strip()
        unit = None
        if unit_code:
            unit = units.get(unit_code)
            if unit is None:
                err("unit_code", _("không có xã, phường mã “%(code)s”.") % {"code": unit_code})
        url = str(get("url") or "").strip()
        if url and not re.match(r"^https?://\S+$", url, re.I):
            err("url", _("phải là đường dẫn bắt đầu bằng http:// hoặc https://."))
        email = str(get("email") or "").strip()
        if email and normalize.email(email) is None:
            err("email", _("“%(v)s” không phải địa chỉ thư điện tử.") % {"v": email})
        values = {
            "source_ref": ref,
            "kind": kind,
            "name": name,
            "birth_date": birth_date,
            "birth_year": birth_year,
            "identifier": normalize_identifier(id_number)[:40]
            if kind != Subject.Kind.ORGANISATION or not tax
            else normalize_identifier(tax),
            "id_number": id_number,
            "tax_code": tax[:20],
            "phone": str(get("phone") or "")[:20],
            "address": str(get("address") or "")[:300],
            "unit_id": unit.pk if unit else None,
            "email": email[:200],
            "bank_account": str(get("bank_account") or "")[:60],
            "platform": str(get("platform") or "")[:60],
            "handle": str(get("handle") or "")[:120],
            "url": url[:500],
            "plate": str(get("plate") or "")[:20],
        }
        for key in ("phone", "address", "bank_account", "platform", "handle", "plate"):
            limit = Subject._meta.get_field(key).max_length
            raw = str(get(key) or "")
            if len(raw) > limit:
                err(key, _("dài quá %(n)s ký tự.") % {"n": limit})
        records.append(values)
    return records, errors


def _identifier_values(values: dict) -> dict:
    """The record's fields as identifier_rows reads them (the document number as given)."""
    return {**values, "identifier": values.get("id_number", values.get("identifier", ""))}


def import_subjects(
    data: bytes, filename: str, *, agency, user=None, progress=None, match=True
) -> ImportResult:
    """Validate the whole file, then write every record in one transaction (or nothing), audited;
    after the commit, match the new and changed records to entities as one batch."""
    result = ImportResult()
    table = read_import(data, filename, required=REQUIRED_COLUMNS, known=COLUMNS, max_rows=MAX_ROWS)
    result.rows = len(table.rows)
    if table.errors:
        result.errors = table.errors
        return result
    units = {u.code: u for u in AdministrativeUnit.objects.all()}
    records, errors = _validate(table.rows, units)
    if errors:
        result.errors = errors
        return result
    touched: list[int] = []
    with transaction.atomic():
        existing = {}
        refs = [r["source_ref"] for r in records]
        for start in range(0, len(refs), 1000):
            for subject in Subject.objects.filter(
                recorded_by_agency=agency, source_ref__in=refs[start : start + 1000]
            ).prefetch_related("identifiers"):
                existing[subject.source_ref] = subject
        new = []
        for n, values in enumerate(records, start=1):
            subject = existing.get(values["source_ref"])
            if subject is None:
                new.append(values)
                continue
            wanted = {k: values[k] for k in FIELDS}
            # the document number as given, not the one kept in `identifier`, decides its scheme
            # (an organisation's registration number is kept beside its tax code only there)
            given = _identifier_values(values)
            idents = {(s, v) for s, v, _g in identifier_rows(given)}
            if all(getattr(subject, k) == v for k, v in wanted.items()) and idents == {
                (i.scheme, i.value) for i in subject.identifiers.all()
            }:
                result.unchanged += 1
                continue
            for k, v in wanted.items():
                setattr(subject, k, v)
            # audited by the change log; identifiers and keys re-derived
            subject.save(identifier_values=given)
            touched.append(subject.pk)
            result.updated += 1
            if progress and n % BATCH == 0:
                progress(n, len(records), "write")
        created_by = getattr(user, "pk", None)
        subject_rows, ident_rows = [], []
        for values in new:
            row = {k: values[k] for k in FIELDS}
            row.update(
                source_ref=values["source_ref"],
                origin=Subject.Origin.IMPORT,
                origin_ref=Path(filename).name[:100],
                recorded_by_agency_id=agency.pk,
                created_by_id=created_by,
                name_folded=fold(values["name"]),
            )
            row.update(matching_keys(row))
            subject_rows.append(row)
        bulk.insert_rows(Subject, subject_rows)
        for row, values in zip(subject_rows, new, strict=True):
            for scheme, value, given in identifier_rows(_identifier_values(values)):
                ident_rows.append({"subject_id": row["id"], "scheme": scheme, "value": value, "given": given})
        bulk.insert_rows(Identifier, ident_rows)
        # the links the data implies (same phone, bank account, address…) for the new records
        refresh_link_keys([row["id"] for row in subject_rows])
        if subject_rows:
            audit.record_many(
                "subjects.subject.create",
                [bulk.instance(Subject, row) for row in subject_rows],
                actor=user,
                changes=[bulk.created_changes(Subject, row) for row in subject_rows],
            )
        result.created = len(subject_rows)
        touched += [row["id"] for row in subject_rows]
        audit.record(
            "subjects.import",
            object_type="subjects.subject",
            object_repr=Path(filename).name[:200],
            agency_code=agency.key,
            actor=user,
            changes={
                "file": Path(filename).name,
                "agency": agency.code,
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
    if match and touched:
        from canhgiac.subjects.resolution.run import match_records

        # one batch, after the import's own transaction has committed
        with transaction.atomic():
            result.matched = match_records(touched, actor=user)
    return result
