"""The 389 Steering Committee's head and deputies, named per province by the Standing Office's
leaders. Small on purpose: a later issue builds the committee's own app; this module (the model
is `accounts.CommitteeMember`) moves there whole. Other apps ask `members(province)`."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from canhgiac.core import policy
from canhgiac.core.errors import FieldError, ServiceError


def _models():
    from canhgiac.accounts.models import CommitteeMember, User

    return CommitteeMember, User


def members(province):
    """The committee's active head and deputies named for `province` (users), head first."""
    CommitteeMember, _User = _models()
    return [
        m.user
        for m in CommitteeMember.objects.filter(province=province, user__is_active=True)
        .select_related("user")
        .order_by("position", "id")
    ]


def roster(province):
    CommitteeMember, _User = _models()
    return CommitteeMember.objects.filter(province=province).select_related("user").order_by("position", "id")


def candidates(province):
    """Accounts that may be named for `province`: active users whose memberships are all in the
    province (or who have none yet, e.g. the provincial Vice-Chairman's account)."""
    _CommitteeMember, User = _models()
    elsewhere = User.objects.filter(memberships__is_active=True, memberships__agency__isnull=False).exclude(
        memberships__agency__province=province
    )
    national = User.objects.filter(memberships__is_active=True, memberships__agency__isnull=True)
    return (
        User.objects.filter(is_active=True)
        .exclude(Q(pk__in=elsewhere.values("pk")) | Q(pk__in=national.values("pk")))
        .order_by("full_name", "username")
    )


@transaction.atomic
def name_member(user, province, *, member, position: str, title: str = ""):
    """Name `member` to the committee of `province` (or change their position); audited."""
    CommitteeMember, _User = _models()
    if not policy.can(user, "accounts.name_committee", province=province):
        raise PermissionDenied(_("Chỉ lãnh đạo Cơ quan Thường trực của tỉnh được cập nhật Ban Chỉ đạo."))
    if position not in CommitteeMember.Position.values:
        raise ServiceError([FieldError("position", _("Chức danh không hợp lệ."))])
    if not candidates(province).filter(pk=member.pk).exists():
        raise ServiceError([FieldError("user", _("Tài khoản này thuộc tỉnh khác hoặc đã bị khóa."))])
    if (
        position == CommitteeMember.Position.HEAD
        and CommitteeMember.objects.filter(province=province, position=position).exclude(user=member).exists()
    ):
        raise ServiceError(
            [FieldError("position", _("Ban Chỉ đạo đã có Trưởng ban; hãy bỏ người cũ trước."))]
        )
    row, created = CommitteeMember.objects.get_or_create(
        province=province, user=member, defaults={"position": position, "title": title.strip()}
    )
    if not created and (row.position, row.title) != (position, title.strip()):
        row.position, row.title = position, title.strip()
        row.save()
    return row


@transaction.atomic
def remove_member(user, province, member_id: int) -> None:
    CommitteeMember, _User = _models()
    if not policy.can(user, "accounts.name_committee", province=province):
        raise PermissionDenied(_("Chỉ lãnh đạo Cơ quan Thường trực của tỉnh được cập nhật Ban Chỉ đạo."))
    row = CommitteeMember.objects.filter(province=province, pk=member_id).first()
    if row is not None:
        row.delete()
