"""What the subjects' network reads from cases: who appears in which case, with which role, and
the few facts of those cases the links and the ranked list need. Every function reads only the
cases `user` may see (policy.visible_to); rows come back as plain tuples, in a fixed number of
queries whatever the number of cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from canhgiac.cases.models import Case, CaseGoods, CaseSubject
from canhgiac.core import policy


@dataclass(frozen=True)
class CaseFact:
    id: int
    reference: str
    detected_on: dt.date
    lead_agency_id: int
    unit_id: int
    high_risk: bool


def _cases(user, date_from=None, date_to=None, unit_code=None, goods_category=None):
    qs = policy.visible_to(user, Case.objects.all())
    if date_from:
        qs = qs.filter(detected_on__gte=date_from)
    if date_to:
        qs = qs.filter(detected_on__lte=date_to)
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    if goods_category:
        qs = qs.filter(pk__in=CaseGoods.objects.filter(goods_category__code=goods_category).values("case_id"))
    return qs


def subject_case_rows(user, subject_ids=None, *, date_from=None, date_to=None, unit_code=None, goods=None):
    """(case_id, subject_id, role) of the visible cases in the window; with `subject_ids`, only the
    rows of those subjects."""
    rows = CaseSubject.objects.filter(
        case__in=_cases(user, date_from, date_to, unit_code, goods).values("pk")
    ).order_by()
    if subject_ids is not None:
        rows = rows.filter(subject_id__any=subject_ids)
    return list(rows.values_list("case_id", "subject_id", "role"))


def case_members(case_ids):
    """(case_id, subject_id, role) of every subject of these cases (the caller has already kept
    the cases to those the user may see)."""
    if not case_ids:
        return []
    return list(
        CaseSubject.objects.filter(case_id__any=case_ids)
        .order_by()
        .values_list("case_id", "subject_id", "role")
    )


def case_facts(case_ids) -> dict[int, CaseFact]:
    """Reference, date, lead agency, commune and "goods of a high-risk category" of each case."""
    if not case_ids:
        return {}
    ids = set(case_ids)
    risky = set(
        CaseGoods.objects.filter(case_id__any=ids, goods_category__high_risk=True)
        .order_by()
        .values_list("case_id", flat=True)
        .distinct()
    )
    return {
        pk: CaseFact(pk, ref, day, agency, unit, pk in risky)
        for pk, ref, day, agency, unit in Case.objects.filter(pk__any=ids)
        .order_by()
        .values_list("pk", "reference", "detected_on", "lead_agency_id", "unit_id")
    }


def high_risk_categories() -> list[tuple[str, str]]:
    from canhgiac.directory.models import GoodsCategory

    return list(GoodsCategory.objects.filter(high_risk=True).values_list("code", "name"))


ROLE_LABELS = dict(CaseSubject.Role.choices)
ORGANISER_ROLES = {CaseSubject.Role.ORGANISER}


def network_rows(user, *, date_from=None, date_to=None):
    """(case_id, subject_id, role, lead_agency_id, unit_id) of every subject of every visible case
    detected in the window: the case–subject network the ranked list reads (one query)."""
    return list(
        CaseSubject.objects.filter(case__in=_cases(user, date_from, date_to).values("pk"))
        .order_by()
        .values_list("case_id", "subject_id", "role", "case__lead_agency_id", "case__unit_id")
    )


def high_risk_case_ids(user, *, date_from=None, date_to=None) -> set[int]:
    """Visible cases of the window with goods of a high-risk category (food, medicine, …)."""
    return set(
        CaseGoods.objects.filter(
            case__in=_cases(user, date_from, date_to).values("pk"), goods_category__high_risk=True
        )
        .order_by()
        .values_list("case_id", flat=True)
        .distinct()
    )


def matching_case_ids(user, *, date_from=None, date_to=None, unit_code=None, goods=None) -> set[int]:
    """Visible cases of the window in the commune and with goods of the category given."""
    return set(_cases(user, date_from, date_to, unit_code, goods).order_by().values_list("pk", flat=True))
