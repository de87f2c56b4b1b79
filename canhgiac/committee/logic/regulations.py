"""Coordination regulations (quy chế phối hợp, seed 000 §3, seed 004 5.1): parties, dates,
document and review date. A review is overdue when its date has passed."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from canhgiac.committee.logic.common import agencies_in, date, require_add, text, today
from canhgiac.committee.models import Regulation
from canhgiac.core import policy
from canhgiac.core.errors import Errors


def visible_regulations(user, province=None):
    qs = policy.visible_to(user, Regulation.objects.all())
    if province is not None:
        qs = qs.filter(province=province)
    return qs.prefetch_related("parties")


def overdue_reviews(qs, as_of=None):
    """Regulations whose review date has passed (as of `as_of`, default today)."""
    return qs.filter(review_on__lt=as_of or today())


def _check_document(f, errors: Errors) -> None:
    from pathlib import Path

    if f is not None and Path(f.name).suffix.lower() not in (".pdf", ".doc", ".docx", ".odt"):
        errors.add("document", _("Văn bản phải là tệp PDF hoặc Word."))
    elif f is not None and f.size > 20 * 1024 * 1024:
        errors.add("document", _("Văn bản không được lớn hơn 20 MB."))


@transaction.atomic
def create_regulation(user, province, data: dict, document=None) -> Regulation:
    require_add(user, Regulation, province)
    errors = Errors()
    title = text(data, "title", errors, _("Tên quy chế"), max_length=400)
    number = text(data, "number", errors, _("Số văn bản"), max_length=60)
    signed_on = date(data, "signed_on", errors, _("Ngày ký"))
    effective_from = date(data, "effective_from", errors, _("Hiệu lực từ"), required=False)
    review_on = date(data, "review_on", errors, _("Hạn rà soát"))
    parties = agencies_in(province, data.get("parties") or [], errors, "parties")
    parties_text = text(data, "parties_text", errors, _("Bên khác"), required=False, max_length=400)
    if len(parties) + (1 if parties_text else 0) < 2 and not errors.get("parties"):
        errors.add("parties", _("Quy chế phối hợp cần ít nhất hai bên."))
    if signed_on and review_on and review_on <= signed_on:
        errors.add("review_on", _("Hạn rà soát phải sau ngày ký."))
    _check_document(document, errors)
    errors.raise_if_any()
    regulation = Regulation.objects.create(
        province=province,
        title=title,
        number=number,
        signed_on=signed_on,
        effective_from=effective_from,
        review_on=review_on,
        parties_text=parties_text,
        document=document or "",
    )
    regulation.parties.set(parties)
    return regulation


@transaction.atomic
def review_regulation(user, regulation: Regulation, data: dict) -> Regulation:
    """Record a review: its date, what it found, and the next review date."""
    policy.require(user, "change", regulation)
    errors = Errors()
    reviewed_on = date(data, "reviewed_on", errors, _("Ngày rà soát"))
    next_review = date(data, "next_review_on", errors, _("Hạn rà soát tiếp theo"))
    note = text(data, "review_note", errors, _("Kết quả rà soát"))
    if reviewed_on and reviewed_on > today():
        errors.add("reviewed_on", _("Ngày rà soát không được sau hôm nay."))
    if reviewed_on and next_review and next_review <= reviewed_on:
        errors.add("next_review_on", _("Hạn rà soát tiếp theo phải sau ngày rà soát."))
    errors.raise_if_any()
    regulation.last_reviewed_on = reviewed_on
    regulation.review_on = next_review
    regulation.review_note = note
    regulation.save()
    return regulation
