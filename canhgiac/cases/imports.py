"""The case import contract: CSV (UTF-8, with or without BOM) or XLSX, one header row.

Rows with the same (agency_code, case_ref) are one case; each row may add a goods line and/or a
subject, case-level columns repeat. The whole file is validated first; any error and nothing is
written. Every error names its line (header = line 1), column and reason, in Vietnamese.
Importing the same file again updates the cases it created and never duplicates them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.audit import services as audit
from canhgiac.cases import services, validation
from canhgiac.cases.models import Case, CaseGoods, CaseSubject
from canhgiac.cases.rules import WRITE_ROLES
from canhgiac.core import bulk, tabular
from canhgiac.core.tabular import FileFormatError, RowError, read_table
from canhgiac.core.text import clean_name, fold
from canhgiac.directory.models import AdministrativeUnit, Agency, GoodsCategory, ViolationType
from canhgiac.subjects.models import Identifier, Subject, identifier_rows, matching_keys, normalize_identifier

COLUMNS = (
    "case_ref",
    "agency_code",
    "detected_on",
    "unit_code",
    "violation_type",
    "summary",
    "goods_category",
    "goods_description",
    "quantity",
    "unit",
    "goods_value_vnd",
    "product_gtin",
    "subject_kind",
    "subject_name",
    "subject_id",
    "subject_role",
    "handling",
    "decision_no",
    "fine_vnd",
    "budget_revenue_vnd",
    "defendants",
    "online_url",
)
REQUIRED_COLUMNS = ("case_ref", "detected_on", "unit_code", "violation_type", "summary")
CASE_COLUMNS = (
    "detected_on",
    "unit_code",
    "violation_type",
    "summary",
    "handling",
    "decision_no",
    "fine_vnd",
    "budget_revenue_vnd",
    "defendants",
    "online_url",
)
HANDLING = {
    "administrative": (Case.Status.CLOSED, Case.Outcome.ADMINISTRATIVE),
    "criminal": (Case.Status.CLOSED, Case.Outcome.CRIMINAL),
    "transferred": (Case.Status.CLOSED, Case.Outcome.TRANSFERRED),
    "no_violation": (Case.Status.CLOSED, Case.Outcome.NO_VIOLATION),
    "pending": (Case.Status.HANDLING, ""),
}
MAX_ROWS = 200_000
GOODS_COLUMNS = {"description": "goods_description"}  # validation.goods_line's keys → columns


@dataclass
class ImportResult(tabular.ImportResult):
    """The cases' import; `cases`: cases in the file (rows are their lines)."""

    cases: int = 0


# ---------------------------------------------------------------- validating


def _identifier(value, kind: str) -> str:
    """A spreadsheet that stored a citizen ID (12 digits) or a tax code (10 digits) as a number has
    dropped its leading zeros; put them back so the exact-identifier match still works."""
    if isinstance(value, int):
        width = 12 if kind == Subject.Kind.PERSON else 10
        return str(value).zfill(width)
    return str(value or "")


class _Lookup:
    """Reference lists loaded once per file; agencies by short code, of the one province imported."""

    def __init__(self, province=None):
        self.agencies = {a.code: a for a in Agency.objects.filter(province=province)}
        # the province's own communes only: a case is recorded in its lead agency's province
        units = (
            AdministrativeUnit.objects.all()
            if province is None
            else AdministrativeUnit.objects.filter(parent=province)
        )
        self.units = {u.code: u for u in units}
        self.types = {v.code: v for v in ViolationType.objects.all()}
        self.categories = {c.code: c for c in GoodsCategory.objects.all()}
        self.products = {}  # GTIN-14 → registered product (or None), filled as the file names them

    def product(self, value):
        """The registered product of a `product_gtin` cell (goods services; check digit verified):
        (product, None) or (None, the Vietnamese reason)."""
        from canhgiac.goods import services as goods

        try:
            gtin = goods.clean_gtin(value)
        except ValueError as exc:
            return None, str(exc)
        if gtin not in self.products:
            self.products[gtin] = goods.product_by_gtin(gtin)
        if self.products[gtin] is None:
            return None, _("không có sản phẩm đã đăng ký với GTIN “%(g)s”.") % {"g": value}
        return self.products[gtin], None


def _validate(
    header, rows, *, agency_code, user, lookup: _Lookup, progress=None
) -> tuple[dict, list[RowError]]:
    errors: list[RowError] = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if "agency_code" not in header and not agency_code:
        missing.append("agency_code")
    for column in missing:
        errors.append(RowError(1, column, _("thiếu cột bắt buộc.")))
    if errors:
        return {}, errors
    if len(rows) > MAX_ROWS:
        return {}, [RowError(1, "", _("Tệp quá lớn: tối đa %(n)s dòng mỗi lần nhập.") % {"n": MAX_ROWS})]
    allowed_agencies = (
        None
        if user is None
        else set(services.writable_agencies(user, WRITE_ROLES).values_list("code", flat=True))
    )
    today = timezone.localdate()
    references = (
        ("unit_code", lookup.units, _("đơn vị hành chính")),
        ("violation_type", lookup.types, _("loại vi phạm")),
    )
    plan: dict[tuple[str, str], dict] = {}

    names = [name if name in COLUMNS else None for name in header]
    # The same few dates and numbers repeat across a file: parse each distinct cell once.
    cache = functools.lru_cache(maxsize=4096, typed=True)
    parse_date = cache(services.parse_date)
    parse_money = cache(services.parse_money)
    parse_quantity = cache(services.parse_quantity)
    blank = dict.fromkeys(COLUMNS, "")
    for number, (line, cells) in enumerate(rows, start=1):
        if progress and number % BATCH == 0:
            progress(number, len(rows), "check")
        # read_table has stripped the text cells; a later duplicate column wins, as before
        cell = blank.copy()
        cell.update(zip(names, cells, strict=False))  # short rows: the blanks stay
        get = cell.__getitem__

        def err(column, message, _line=line):
            errors.append(RowError(_line, column, message))

        def rule(column, message, _line=line):
            if message:
                errors.append(RowError(_line, column, message))

        values: dict = {}
        ref = str(get("case_ref"))
        if not ref:
            err("case_ref", _("bắt buộc."))
        elif len(ref) > 60:
            err("case_ref", _("dài quá 60 ký tự."))
        code = str(get("agency_code") or agency_code or "")
        agency = lookup.agencies.get(code)
        if not code:
            err("agency_code", _("bắt buộc (hoặc chọn cơ quan khi nhập)."))
        elif agency is None:
            err("agency_code", _("không có cơ quan mã “%(code)s”.") % {"code": code})
        elif agency_code and code != agency_code:
            err(
                "agency_code",
                _("tệp đang nhập cho cơ quan %(expected)s, dòng này ghi %(code)s.")
                % {"expected": agency_code, "code": code},
            )
        elif allowed_agencies is not None and code not in allowed_agencies:
            err("agency_code", _("bạn không được ghi vụ việc cho cơ quan %(code)s.") % {"code": code})
        # The case rules are validation.py's, the same the form and the API apply.
        try:
            detected = parse_date(get("detected_on"))
            rule("detected_on", validation.detected_on(detected, today))
            values["detected_on"] = detected
        except ValueError:
            err("detected_on", validation.not_a_date(get("detected_on")))
        for column, table, label in references:
            value = str(get(column))
            if not value:
                err(column, _("bắt buộc."))
            elif value not in table:
                err(column, _("không có %(what)s mã “%(code)s”.") % {"what": label, "code": value})
            values[column] = table.get(value)
        values["summary"] = str(get("summary"))
        rule("summary", validation.required(values["summary"]))
        handling = str(get("handling") or "").lower()
        if handling and handling not in HANDLING:
            err(
                "handling",
                _("phải là một trong: administrative, criminal, transferred, pending, no_violation."),
            )
        values["handling"] = handling
        for column in ("fine_vnd", "budget_revenue_vnd", "defendants"):
            try:
                values[column] = parse_money(get(column))
            except ValueError:
                err(column, validation.not_a_whole_number(get(column)))
        status, outcome = HANDLING.get(handling, (Case.Status.DETECTED, ""))
        for key, message in validation.handling(status, outcome, values.get("defendants") or 0):
            err(key, message)
        values["decision_no"] = str(get("decision_no"))[:60]
        url = str(get("online_url"))
        rule("online_url", validation.online_url(url))
        values["online_url"] = url

        goods = None
        if any(
            get(c) not in ("", None)
            for c in (
                "goods_category",
                "goods_description",
                "quantity",
                "unit",
                "goods_value_vnd",
                "product_gtin",
            )
        ):
            product = None
            product_gtin = str(get("product_gtin") or "").strip()
            if product_gtin:
                product, reason = lookup.product(product_gtin)
                if reason:
                    err("product_gtin", reason)
            goods_code = str(get("goods_category"))
            if not goods_code and product is not None:
                goods_code = product.category.code  # the registered product's category
            category = lookup.categories.get(goods_code)
            for key, message in validation.goods_line(category, goods_code, str(get("goods_description"))):
                err(GOODS_COLUMNS.get(key, key), message)
            goods = {
                "goods_category": category,
                "description": str(get("goods_description"))[:300],
                "brand": "",
                "unit": str(get("unit"))[:30],
                "disposition": "",
                "quantity": None,
                "value_vnd": 0,
                "product": product,
            }
            try:
                goods["quantity"] = parse_quantity(get("quantity"))
            except ValueError:
                err("quantity", validation.not_a_number(get("quantity")))
            try:
                goods["value_vnd"] = parse_money(get("goods_value_vnd"))
            except ValueError:
                err("goods_value_vnd", validation.not_a_whole_number(get("goods_value_vnd")))

        subject = None
        if any(
            get(c) not in ("", None) for c in ("subject_kind", "subject_name", "subject_id", "subject_role")
        ):
            kind = str(get("subject_kind") or "").lower()
            role = str(get("subject_role") or "").lower()
            for key, message in validation.subject(kind, str(get("subject_name")), role):
                err("subject_" + key, message)
            subject = {
                "kind": kind,
                "name": str(get("subject_name"))[:200],
                "identifier": _identifier(get("subject_id"), kind),
                "role": role,
                "birth_date": None,
                "phone": "",
                "address": "",
            }

        if not ref or agency is None:
            continue
        key = (code, ref)
        group = plan.get(key)
        if group is None:
            plan[key] = {
                "line": line,
                "agency": agency,
                "ref": ref,
                "case": values,
                "goods": [],
                "subjects": [],
            }
            group = plan[key]
        else:
            for column in CASE_COLUMNS:
                if column in values and column in group["case"] and values[column] != group["case"][column]:
                    err(
                        column,
                        _("khác với dòng %(line)s của cùng vụ việc %(ref)s.")
                        % {"line": group["line"], "ref": ref},
                    )
        if goods:
            group["goods"].append(goods)
        if subject:
            # normalised once here; matching and writing use these keys
            ident = subject["ident"] = normalize_identifier(subject["identifier"])
            subject["folded"] = "" if ident else fold(subject["name"])
            same = [
                s
                for s in group["subjects"]
                if s["kind"] == subject["kind"]
                and s["role"] == subject["role"]
                and (s["ident"] == ident if ident else s["folded"] == subject["folded"])
            ]
            if not same:
                group["subjects"].append(subject)
    errors.sort(key=lambda e: (e.line, COLUMNS.index(e.column) if e.column in COLUMNS else -1))
    return plan, errors


# ---------------------------------------------------------------- writing


def _case_values(group) -> dict:
    row = group["case"]
    status, outcome = HANDLING.get(row["handling"], (Case.Status.DETECTED, ""))
    return {
        "lead_agency": group["agency"],
        "agency_ref": group["ref"],
        "detected_on": row["detected_on"],
        "unit": row["unit_code"],
        "violation_type": row["violation_type"],
        "summary": row["summary"],
        "status": status,
        "outcome": outcome,
        "decision_no": row["decision_no"],
        "fine_vnd": row["fine_vnd"],
        "budget_revenue_vnd": row["budget_revenue_vnd"],
        "defendants": row["defendants"],
        "online_url": row["online_url"],
        "goods": group["goods"],
        "subjects": group["subjects"],
    }


def _unchanged(case: Case, values: dict) -> bool:
    # Foreign keys are compared by id, so no reference row is fetched per case.
    for key, value in values.items():
        if key in ("goods", "subjects"):
            continue
        if key in ("lead_agency", "unit", "violation_type"):
            if getattr(case, key + "_id") != value.pk:
                return False
        elif getattr(case, key) != value:
            return False
    keys = ("description", "quantity", "unit", "value_vnd")
    have = [
        (line.goods_category_id, line.product_id, *(getattr(line, k) for k in keys))
        for line in case.import_goods
    ]
    want = [
        (line["goods_category"].pk, line["product"] and line["product"].pk, *(line[k] for k in keys))
        for line in values["goods"]
    ]
    if have != want:
        return False
    links = {
        (link.subject.kind, link.subject.identifier or link.subject.name_folded, link.role)
        for link in case.import_links
    }
    wanted = {(s["kind"], s["ident"] or s["folded"], s["role"]) for s in values["subjects"]}
    return links == wanted


def _existing_cases(groups) -> dict:
    existing = {}
    for agency_id in {g["agency"].pk for g in groups}:
        refs = [g["ref"] for g in groups if g["agency"].pk == agency_id]
        for start in range(0, len(refs), 1000):
            cases = {
                case.pk: case
                # refs are never blank; saying so lets PostgreSQL use uniq_case_agency_ref (partial:
                # agency_ref <> ''), not every case of the agency per chunk (600 → 2 ms a chunk)
                for case in Case.objects.filter(
                    lead_agency_id=agency_id, agency_ref__any=set(refs[start : start + 1000])
                ).exclude(agency_ref="")
            }
            # Goods lines and subject links fetched per chunk (not per case) for the comparison.
            for case in cases.values():
                case.import_goods, case.import_links = [], []
            for line in CaseGoods.objects.filter(case_id__any=set(cases)).order_by("id"):
                cases[line.case_id].import_goods.append(line)
            for link in CaseSubject.objects.filter(case_id__any=set(cases)).select_related("subject"):
                cases[link.case_id].import_links.append(link)
            for case in cases.values():
                existing[(agency_id, case.agency_ref)] = case
    return existing


def _resolve_subjects(groups, user) -> list[dict]:
    """Give each group's subject rows the id of the Subject it links to: the lead agency's own
    subject with the same exact identifier (one per agency and identifier across the file; another
    agency's record is never reused), otherwise a new one per case and folded name, as
    subjects.match_or_create does one at a time. Inserts the missing subjects in bulk and returns
    their rows."""
    wanted = {}
    for g in groups:
        for s in g["subjects"]:
            if s["ident"]:
                wanted.setdefault((g["agency"].pk, s["kind"]), set()).add(s["ident"])
    known = {}
    for (agency_id, kind), idents in wanted.items():
        idents = sorted(idents)
        for start in range(0, len(idents), 1000):
            for pk, ident, name in Subject.objects.filter(
                recorded_by_agency_id=agency_id, kind=kind, identifier__any=set(idents[start : start + 1000])
            ).values_list("pk", "identifier", "name"):
                known[(agency_id, kind, ident)] = {"id": pk, "name": name}
    created = []
    created_by = getattr(user, "pk", None)
    for g in groups:
        own = {}
        for s in g["subjects"]:
            ident = s["ident"]
            key = (g["agency"].pk, s["kind"], ident) if ident else None
            subject = known.get(key) if key else own.get((s["kind"], s["folded"]))
            if subject is None:
                name = clean_name(s["name"])
                subject = {
                    "kind": s["kind"],
                    "name": name,
                    "name_folded": fold(name),
                    "identifier": ident,
                    "recorded_by_agency_id": g["agency"].pk,
                    "created_by_id": created_by,
                }
                created.append(subject)
                if key:
                    known[key] = subject
                else:
                    own[(s["kind"], subject["name_folded"])] = subject
            s["subject"] = subject
    for row in created:
        row.update(matching_keys(row))
    bulk.insert_rows(Subject, created)
    bulk.insert_rows(
        Identifier,
        [
            {"subject_id": row["id"], "scheme": scheme, "value": value, "given": given}
            for row in created
            for scheme, value, given in identifier_rows(row)
        ],
        with_pk=False,
    )
    return created


def _new_case(g, created_by) -> tuple[dict, list[dict], list[dict]]:
    values = _case_values(g)
    goods_rows, subject_rows = values.pop("goods"), values.pop("subjects")
    case = {
        "reference": g["reference"],
        "origin": "import",
        "created_by_id": created_by,
        "goods_value_vnd": sum(line["value_vnd"] for line in goods_rows),
        "lead_agency_id": values.pop("lead_agency").pk,
        "unit_id": values.pop("unit").pk,
        "violation_type_id": values.pop("violation_type").pk,
        **values,
    }
    seen = set()
    goods = []
    for line in goods_rows:
        category = line["goods_category"].pk
        goods.append(
            {
                "goods_category_id": category,
                "description": line["description"],
                "brand": line["brand"],
                "quantity": line["quantity"],
                "unit": line["unit"],
                "value_vnd": line["value_vnd"],
                "disposition": line["disposition"],
                "product_id": line["product"] and line["product"].pk,
                "case_detected_on": case["detected_on"],
                "counts_category": category not in seen,
            }
        )
        seen.add(category)
    links, linked, names = [], set(), []
    for s in subject_rows:
        key = (id(s["subject"]), s["role"])
        if key not in linked:
            linked.add(key)
            links.append({"subject": s["subject"], "role": s["role"]})
            names.append(s["subject"]["name"])
    case["search_folded"] = services.search_text(
        SimpleNamespace(**{"address": "", **case}),
        names,
        [line["description"] for line in goods],
    )
    return case, goods, links


def _create_cases(groups, *, user, progress, total, new_subject_ids: list | None = None) -> int:
    """Bulk-insert the new cases with their goods lines and subject links, and audit each case (and
    each new subject) with one event through audit.record_many, in the caller's transaction."""
    case_ids = bulk.reserve_ids(Case, len(groups))  # up front: no query between the batches
    new_subjects = _resolve_subjects(groups, user)
    if new_subject_ids is not None:
        new_subject_ids.extend(row["id"] for row in new_subjects)
    if new_subjects:
        audit.record_many(
            "subjects.subject.create",
            bulk.instances(Subject, new_subjects),
            actor=user,
            changes=[audit.created_json(Subject, row) for row in new_subjects],
        )
    created_by = getattr(user, "pk", None)
    done = 0
    for start in range(0, len(groups), BATCH):
        built = [_new_case(g, created_by) for g in groups[start : start + BATCH]]
        cases = [case for case, _goods, _links in built]
        bulk.insert_rows(Case, cases, ids=case_ids[start : start + BATCH])
        all_goods, all_links = [], []
        for case, goods, links in built:
            for line in goods:
                line["case_id"] = case["id"]
            for link in links:
                link["case_id"] = case["id"]
                link["subject_id"] = link.pop("subject")["id"]
            all_goods += goods
            all_links += links
        # nobody refers to these rows by id (the case's event records them): the sequence numbers them
        bulk.insert_rows(CaseGoods, all_goods, with_pk=False)
        bulk.insert_rows(CaseSubject, all_links, with_pk=False)
        # the change log's JSON text made directly (audit.created_json: the same text as encoding
        # bulk.created_changes with "goods" and "subjects" added, without the dicts)
        changes = [
            audit.created_json(
                Case,
                case,
                {
                    "goods": '{"after":['
                    + ",".join([audit.created_json(CaseGoods, line) for line in goods])
                    + '],"before":null}',
                    "subjects": audit.json_text(
                        {"before": None, "after": [[link["subject_id"], link["role"]] for link in links]}
                    ),
                },
            )
            for case, goods, links in built
        ]
        audit.record_many("cases.case.create", bulk.instances(Case, cases), actor=user, changes=changes)
        done += len(cases)
        if progress:
            progress(done, total, "write")
    return done


BATCH = 2000


def import_cases(
    data: bytes,
    filename: str,
    *,
    agency_code: str | None = None,
    user=None,
    progress: Callable[[int, int, str], None] | None = None,
    province=None,
) -> ImportResult:
    """Validate the whole file, then write every case in one transaction (or nothing). Agency codes
    are short codes of `province` (a unit or its codename; the user's own province, or the one
    loaded first, by default).

    New cases are written in bulk (goods lines, subject links and new subjects too) and audited one
    event per case through `audit.record_many`; cases already imported are compared and only the
    changed ones are saved one by one (with the usual change log). `progress(done, total, stage)` is
    called while the file is checked (stage "check") and written (stage "write"). Python's cyclic
    garbage collector is paused meanwhile (`core.bulk.gc_paused`: a quarter of the CPU time), and
    SQLite's page cache is made large (`core.bulk.large_cache`)."""
    with bulk.gc_paused():
        return _import_cases(
            data, filename, agency_code=agency_code, user=user, progress=progress, province=province
        )


def _import_cases(data, filename, **options) -> ImportResult:
    with bulk.large_cache():
        return _import_file(data, filename, **options)


def _import_file(data, filename, *, agency_code, user, progress, province) -> ImportResult:
    from canhgiac.directory import services as directory

    result = ImportResult()
    if isinstance(province, str):
        codename, province = province, directory.province_by_codename(province)
        if province is None:
            result.errors.append(RowError(0, "province", _("không có tỉnh “%(p)s”.") % {"p": codename}))
            return result
    province = province or directory.home_province(user)
    try:
        header, rows = read_table(data, filename)
    except FileFormatError as exc:
        result.errors.append(RowError(1, "", str(exc)))
        return result
    result.rows = len(rows)
    if agency_code and not Agency.objects.filter(code=agency_code, province=province).exists():
        result.errors.append(
            RowError(0, "agency_code", _("không có cơ quan mã “%(code)s”.") % {"code": agency_code})
        )
        return result
    plan, errors = _validate(
        header, rows, agency_code=agency_code, user=user, lookup=_Lookup(province), progress=progress
    )
    if errors:
        result.errors = errors
        return result
    result.cases = len(plan)
    groups = list(plan.values())
    with transaction.atomic():
        existing = _existing_cases(groups)
        new = [g for g in groups if (g["agency"].pk, g["ref"]) not in existing]
        by_year: dict[int, list] = {}
        for g in new:
            by_year.setdefault(g["case"]["detected_on"].year, []).append(g)
        for year, items in by_year.items():
            for g, reference in zip(items, services.take_references(year, len(items)), strict=True):
                g["reference"] = reference
        done = 0
        for g in groups:
            case = existing.get((g["agency"].pk, g["ref"]))
            if case is None:
                continue
            values = _case_values(g)
            if _unchanged(case, values):
                result.unchanged += 1
            else:
                if user is not None:
                    services.policy.require(user, "change", case)
                services._save_case(user, case, values)
                result.updated += 1
            done += 1
            if progress and done % BATCH == 0:
                progress(done, len(groups), "write")
        if progress and done:
            progress(done, len(groups), "write")
        new_subjects: list[int] = []
        with bulk.pipelined():  # rows written by a second thread while the next batch is built
            result.created = _create_cases(
                new,
                user=user,
                progress=progress and (lambda n, total, stage: progress(done + n, len(groups), stage)),
                total=len(groups),
                new_subject_ids=new_subjects,
            )
        audit.record(
            "cases.import",
            object_type="cases.case",
            object_repr=Path(filename).name[:200],
            changes={
                "file": Path(filename).name,
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
    if new_subjects:
        from canhgiac.subjects import services as subjects_services

        # one batch, after the import's own transaction has committed (issue 12)
        with transaction.atomic():
            subjects_services.refresh_statistics(len(new_subjects))
            # the links the data implies (same phone, address…) for the records written in bulk
            subjects_services.refresh_link_keys(new_subjects)
            subjects_services.match_new(new_subjects, actor=user)
    return result


def template_rows() -> Iterable[list[str]]:
    """A header and an example row that imports as it is (real codes of this installation),
    offered for download on the import page."""
    unit = AdministrativeUnit.objects.exclude(parent=None).order_by("code").first()
    yield list(COLUMNS)
    yield [
        "QLTT-2026-001",
        "QLTT",
        "2026-03-02",
        unit.code if unit else "",
        "counterfeit",
        "Cơ sở bán mỹ phẩm giả nhãn hiệu",
        "cosmetics",
        "Kem dưỡng da giả nhãn hiệu",
        "120",
        "hộp",
        "36000000",
        "",  # product_gtin: a registered product's GTIN, optional
        "organisation",
        "Hộ kinh doanh Minh Anh",
        "6001234567",
        "seller",
        "administrative",
        "15/QĐ-XPHC",
        "25000000",
        "61000000",
        "0",
        "",
    ]


def code_rows() -> Iterable[list[str]]:
    """The codes the import accepts, column by column (list, code, name), for download."""
    yield [_("Cột"), _("Mã"), _("Tên")]
    for agency in Agency.objects.filter(is_active=True).order_by("code"):
        yield ["agency_code", agency.code, agency.name]
    for unit in AdministrativeUnit.objects.exclude(parent=None).order_by("code"):
        yield ["unit_code", unit.code, unit.name]
    for vt in ViolationType.objects.order_by("code"):
        yield ["violation_type", vt.code, vt.name]
    for category in GoodsCategory.objects.order_by("code"):
        yield ["goods_category", category.code, category.name]
    labels = {
        "administrative": Case.Outcome.ADMINISTRATIVE.label,
        "criminal": Case.Outcome.CRIMINAL.label,
        "transferred": Case.Outcome.TRANSFERRED.label,
        "no_violation": Case.Outcome.NO_VIOLATION.label,
        "pending": Case.Status.HANDLING.label,
    }
    for code in HANDLING:
        yield ["handling", code, str(labels[code])]
    for code, label in Subject.Kind.choices:
        yield ["subject_kind", code, str(label)]
    for code, label in CaseSubject.Role.choices:
        yield ["subject_role", code, str(label)]
