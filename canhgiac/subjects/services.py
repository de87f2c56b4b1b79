"""Subjects (persons and organisations): exact-identifier matching when they are entered again."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from canhgiac.core.text import clean_name, fold
from canhgiac.subjects.models import Subject, normalize_identifier


def find_by_identifier(kind: str, identifier: str) -> Subject | None:
    ident = normalize_identifier(identifier)
    if not ident:
        return None
    return Subject.objects.filter(kind=kind, identifier=ident).first()


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
    """The subject with this exact identifier if one exists (blank details filled in), otherwise,
    without an identifier, one of `candidates` (the case's own subjects) with the same folded name,
    otherwise a new subject. Returns (subject, created)."""
    if kind not in Subject.Kind.values:
        raise ValidationError({"kind": _("Loại đối tượng không hợp lệ.")})
    name = clean_name(name)
    if not name:
        raise ValidationError({"name": _("Cần nhập họ tên hoặc tên tổ chức.")})
    subject = find_by_identifier(kind, identifier)
    if subject is None and not normalize_identifier(identifier):
        subject = next(
            (
                s
                for s in candidates or []
                if s.kind == kind and s.name_folded == fold(name) and not s.identifier
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
        return subject, True
    changed = False
    for field, value in (("birth_date", birth_date), ("phone", phone), ("address", address)):
        if value and not getattr(subject, field):
            setattr(subject, field, value)
            changed = True
    if changed:
        subject.save()
    return subject, False
