"""Subjects (persons and organisations): each agency's own records, matched within that agency.

An agency that enters a person again is matched to *its own* record of that person on the exact
identifier; a record of another agency is never merged into, or copied into, the one being
entered, because it carries the visibility of that agency's cases (a sensitive case's subject
must not leak its name, phone or address through a match). What a user may learn about other
agencies' records of the same identifier is `known_elsewhere`: the records the policy lets them
see, and for the rest only which agency holds one and how to contact it.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from canhgiac.core import policy
from canhgiac.core.text import clean_name, fold
from canhgiac.subjects.models import Subject, normalize_identifier
from canhgiac.subjects.network.keys import refresh as refresh_link_keys  # noqa: F401  (bulk writers)


def _own(agency):
    """Filter kwargs for the records of `agency` (records entered without an agency stay apart)."""
    return {"recorded_by_agency": agency} if agency is not None else {"recorded_by_agency__isnull": True}


def find_by_identifier(kind: str, identifier: str, agency=None) -> Subject | None:
    """`agency`'s own record with this exact identifier, or None."""
    ident = normalize_identifier(identifier)
    if not ident:
        return None
    return Subject.objects.filter(kind=kind, identifier=ident, **_own(agency)).first()


def match_or_create(
    *,
    kind: str,
    name: str,
    identifier: str = "",
    birth_date: dt.date | None = None,
    phone: str = "",
    address: str = "",
    agency=None,
    user=None,
    candidates: list[Subject] | None = None,
) -> tuple[Subject, bool]:
    """`agency`'s own record with this exact identifier if it has one (blank details filled in),
    otherwise, without an identifier, one of `candidates` (the case's own subjects) of the same
    agency with the same folded name, otherwise a new record of `agency`. Records of other agencies
    are never matched. Returns (subject, created)."""
    if kind not in Subject.Kind.values:
        raise ValidationError({"kind": _("Loại đối tượng không hợp lệ.")})
    name = clean_name(name)
    if not name:
        raise ValidationError({"name": _("Cần nhập họ tên hoặc tên tổ chức.")})
    agency_id = getattr(agency, "pk", None)
    subject = find_by_identifier(kind, identifier, agency)
    if subject is None and not normalize_identifier(identifier):
        subject = next(
            (
                s
                for s in candidates or []
                if s.kind == kind
                and s.recorded_by_agency_id == agency_id
                and s.name_folded == fold(name)
                and not s.identifier
            ),
            None,
        )
    if subject is None:
        subject = Subject.objects.create(
            kind=kind,
            name=name,
            identifier=identifier,
            birth_date=birth_date,
            phone=phone,
            address=address,
            recorded_by_agency=agency,
            created_by=user if getattr(user, "pk", None) else None,
        )
        # matched against the entities present at once (no full run), in the caller's transaction
        match_new([subject.pk], actor=user)
        return subject, True
    changed = False
    for field, value in (("birth_date", birth_date), ("phone", phone), ("address", address)):
        if value and not getattr(subject, field):
            setattr(subject, field, value)
            changed = True
    if changed:
        subject.save()
    return subject, False


def same_identity(subject: Subject):
    """Every agency's records of the same kind and exact identifier, the subject included (only the
    subject itself when it has no identifier). System scope: callers decide what to show."""
    if not subject.identifier:
        return Subject.objects.filter(pk=subject.pk)
    return Subject.objects.filter(kind=subject.kind, identifier=subject.identifier)


def agency_contact(agency) -> dict:
    """What may be said about an agency holding a record the user may not see: who to contact."""
    return {"agency": str(agency), "name": agency.name, "hotline": agency.hotline, "email": agency.email}


def known_elsewhere(user, subject: Subject) -> dict:
    """Other agencies' records of the same identifier, as `user` may know them.

    `records`: the records the policy lets `user` see (with their agency); `holders`: for records
    the user may not see, only each holding agency's contact (`agency_contact`), nothing more."""
    others = same_identity(subject).exclude(pk=subject.pk).select_related("recorded_by_agency")
    visible = set(policy.visible_to(user, others).values_list("pk", flat=True))
    records, hidden = [], {}
    for other in others.order_by("recorded_by_agency__code", "pk"):
        if other.pk in visible:
            records.append(other)
        elif other.recorded_by_agency is not None:
            hidden.setdefault(other.recorded_by_agency_id, other.recorded_by_agency)
    return {"records": records, "holders": [agency_contact(a) for a in hidden.values()]}


def visible_subject(user, subject_id) -> Subject | None:
    """The record numbered `subject_id` ("123" or "#123") if `user` may see it, else None."""
    try:
        pk = int(str(subject_id).strip().lstrip("#"))
    except (TypeError, ValueError):
        return None
    return policy.visible_to(user, Subject.objects.filter(pk=pk)).first()


# ---------------------------------------------------------------- resolved entities (issue 12)


def entity_for(record: Subject):
    """The resolved entity a source record belongs to (None before it has been matched).
    System scope: what the caller shows of it goes through `records_of_entity`."""
    if record is None or record.entity_id is None:
        return None
    from canhgiac.subjects.models import Entity

    return Entity.objects.filter(pk=record.entity_id).first()


def same_entity_records(record_ids) -> dict[int, frozenset[int]]:
    """For each of these source records, the ids of every record of its resolved entity (the
    record itself included; only itself before it has been matched). System scope: the caller
    counts or filters through these ids under its own policy (the online app's "several shops of
    one seller" counts the shops of its own province). Two queries, whatever the number of ids."""
    ids = {int(i) for i in record_ids}
    if not ids:
        return {}
    entity_of = dict(Subject.objects.filter(pk__in=ids).values_list("pk", "entity_id"))
    members: dict[int, set[int]] = {}
    entity_ids = {e for e in entity_of.values() if e is not None}
    if entity_ids:
        for pk, entity in Subject.objects.filter(entity_id__in=entity_ids).values_list("pk", "entity_id"):
            members.setdefault(entity, set()).add(pk)
    out = {}
    for pk in ids:
        entity = entity_of.get(pk)
        out[pk] = frozenset(members.get(entity, set()) | {pk}) if entity is not None else frozenset({pk})
    return out


def records_of_entity(entity, user) -> dict:
    """An entity's source records as `user` may know them.

    `records`: the records the policy lets `user` see (agency, cases and identifiers through their
    own pages); `holders`: for every agency holding records the user may not see, that agency's
    contact only (`agency_contact`) — never a name, number, date or reference of those records."""
    if entity is None:
        return {"entity": None, "records": [], "holders": []}
    members = Subject.objects.filter(entity=entity)
    visible_ids = set(policy.visible_to(user, members).values_list("pk", flat=True))
    records, hidden = [], {}
    for record in members.select_related("recorded_by_agency").order_by("recorded_by_agency__code", "pk"):
        if record.pk in visible_ids:
            records.append(record)
        elif record.recorded_by_agency is not None:
            hidden.setdefault(record.recorded_by_agency_id, record.recorded_by_agency)
    holders = [agency_contact(a) for a in sorted(hidden.values(), key=lambda a: a.code)]
    return {"entity": entity, "records": records, "holders": holders}


def resolve(*, retrain: bool = False, progress=None, actor=None) -> dict:
    """The full resolution run (see resolution/run.py): counts and seconds."""
    from canhgiac.subjects.resolution import run

    return run.full_run(retrain=retrain, progress=progress, actor=actor)


STATISTICS_AFTER = 5000  # new records written in bulk from which refresh_statistics pays


def refresh_statistics(new_records: int) -> None:
    """After a bulk write of `new_records` subjects (an import), refresh PostgreSQL's statistics
    of the tables the matching reads, before `refresh_link_keys` and `match_new`: the planner
    otherwise plans for the tables as they were before the import until autovacuum gets to them
    (100,000 imported cases: matching 18.3 → 8.5 s; the ANALYZE itself 0.3 s). Nothing on SQLite
    or for small writes."""
    from django.db import connection

    if connection.vendor != "postgresql" or new_records < STATISTICS_AFTER:
        return
    from canhgiac.subjects.models import Entity, Identifier, MatchPair
    from canhgiac.subjects.models_links import LinkKey

    models = (Subject, Identifier, MatchPair, Entity, LinkKey)
    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def match_new(ids, actor=None) -> dict:
    """Match new records against the entities present at once (no full run)."""
    from canhgiac.subjects.resolution import run

    return run.match_records(list(ids), actor=actor)


def export_clusters(out) -> int:
    """Write `source_ref,agency_code,cluster_id` for every source record to the text stream `out`;
    the cluster id is the entity's id (only automatic and confirmed matches share one; a record not
    resolved yet is alone in "r<record id>"). A record entered on a case form has no source_ref of
    its own: its reference is "subject:<id>"."""
    import csv

    from canhgiac.core.spreadsheet import safe_cell

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["source_ref", "agency_code", "cluster_id"])
    n = 0
    rows = Subject.objects.order_by("pk").values_list(
        "pk", "source_ref", "recorded_by_agency__code", "entity_id"
    )
    for pk, ref, agency, entity in rows.iterator(chunk_size=20000):
        writer.writerow(
            [safe_cell(ref or f"subject:{pk}"), agency or "", entity if entity is not None else f"r{pk}"]
        )
        n += 1
    return n


def review_queue(user, limit: int = 50):
    """Pairs waiting for review whose two records `user` may both see, most likely first.
    A decided pair (yes, no or unsure) is not in the queue."""
    from django.db.models import Exists, F, OuterRef

    from canhgiac.subjects.models import MatchPair, ReviewDecision

    if not policy.can(user, "subjects.review"):
        return MatchPair.objects.none()
    visible = policy.visible_to(user, Subject.objects.all()).values("pk")
    decided = ReviewDecision.objects.filter(left_id=OuterRef("left_id"), right_id=OuterRef("right_id"))
    return (
        MatchPair.objects.filter(status="review", left__in=visible, right__in=visible)
        .exclude(Exists(decided))
        .exclude(left__entity_id=F("right__entity_id"))
        .select_related("left__recorded_by_agency", "right__recorded_by_agency", "left__unit", "right__unit")
        .order_by("-probability", "pk")[:limit]
    )


def decide(user, left_id: int, right_id: int, decision: str, note: str = ""):
    """Record a reviewer's answer about two records and apply it at once: yes joins their entities,
    no splits them (even if other records link them), unsure leaves them apart. Answering again
    reverses the merge or the split. Both records must be visible to the reviewer."""
    from django.core.exceptions import PermissionDenied
    from django.db import transaction
    from django.http import Http404

    from canhgiac.subjects.models import ReviewDecision
    from canhgiac.subjects.resolution import run

    if decision not in ReviewDecision.Decision.values:
        raise ValidationError(
            {"decision": _("Kết luận phải là: cùng một đối tượng, khác đối tượng hoặc chưa chắc.")}
        )
    left_id, right_id = sorted((int(left_id), int(right_id)))
    if left_id == right_id:
        raise ValidationError({"decision": _("Cần hai hồ sơ khác nhau.")})
    if policy.visible_to(user, Subject.objects.filter(pk__in=(left_id, right_id))).count() != 2:
        raise Http404
    if not policy.can(user, "subjects.review"):
        raise PermissionDenied
    with transaction.atomic():
        existing = ReviewDecision.objects.filter(left_id=left_id, right_id=right_id).first()
        if existing is None:
            existing = ReviewDecision(left_id=left_id, right_id=right_id)
        existing.decision = decision
        existing.note = (note or "")[:300]
        existing.decided_by = user if getattr(user, "pk", None) else None
        existing.save()
        run.recluster({left_id, right_id}, actor=user)
    return existing


def entity_page(user, entity, *, with_online: bool = True) -> dict:
    """What the entity page shows `user`: the visible records by agency with their identifiers,
    their roles in the visible cases, why the visible records were joined (the explained pairs
    between them), and the contacts of the agencies holding records the user may not see."""
    from collections import defaultdict

    from django.db.models import Prefetch

    from canhgiac.cases import services as cases
    from canhgiac.subjects.models import Identifier, MatchPair
    from canhgiac.subjects.resolution import model as er

    known = records_of_entity(entity, user)
    ids = [r.pk for r in known["records"]]
    records = list(
        Subject.objects.filter(pk__in=ids)
        .select_related("recorded_by_agency", "unit")
        .prefetch_related(Prefetch("identifiers", queryset=Identifier.objects.order_by("scheme", "value")))
        .order_by("recorded_by_agency__code", "pk")
    )
    by_agency = defaultdict(list)
    for record in records:
        by_agency[record.recorded_by_agency].append(record)
    pairs = []
    for pair in MatchPair.objects.filter(left_id__in=ids, right_id__in=ids).order_by("-probability")[:50]:
        pairs.append(
            {
                "left": pair.left_id,
                "right": pair.right_id,
                "status": pair.get_status_display(),
                "probability": pair.probability,
                "percent": pair.percent,
                "reasons": [(er.reason_text(code), weight) for code, weight in pair.reasons],
            }
        )
    from canhgiac.online import services as online

    return {
        "entity": entity,
        "by_agency": list(by_agency.items()),
        "records": records,
        "links": list(cases.subjects_cases(user, records)) if records else [],
        "pairs": pairs,
        "holders": known["holders"],
        # the seller's shops, pages and channels (online app), as the user may see them
        "online_accounts": online.accounts_of_subjects(user, ids) if ids and with_online else [],
    }
