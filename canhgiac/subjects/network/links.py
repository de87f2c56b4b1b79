"""Relations between subjects: recorded by an agency, from a case, a document or an import, with
the visibility of their source, audited (Relation is an AuditedModel: the create is written to the
audit trail in the same transaction)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from canhgiac.core import policy
from canhgiac.core.dates import parse_date
from canhgiac.core.errors import Errors


def _visible_subject(user, value, field, errors):
    from canhgiac.subjects.models import Subject

    try:
        pk = int(value)
    except (TypeError, ValueError):
        errors.add(field, _("Cần chọn đối tượng."))
        return None
    subject = (
        policy.visible_to(user, Subject.objects.filter(pk=pk)).select_related("recorded_by_agency").first()
    )
    if subject is None:
        errors.add(field, _("Không tìm thấy đối tượng bạn được xem với mã này."))
    return subject


def _date(value, field, label, errors):
    try:
        return parse_date(value)
    except ValueError:
        errors.add(
            field,
            _("%(label)s: “%(text)s” không phải ngày hợp lệ; nhập dạng dd/mm/yyyy.")
            % {
                "label": label,
                "text": value,
            },
        )
        return None


def _clean(user, data: dict, existing=None) -> dict:
    """The relation's fields from `data`, checked (a ServiceError naming each bad field). For an
    edit (`existing`), the two subjects and the recording agency stay the relation's own."""
    from canhgiac.cases.models import Case
    from canhgiac.directory.models import Agency
    from canhgiac.subjects.models import Relation

    errors = Errors()
    for name, value in data.items():
        if isinstance(value, str) and "\x00" in value:  # no database stores a NUL character
            errors.add(name, _("Trường chứa ký tự NUL, không hợp lệ."))
    errors.raise_if_any()
    if existing is None:
        subject = _visible_subject(user, data.get("subject"), "subject", errors)
        other = _visible_subject(user, data.get("other"), "other", errors)
        if subject is not None and other is not None and subject.pk == other.pk:
            errors.add("other", _("Một đối tượng không thể có quan hệ với chính mình."))
    else:
        subject, other = existing.subject, existing.other
    kind = (data.get("kind") or "").strip()
    if kind not in Relation.Kind.values:
        errors.add(
            "kind", _("Loại quan hệ không hợp lệ (sở hữu, điều hành, gia đình, quen biết, thuê mướn).")
        )
    source = (data.get("source") or "").strip()
    if source not in Relation.Source.values:
        errors.add("source", _("Nguồn không hợp lệ: vụ việc, văn bản hoặc dữ liệu nhập."))
    visibility = (data.get("visibility") or Relation.Visibility.OWN).strip()
    if visibility not in Relation.Visibility.values:
        errors.add("visibility", _("Phạm vi chia sẻ không hợp lệ."))
    start = _date(data.get("start_date"), "start_date", _("Từ ngày"), errors)
    end = _date(data.get("end_date"), "end_date", _("Đến ngày"), errors)
    if start and end and end < start:
        errors.add("end_date", _("Đến ngày phải sau hoặc bằng từ ngày."))
    detail = (data.get("detail") or "").strip()
    if len(detail) > 120:
        errors.add("detail", _("Mô tả quan hệ tối đa 120 ký tự."))
    source_ref = (data.get("source_ref") or "").strip()
    if len(source_ref) > 120:
        errors.add("source_ref", _("Số văn bản tối đa 120 ký tự."))
    case = None
    if source == Relation.Source.CASE:
        raw = str(data.get("case") or "").strip()
        cases = policy.visible_to(user, Case.objects.all())
        case = cases.filter(pk=int(raw)).first() if raw.isdigit() else cases.filter(reference=raw).first()
        if case is None:
            errors.add("case", _("Cần chọn vụ việc nguồn bạn được xem (mã hoặc số hiệu vụ việc)."))
    elif source == Relation.Source.DOCUMENT and not source_ref:
        errors.add("source_ref", _("Cần ghi số, ký hiệu văn bản nguồn."))
    agency = None
    code = (data.get("agency") or "").strip()
    provinces = policy.province_ids(user)
    if existing is not None:
        agency = existing.recorded_by_agency
    elif code:
        agencies = Agency.objects.filter(code=code)
        if provinces is not None:
            agencies = agencies.filter(province_id__in=provinces)
        agency = agencies.first()
        if agency is None:
            errors.add("agency", _("Không có cơ quan mã “%(code)s” trong tỉnh của bạn.") % {"code": code})
    else:
        mine = policy.agency_ids(user, *policy.ROLES)
        agency = Agency.objects.filter(pk__in=mine).order_by("pk").first()
        if agency is None:
            errors.add("agency", _("Cần chọn cơ quan ghi nhận."))
    errors.raise_if_any()
    return {
        "subject": subject,
        "other": other,
        "kind": kind,
        "detail": detail,
        "start_date": start,
        "end_date": end,
        "source": source,
        "case": case,
        "source_ref": source_ref,
        "visibility": Relation.Visibility.OWN if case is not None else visibility,
        "recorded_by_agency": agency,
    }


def add_relation(user, data: dict):
    """Record a relation. `data`: subject, other (record ids), kind, detail, start_date, end_date,
    source (case, document, import), case (id or reference, for source=case), source_ref,
    visibility (own, all; a case's relation follows the case), agency (short code; by default the
    user's agency that may record it). Raises a ServiceError naming each bad field in Vietnamese,
    PermissionDenied when the user may not record for that agency."""
    from canhgiac.subjects.models import Relation

    policy.require(user, "add", Relation)  # may record relations for some agency at all
    fields = _clean(user, data)
    policy.require(user, "add", Relation, agency=fields["recorded_by_agency"])
    with transaction.atomic():
        return Relation.objects.create(**fields, created_by=user if getattr(user, "pk", None) else None)


def relation_for(user, pk):
    """A relation `user` may see, or Http404 (one they may not see is not found, not forbidden)."""
    from django.http import Http404

    from canhgiac.subjects.models import Relation

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    relation = (
        policy.visible_to(user, Relation.objects.filter(pk=pk))
        .select_related("subject", "other", "recorded_by_agency", "case")
        .first()
    )
    if relation is None:
        raise Http404
    return relation


def update_relation(user, pk, data: dict):
    """Change a relation's kind, description, dates, source and sharing (its two subjects and its
    agency stay: another pair is another relation). Only who may record for its agency; the change
    is audited with before and after. Same errors as `add_relation`, Http404 when not visible."""
    relation = relation_for(user, pk)
    policy.require(user, "change", relation)
    fields = _clean(user, data, existing=relation)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(relation, name, value)
        relation.save()
    return relation


def delete_relation(user, pk) -> None:
    """Delete a relation (audited, with what it said). Only who may record for its agency."""
    relation = relation_for(user, pk)
    policy.require(user, "delete", relation)
    with transaction.atomic():
        relation.delete()


def relations_of(user, subject):
    """The relations of `subject` the user may see, with the other side (for the pages)."""
    from django.db.models import Q

    from canhgiac.subjects.models import Relation

    return (
        policy.visible_to(user, Relation.objects.filter(Q(subject=subject) | Q(other=subject)))
        .select_related("subject", "other", "recorded_by_agency", "case")
        .order_by("-start_date", "-pk")
    )


def online_accounts(user, record_ids) -> dict[int, set[str]]:
    """For each record, the normalised online accounts ("platform:handle", or the URL: the
    `online_account` link key, `keys.online_key`) it is linked to: its own (an account record, or a
    record with a platform and handle) and those of the account records it has a relation with
    that `user` may see (an owner → Ownership → account). The door the online app's ranking signal
    calls to find the subjects' accounts among its flagged listings (docs/subjects-network.md)."""
    from django.db.models import Q

    from canhgiac.subjects.models import LinkKey, Relation

    ids = set(record_ids)
    if not ids:
        return {}
    related: dict[int, set[int]] = {}
    rels = policy.visible_to(
        user,
        Relation.objects.filter(
            Q(subject_id__in=ids, other__kind="online_account")
            | Q(other_id__in=ids, subject__kind="online_account")
        ),
    )
    for a, b in rels.order_by().values_list("subject_id", "other_id"):
        if a in ids:
            related.setdefault(b, set()).add(a)
        if b in ids:
            related.setdefault(a, set()).add(b)
    out: dict[int, set[str]] = {}
    for record, value in LinkKey.objects.filter(
        kind=LinkKey.Kind.ONLINE, subject_id__in=ids | set(related)
    ).values_list("subject_id", "value"):
        if record in ids:
            out.setdefault(record, set()).add(value)
        for owner in related.get(record, ()):
            out.setdefault(owner, set()).add(value)
    return out
