"""Membership of the provincial committee and of each commune's committee: the decisions that
establish, change or dissolve them, and their members (seed 000 §9, seed 003 2.10).

A committee is active when its latest decision (by signing date) establishes or changes it; a
committee with no decision yet, or whose latest decision dissolves it, is not active."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from canhgiac.committee.logic.common import agency_in, date, require_add, text
from canhgiac.committee.models import Committee, Decision, Member
from canhgiac.core import policy
from canhgiac.core.errors import Errors
from canhgiac.directory.models import AdministrativeUnit

COMMUNE_KINDS = (
    AdministrativeUnit.Kind.COMMUNE,
    AdministrativeUnit.Kind.WARD,
    AdministrativeUnit.Kind.SPECIAL_ZONE,
)


def visible_committees(user, province=None):
    qs = policy.visible_to(user, Committee.objects.all())
    if province is not None:
        qs = qs.filter(province=province)
    latest = Decision.objects.filter(committee=OuterRef("pk")).order_by("-signed_on", "-id")
    return qs.select_related("unit").annotate(latest_kind=Subquery(latest.values("kind")[:1]))


def committee_activity(user, province) -> list[dict]:
    """Each committee of the province the user reads, with its activity: active or not, members
    holding a seat now, meetings recorded, the last meeting's date (for the leaders' dashboard and
    the membership page)."""
    qs = visible_committees(user, province).annotate(
        members_now=Count("members", filter=Q(members__until=None), distinct=True),
        meetings_count=Count("meetings", distinct=True),
        last_meeting=Max("meetings__held_on"),
    )
    return [
        {
            "committee": c,
            "unit": c.unit,
            "active": c.latest_kind in (Decision.Kind.ESTABLISH, Decision.Kind.CHANGE),
            "members": c.members_now,
            "meetings": c.meetings_count,
            "last_meeting": c.last_meeting,
        }
        for c in qs.order_by("unit__name")
    ]


def is_active(committee: Committee) -> bool:
    kind = getattr(committee, "latest_kind", None)
    if kind is None:
        last = committee.decisions.order_by("-signed_on", "-id").first()
        kind = last.kind if last else None
    return kind in (Decision.Kind.ESTABLISH, Decision.Kind.CHANGE)


def provincial_committee(province) -> Committee | None:
    return Committee.objects.filter(province=province, unit=None).first()


def ensure_provincial(provinces, stdout=None) -> None:
    """Setup hook: each configured province has its provincial committee's record (idempotent)."""
    for codename in provinces:
        province = AdministrativeUnit.objects.filter(codename=codename, parent=None).first()
        if province is not None and provincial_committee(province) is None:
            Committee.objects.create(province=province, name=f"Ban Chỉ đạo 389 {province.name}")


def communes_without_committee(user, province):
    """The province's communes and wards whose committee is not active (none recorded, no
    decision yet, or dissolved)."""
    if not policy.in_province(user, province):
        return AdministrativeUnit.objects.none()
    active_units = [
        c.unit_id
        for c in visible_committees(user, province).exclude(unit=None)
        if c.latest_kind in (Decision.Kind.ESTABLISH, Decision.Kind.CHANGE)
    ]
    return (
        AdministrativeUnit.objects.filter(parent=province, kind__in=COMMUNE_KINDS)
        .exclude(pk__in=active_units)
        .order_by("name")
    )


@transaction.atomic
def save_committee(user, province, data: dict) -> Committee:
    """Record a commune's committee (the provincial one exists from setup, or is created here when
    no unit is given)."""
    require_add(user, Committee, province)
    errors = Errors()
    unit = None
    if data.get("unit"):
        unit = AdministrativeUnit.objects.filter(
            parent=province, kind__in=COMMUNE_KINDS, pk=getattr(data["unit"], "pk", data["unit"])
        ).first()
        if unit is None:
            errors.add("unit", _("Xã, phường không thuộc tỉnh này."))
    name = text(data, "name", errors, _("Tên Ban Chỉ đạo"), required=False, max_length=300)
    errors.raise_if_any()
    existing = Committee.objects.filter(province=province, unit=unit).first()
    if existing is not None:
        errors.add("unit", _("Đã có hồ sơ Ban Chỉ đạo của địa bàn này."))
        errors.raise_if_any()
    if not name:
        name = f"Ban Chỉ đạo 389 {unit.name if unit else province.name}"
    return Committee.objects.create(province=province, unit=unit, name=name)


@transaction.atomic
def add_decision(user, committee: Committee, data: dict) -> Decision:
    """A decision establishing, changing or dissolving the committee. A dissolution ends every
    member's seat on its date."""
    policy.require(user, "change", committee)
    errors = Errors()
    kind = data.get("kind")
    if kind not in Decision.Kind.values:
        errors.add("kind", _("Loại quyết định không hợp lệ."))
    number = text(data, "number", errors, _("Số quyết định"), max_length=60)
    signed_on = date(data, "signed_on", errors, _("Ngày ký"))
    signer = text(data, "signer", errors, _("Người ký"), required=False, max_length=200)
    summary = text(data, "summary", errors, _("Trích yếu"), required=False)
    if kind and kind != Decision.Kind.ESTABLISH and not committee.decisions.exists():
        errors.add("kind", _("Ban Chỉ đạo chưa có quyết định thành lập: hãy ghi quyết định thành lập trước."))
    errors.raise_if_any()
    decision = Decision.objects.create(
        province=committee.province,
        committee=committee,
        kind=kind,
        number=number,
        signed_on=signed_on,
        signer=signer,
        summary=summary,
    )
    if kind == Decision.Kind.DISSOLVE:
        for member in committee.members.filter(until=None):
            member.until = signed_on
            member.save()
    return decision


@transaction.atomic
def add_member(user, committee: Committee, data: dict) -> Member:
    policy.require(user, "change", committee)
    errors = Errors()
    full_name = text(data, "full_name", errors, _("Họ và tên"), max_length=200)
    role = data.get("role")
    if role not in Member.Role.values:
        errors.add("role", _("Vai trò không hợp lệ."))
    agency = agency_in(committee.province, data.get("agency"), errors, "agency", required=False)
    decision = None
    if data.get("decision"):
        decision = committee.decisions.filter(pk=getattr(data["decision"], "pk", data["decision"])).first()
        if decision is None:
            errors.add("decision", _("Quyết định không thuộc Ban Chỉ đạo này."))
    since = date(data, "since", errors, _("Từ ngày"), required=not decision)
    if decision and not since:
        since = decision.signed_on
    if role == Member.Role.HEAD and committee.members.filter(role=role, until=None).exists():
        errors.add(
            "role", _("Ban Chỉ đạo đã có Trưởng ban đang giữ chức: hãy ghi ngày thôi của người cũ trước.")
        )
    errors.raise_if_any()
    return Member.objects.create(
        province=committee.province,
        committee=committee,
        full_name=full_name,
        title=text(data, "title", errors, _("Chức vụ"), required=False, max_length=300),
        agency=agency,
        role=role,
        standing=bool(data.get("standing")),
        decision=decision,
        phone=text(data, "phone", errors, _("Điện thoại"), required=False, max_length=40),
        since=since,
    )


@transaction.atomic
def end_member(user, member: Member, until) -> Member:
    policy.require(user, "change", member)
    errors = Errors()
    until = date({"until": until}, "until", errors, _("Đến ngày"))
    if until and until < member.since:
        errors.add("until", _("Ngày thôi giữ chức không được trước ngày bắt đầu."))
    errors.raise_if_any()
    if member.until is not None:
        raise PermissionDenied(_("Thành viên này đã thôi giữ chức."))
    member.until = until
    member.save()
    return member
