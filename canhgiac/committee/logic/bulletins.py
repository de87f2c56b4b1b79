"""Professional warnings to the forces (seed 004 3.3): internal bulletins of new methods, sent to
chosen agencies and communes; a recipient's first reading is its read receipt."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from canhgiac.committee.logic.common import agencies_in, agency_in, date, require_add, text
from canhgiac.committee.models import Bulletin, Receipt
from canhgiac.core import policy
from canhgiac.core.errors import Errors


def visible_bulletins(user, province=None):
    qs = policy.visible_to(user, Bulletin.objects.all())
    if province is not None:
        qs = qs.filter(province=province)
    return qs.select_related("sender").annotate(
        sent_to=Count("receipts", distinct=True),
        read=Count("receipts", filter=Q(receipts__read_at__isnull=False), distinct=True),
    )


def inbox(user):
    """Receipts of the user's agencies not read yet, newest bulletin first."""
    return (
        Receipt.objects.filter(agency_id__in=policy.agency_ids(user), read_at=None)
        .select_related("bulletin", "agency")
        .order_by("-bulletin__issued_on", "-bulletin_id")
    )


@transaction.atomic
def send_bulletin(user, province, data: dict) -> Bulletin:
    """Write a bulletin and send it to the chosen agencies and communes of the province, in one
    transaction (one receipt per recipient)."""
    require_add(user, Bulletin, province)
    errors = Errors()
    title = text(data, "title", errors, _("Tiêu đề"), max_length=300)
    body = text(data, "body", errors, _("Nội dung cảnh báo"))
    issued_on = date(data, "issued_on", errors, _("Ngày phát hành"))
    sender = agency_in(province, data.get("sender"), errors, "sender")
    recipients = agencies_in(province, data.get("recipients") or [], errors, "recipients")
    errors.raise_if_any()
    bulletin = Bulletin.objects.create(
        province=province, title=title, body=body, issued_on=issued_on, sender=sender
    )
    for agency in recipients:
        Receipt.objects.create(bulletin=bulletin, agency=agency)
    return bulletin


@transaction.atomic
def mark_read(user, bulletin: Bulletin) -> int:
    """The user opened the bulletin: the receipts of their agencies among its recipients, not read
    yet, are marked read by them now. Returns how many were marked."""
    count = 0
    now = timezone.now()
    for receipt in bulletin.receipts.filter(agency_id__in=policy.agency_ids(user), read_at=None):
        receipt.read_at, receipt.read_by = now, user
        receipt.save()
        count += 1
    return count


def receipts_summary(user, bulletin: Bulletin):
    """The receipts of a bulletin the user may see (all of them for the Standing Office)."""
    return policy.visible_to(user, bulletin.receipts.all()).select_related("agency", "read_by")
