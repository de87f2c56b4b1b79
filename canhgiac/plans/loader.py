"""Load a plan file (docs/plan-format.md, `canhgiac-plan/1`) into the database, all or nothing.

Pseudo-codes are expanded per province: ALL_MEMBERS = every active department and force ("các
sở, ngành": not the Fatherland Front nor the press, kind `mass`), COMMUNES = every commune/ward
People's Committee, BORDER_COMMUNES = those of the communes flagged `border`; a task's `except`
codes are taken out of the expansion ("các sở, ngành thành viên khác"). The codes are kept on the task too, so the
page shows "the communes" instead of a hundred names, and a re-import re-expands them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from canhgiac.directory.models import AdministrativeUnit, Agency
from canhgiac.directory.services import agency_code
from canhgiac.plans.models import (
    ALL_MEMBERS,
    BORDER_COMMUNES,
    COMMUNES,
    PSEUDO_CODES,
    Checkpoint,
    Plan,
    Task,
    TaskGroup,
)
from canhgiac.plans.schedule import KINDS, checkpoints

FORMAT = "canhgiac-plan/1"
DATA_DIR = Path(__file__).parent / "data"
BASE_CODES = (
    "CA",
    "QLTT",
    "HQ",
    "BDBP",
    "THUE",
    "SCT",
    "SYT",
    "SNNMT",
    "SKHCN",
    "SVHTTDL",
    "STP",
    "SNV",
    "STC",
    "SXD",
    "BCHQS",
    "BAO",
    "MTTQ",
)
# Shipped plans loaded by `canhgiac setup` for each configured province.
SHIPPED = {"dak_lak": ["dak_lak_2030.yaml"], "lang_son": ["lang_son_2026_notice.yaml"]}


class PlanFileError(ValueError):
    """The file is not a valid plan; `errors` lists every problem (location, message)."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("\n".join(f"{where}: {msg}" for where, msg in errors))


@dataclass
class LoadResult:
    plan: Plan
    created: bool
    groups: int = 0
    tasks: int = 0
    checkpoints: int = 0
    needs_assignment: list[str] = field(default_factory=list)


def _date(value, where, errors, required=True):
    if isinstance(value, dt.date):
        return value
    if value in (None, "") and not required:
        return None
    errors.append((where, f"phải là ngày dạng YYYY-MM-DD (đang là {value!r})"))
    return None


def _codes(value, where, errors) -> list[str]:
    if not isinstance(value, list):
        errors.append((where, "phải là danh sách mã cơ quan"))
        return []
    for code in value:
        if code not in BASE_CODES and code not in PSEUDO_CODES:
            errors.append((where, f"mã cơ quan không hợp lệ: {code!r}"))
    return [c for c in value if isinstance(c, str)]


def _schedule(s, where, errors) -> dict:
    if not isinstance(s, dict) or s.get("kind") not in KINDS:
        errors.append((where, f"loại lịch phải là một trong {', '.join(KINDS)}"))
        return {}
    kind = s["kind"]
    out = {"kind": kind, "due": None, "start": None, "initial_due": None, "checkpoint": ""}
    if kind == "once":
        out["due"] = _date(s.get("due"), f"{where}.due", errors)
        out["start"] = _date(s.get("start"), f"{where}.start", errors, required=False)
        if "checkpoint" in s or "initial_due" in s:
            errors.append((where, "lịch một lần không có checkpoint hay initial_due"))
        if out["start"] and out["due"] and out["start"] > out["due"]:
            errors.append((where, "ngày bắt đầu sau hạn hoàn thành"))
        return out
    out["start"] = _date(s.get("start"), f"{where}.start", errors)
    out["initial_due"] = _date(s.get("initial_due"), f"{where}.initial_due", errors, required=False)
    checkpoint = str(s.get("checkpoint") or "")
    if checkpoint and not re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", checkpoint):
        errors.append((f"{where}.checkpoint", f"phải có dạng MM-DD (đang là {checkpoint!r})"))
        checkpoint = ""
    if kind == "yearly" and not checkpoint:
        errors.append((where, "lịch hằng năm cần checkpoint (MM-DD)"))
    if kind in ("monthly", "quarterly") and checkpoint:
        errors.append((where, "lịch hằng tháng, hằng quý không có checkpoint"))
    if out["initial_due"] and out["start"] and out["initial_due"] >= out["start"]:
        errors.append((where, "initial_due phải trước ngày bắt đầu (start)"))
    out["checkpoint"] = checkpoint
    return out


def parse(data) -> dict:
    """Validate the loaded YAML and return a normalised dict; raise PlanFileError listing every problem."""
    errors: list[tuple[str, str]] = []
    if not isinstance(data, dict):
        raise PlanFileError([("tệp", "không phải tệp kế hoạch YAML")])
    if data.get("format") != FORMAT:
        raise PlanFileError([("format", f"phải là {FORMAT!r} (đang là {data.get('format')!r})")])
    p = data.get("plan") or {}
    for key in ("code", "title", "province", "issuing_body", "owner_agency"):
        if not p.get(key):
            errors.append((f"plan.{key}", "bắt buộc"))
    if p.get("code") and not re.fullmatch(r"[a-z0-9_]+", str(p["code"])):
        errors.append(("plan.code", "chỉ gồm chữ thường không dấu, số và dấu gạch dưới"))
    if p.get("owner_agency") and p["owner_agency"] not in BASE_CODES:
        errors.append(("plan.owner_agency", f"mã cơ quan không hợp lệ: {p['owner_agency']!r}"))
    plan = {
        "code": p.get("code", ""),
        "title": p.get("title", ""),
        "document_type": p.get("document_type", ""),
        "province": p.get("province", ""),
        "document_number": p.get("document_number") or "",
        "document_date": _date(p.get("document_date"), "plan.document_date", errors, required=False),
        "document_ref_text": p.get("document_ref_text", ""),
        "issuing_body": p.get("issuing_body", ""),
        "start": _date(p.get("start"), "plan.start", errors),
        "end": _date(p.get("end"), "plan.end", errors),
        "owner_agency": p.get("owner_agency", ""),
        "legal_basis": p.get("legal_basis") or [],
        "sources": p.get("sources") or [],
        "reporting": [],
    }
    if plan["start"] and plan["end"] and plan["start"] > plan["end"]:
        errors.append(("plan.end", "ngày kết thúc trước ngày bắt đầu"))
    for i, r in enumerate(p.get("reporting") or []):
        where = f"plan.reporting[{i}]"
        _codes(r.get("from", []), f"{where}.from", errors)
        _codes(r.get("to", []), f"{where}.to", errors)
        sched = _schedule(r.get("schedule"), f"{where}.schedule", errors)
        plan["reporting"].append(
            {
                "code": r.get("code", ""),
                "text": r.get("text", ""),
                "from": r.get("from", []),
                "to": r.get("to", []),
                "other_bodies": r.get("other_bodies", []),
                "schedule": {
                    k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in sched.items() if v
                },
            }
        )
    groups, task_codes = [], set()
    if not data.get("groups"):
        errors.append(("groups", "cần ít nhất một nhóm nhiệm vụ"))
    for gi, g in enumerate(data.get("groups") or []):
        gwhere = f"groups[{gi}] (nhóm {g.get('code')})"
        gcode = str(g.get("code") or "")
        if not gcode or not g.get("title"):
            errors.append((gwhere, "nhóm cần code và title"))
        tasks = []
        if not g.get("tasks"):
            errors.append((gwhere, "nhóm cần ít nhất một nhiệm vụ"))
        for ti, t in enumerate(g.get("tasks") or []):
            code = str(t.get("code") or "")
            where = f"{gwhere}.tasks[{ti}] (nhiệm vụ {code})"
            if not code.startswith(f"{gcode}."):
                errors.append((where, f"mã nhiệm vụ phải bắt đầu bằng mã nhóm {gcode}."))
            if code in task_codes:
                errors.append((where, "mã nhiệm vụ bị trùng"))
            if t.get("parent") and t["parent"] not in task_codes:
                errors.append((where, f"parent {t['parent']!r} không phải nhiệm vụ đứng trước"))
            task_codes.add(code)
            if not t.get("action"):
                errors.append((f"{where}.action", "bắt buộc"))
            lead = _codes(t.get("lead", []), f"{where}.lead", errors)
            coordinating = _codes(t.get("coordinating", []), f"{where}.coordinating", errors)
            other = t.get("other_bodies") or []
            excluded = _codes(t.get("except", []), f"{where}.except", errors)
            reading = str(t.get("lead_reading") or "")
            if not lead and not other and not reading:
                errors.append((f"{where}.lead", "cần cơ quan chủ trì, other_bodies hoặc lead_reading"))
            tasks.append(
                {
                    "code": code,
                    "parent": t.get("parent") or "",
                    "action": t.get("action", ""),
                    "footnote": t.get("footnote", ""),
                    "deadline_text": t.get("deadline_text", "") or "",
                    "schedule": _schedule(t.get("schedule"), f"{where}.schedule", errors),
                    "expected_output": t.get("expected_output", "") or "",
                    "lead": lead,
                    "coordinating": coordinating,
                    "lead_text": t.get("lead_text", "") or "",
                    "coordinating_text": t.get("coordinating_text", "") or "",
                    "other_bodies": other,
                    "except": excluded,
                    "lead_reading": reading,
                }
            )
        groups.append({"code": gcode, "title": g.get("title", ""), "tasks": tasks})
    if errors:
        raise PlanFileError(errors)
    return {"plan": plan, "groups": groups}


def read(path: str | Path) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"dòng {mark.line + 1}" if mark else "tệp"
        raise PlanFileError([(where, f"YAML không hợp lệ: {getattr(exc, 'problem', exc)}")]) from exc
    except OSError as exc:
        raise PlanFileError([("tệp", f"không đọc được {path}: {exc.strerror}")]) from exc
    return parse(data)


class _Resolver:
    def __init__(self, province: AdministrativeUnit):
        self.province = province
        agencies = Agency.objects.filter(province=province, is_active=True)
        self.by_code = {a.code: a for a in agencies}
        agencies = agencies.select_related("unit")
        self.members = [a for a in agencies if a.kind not in (Agency.Kind.COMMUNE, Agency.Kind.MASS)]
        self.communes = [a for a in agencies if a.kind == Agency.Kind.COMMUNE]
        self.border = [a for a in self.communes if a.unit_id and a.unit.border]

    def one(self, base: str) -> Agency | None:
        return self.by_code.get(agency_code(base, self.province))

    def many(self, codes: list[str], exclude: list[str] = ()) -> list[Agency]:
        pseudo = {ALL_MEMBERS: self.members, COMMUNES: self.communes, BORDER_COMMUNES: self.border}
        out: dict[int, Agency] = {}
        for code in codes:
            group = pseudo[code] if code in pseudo else [self.one(code)]
            out.update({a.pk: a for a in group if a is not None})
        for agency in self.many(list(exclude)) if exclude else []:
            out.pop(agency.pk, None)
        return list(out.values())


@transaction.atomic
def load(parsed: dict) -> LoadResult:
    """Create or update the plan named by `plan.code`; tasks and checkpoints follow the file.
    Checkpoints or tasks that carry progress updates are never deleted: the load fails instead."""
    p = parsed["plan"]
    province = AdministrativeUnit.objects.filter(codename=p["province"], parent=None).first()
    if province is None:
        raise PlanFileError([("plan.province", f"tỉnh {p['province']!r} chưa được nạp; chạy canhgiac setup")])
    resolver = _Resolver(province)
    owner = resolver.one(p["owner_agency"])
    missing = [
        c
        for c in {p["owner_agency"]}
        | {
            c
            for g in parsed["groups"]
            for t in g["tasks"]
            for c in t["lead"] + t["coordinating"] + t["except"]
        }
        if c not in PSEUDO_CODES and resolver.one(c) is None
    ]
    if missing:
        raise PlanFileError([("cơ quan", f"chưa có trong danh bạ của tỉnh: {', '.join(sorted(missing))}")])
    defaults = {
        k: p[k]
        for k in (
            "title",
            "document_type",
            "document_number",
            "document_date",
            "document_ref_text",
            "issuing_body",
            "start",
            "end",
            "legal_basis",
            "sources",
            "reporting",
        )
    }
    plan, created = Plan.objects.update_or_create(
        code=p["code"], defaults={**defaults, "province": province, "owner_agency": owner}
    )
    result = LoadResult(plan=plan, created=created)
    keep_tasks = set()
    order = 0
    for gi, g in enumerate(parsed["groups"]):
        group, _ = TaskGroup.objects.update_or_create(
            plan=plan, code=g["code"], defaults={"title": g["title"], "order": gi}
        )
        result.groups += 1
        for t in g["tasks"]:
            order += 1
            s = t["schedule"]
            task, _ = Task.objects.update_or_create(
                plan=plan,
                code=t["code"],
                defaults={
                    "group": group,
                    "order": order,
                    "action": t["action"],
                    "footnote": t["footnote"],
                    "expected_output": t["expected_output"],
                    "deadline_text": t["deadline_text"],
                    "schedule_kind": s["kind"],
                    "due_date": s["due"],
                    "start_date": s["start"],
                    "initial_due": s["initial_due"],
                    "checkpoint_day": s["checkpoint"],
                    "lead_codes": t["lead"],
                    "coordinating_codes": t["coordinating"],
                    "lead_text": t["lead_text"],
                    "coordinating_text": t["coordinating_text"],
                    "other_bodies": t["other_bodies"],
                    "exclude_codes": t["except"],
                    "lead_reading": t["lead_reading"],
                    "parent": Task.objects.get(plan=plan, code=t["parent"]) if t["parent"] else None,
                },
            )
            leads = expand(task, resolver)
            if not leads:
                result.needs_assignment.append(task.code)
            result.checkpoints += sync_checkpoints(task, plan.end)
            keep_tasks.add(task.pk)
            result.tasks += 1
    stale = plan.tasks.exclude(pk__in=keep_tasks)
    if Checkpoint.objects.filter(task__in=stale, updates__isnull=False).exists():
        raise PlanFileError(
            [
                (
                    "groups",
                    "tệp bỏ nhiệm vụ đã có báo cáo tiến độ: "
                    + ", ".join(stale.values_list("code", flat=True)),
                )
            ]
        )
    stale.delete()
    plan.groups.exclude(tasks__isnull=False).delete()
    return result


def expand(task: Task, resolver: _Resolver) -> list[Agency]:
    """Set the task's lead and coordinating agencies from its codes (pseudo-codes expanded as the
    directory stands now); leads the Standing Office assigned by hand are kept. Returns the leads."""
    leads = resolver.many(task.lead_codes, task.exclude_codes)
    if task.lead_assigned:
        leads = list(task.lead_agencies.all())
    elif {a.pk for a in leads} != set(task.lead_agencies.values_list("pk", flat=True)):
        task.lead_agencies.set(leads)
    coordinating = [a for a in resolver.many(task.coordinating_codes) if a not in leads]
    if {a.pk for a in coordinating} != set(task.coordinating_agencies.values_list("pk", flat=True)):
        task.coordinating_agencies.set(coordinating)
    if task.needs_assignment != (not leads):
        task.needs_assignment = not leads
        task.save(update_fields=["needs_assignment"])
    return leads


def follow_border_flags(province: AdministrativeUnit, *, reason: str = "") -> list[tuple[Task, dict]]:
    """Re-expand, in the caller's transaction, the province plans' tasks that name the border
    communes (BORDER_COMMUNES in their lead, coordinating or `except` codes), after the Standing
    Office changed the border flags. Each task whose agencies changed gets one audit event
    `plans.task.border_followed` naming the communes added and removed; returns (task, changes)."""
    from canhgiac.audit import services as audit

    resolver = _Resolver(province)
    changed = []
    tasks = Task.objects.filter(plan__province=province, plan__agency__isnull=True).order_by(
        "plan_id", "order"
    )
    for task in tasks:
        if BORDER_COMMUNES not in {*task.lead_codes, *task.coordinating_codes, *task.exclude_codes}:
            continue
        before = {
            "lead_agencies": {a.pk: a.name for a in task.lead_agencies.all()},
            "coordinating_agencies": {a.pk: a.name for a in task.coordinating_agencies.all()},
        }
        expand(task, resolver)
        after = {
            "lead_agencies": {a.pk: a.name for a in task.lead_agencies.all()},
            "coordinating_agencies": {a.pk: a.name for a in task.coordinating_agencies.all()},
        }
        changes = {}
        for key in before:
            added = sorted(after[key][pk] for pk in after[key].keys() - before[key].keys())
            removed = sorted(before[key][pk] for pk in before[key].keys() - after[key].keys())
            if added or removed:
                changes[key] = {"added": added, "removed": removed}
        if changes:
            if reason:
                changes["reason"] = reason
            audit.record("plans.task.border_followed", obj=task, changes=changes)
            changed.append((task, changes))
    return changed


def sync_checkpoints(task: Task, plan_end: dt.date) -> int:
    wanted = checkpoints(
        task.schedule_kind,
        due=task.due_date,
        start=task.start_date,
        initial_due=task.initial_due,
        checkpoint_day=task.checkpoint_day,
        plan_end=plan_end,
    )
    existing = {c.due_date: c for c in task.checkpoints.all()}
    for period_start, due in wanted:
        cp = existing.pop(due, None)
        if cp is None:
            Checkpoint.objects.create(task=task, due_date=due, period_start=period_start)
        elif cp.period_start != period_start:
            cp.period_start = period_start
            cp.save(update_fields=["period_start"])
    for cp in existing.values():
        if cp.updates.exists():
            raise PlanFileError(
                [(f"nhiệm vụ {task.code}", f"lịch mới bỏ mốc {cp.due_date:%d/%m/%Y} đã có báo cáo")]
            )
        cp.delete()
    return len(wanted)


def import_file(path: str | Path) -> LoadResult:
    return load(read(path))


def load_shipped(provinces: list[str], stdout=None) -> list[LoadResult]:
    """The setup hook: the plans shipped with the project for the configured provinces."""
    results = []
    for codename in provinces:
        for name in SHIPPED.get(codename, []):
            result = import_file(DATA_DIR / name)
            results.append(result)
            if stdout:
                stdout.write(
                    f"  Kế hoạch {result.plan.code}: {result.groups} nhóm, {result.tasks} nhiệm vụ, "
                    f"{result.checkpoints} mốc"
                )
    return results
