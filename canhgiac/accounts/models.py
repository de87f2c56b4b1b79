import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from canhgiac.core import policy
from canhgiac.core.models import AuditedModel
from canhgiac.directory.models import Agency

ROLE_CHOICES = [
    (policy.ADMIN, _("Quản trị hệ thống")),
    (policy.COORDINATOR, _("Cơ quan Thường trực (điều phối)")),
    (policy.LEADER, _("Lãnh đạo")),
    (policy.OFFICER, _("Cán bộ nghiệp vụ")),
    (policy.TIP_HANDLER, _("Cán bộ xử lý tin báo")),
    (policy.ANALYST, _("Cán bộ phân tích")),
    (policy.VIEWER, _("Người xem")),
    (policy.NATIONAL_ADMIN, _("Quản trị toàn quốc")),
    (policy.NATIONAL_VIEWER, _("Người xem số liệu toàn quốc")),
]
ROLE_LABELS = dict(ROLE_CHOICES)


class User(AuditedModel, AbstractUser):
    full_name = models.CharField(_("Họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("Số điện thoại"), max_length=20, blank=True)
    # Set when someone else chose the password (import-users, the admin site, an administrator's
    # reset): the user changes it at first sign-in before any other page (accounts middleware).
    must_change_password = models.BooleanField(_("Phải đổi mật khẩu khi đăng nhập"), default=False)

    audit_exclude = ("password", "last_login")

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self):
        return self.full_name or self.username

    def active_memberships(self) -> list["Membership"]:
        """Cached per instance: the policy asks this many times per request."""
        cached = getattr(self, "_memberships_cache", None)
        if cached is None:
            # National memberships have no agency (policy.NATIONAL_ROLES).
            cached = list(
                self.memberships.filter(is_active=True)
                .filter(models.Q(agency__is_active=True) | models.Q(agency=None))
                .select_related("agency")
            )
            self._memberships_cache = cached
        return cached

    def role_set(self) -> set[str]:
        return {m.role for m in self.active_memberships()}

    @property
    def primary_membership(self):
        memberships = self.active_memberships()
        return memberships[0] if memberships else None

    def requires_two_factor(self) -> bool:
        roles = self.role_set() | ({policy.ADMIN} if self.is_superuser else set())
        return RoleSetting.objects.filter(role__in=roles, require_two_factor=True).exists()


class Membership(AuditedModel):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Người dùng")
    )
    # Empty only for the national roles (policy.NATIONAL_ROLES), which span every province.
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("Cơ quan"),
        null=True,
        blank=True,
    )
    role = models.CharField(_("Vai trò"), max_length=20, choices=ROLE_CHOICES)
    is_active = models.BooleanField(_("Còn hiệu lực"), default=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="uniq_membership")]
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.agency}"


class RoleSetting(AuditedModel):
    """Per-role security settings an administrator controls (two-factor requirement)."""

    role = models.CharField(_("Vai trò"), max_length=20, choices=ROLE_CHOICES, unique=True)
    require_two_factor = models.BooleanField(_("Bắt buộc xác thực hai lớp"), default=False)

    class Meta:
        verbose_name = _("thiết lập vai trò")
        verbose_name_plural = _("thiết lập vai trò")

    def __str__(self):
        return self.get_role_display()


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(AuditedModel):
    """A token for systems calling the API. Only its SHA-256 is stored; the raw value is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("Tên gợi nhớ"), max_length=100)
    prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("Hết hạn"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked = models.BooleanField(default=False)

    audit_exclude = ("key_hash", "last_used_at")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name: str, expires_at=None) -> tuple["ApiToken", str]:
        raw = "cg_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=raw[:10], key_hash=hash_token(raw), expires_at=expires_at
        )
        return token, raw

    @property
    def usable(self) -> bool:
        return not self.revoked and (self.expires_at is None or self.expires_at > timezone.now())


class CommitteeMember(AuditedModel):
    """The 389 Steering Committee's head and deputies of a province, named by the Standing
    Office's leaders (accounts.committee). They are told when the Standing Office's report is late."""

    class Position(models.TextChoices):
        HEAD = "1_head", _("Trưởng ban")
        STANDING_DEPUTY = "2_standing_deputy", _("Phó Trưởng ban Thường trực")
        DEPUTY = "3_deputy", _("Phó Trưởng ban")

    province = models.ForeignKey(
        "directory.AdministrativeUnit",
        on_delete=models.PROTECT,
        related_name="committee_members",
        limit_choices_to={"parent": None},
        verbose_name=_("Tỉnh"),
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="committee_seats", verbose_name=_("Tài khoản")
    )
    position = models.CharField(_("Chức danh trong Ban Chỉ đạo"), max_length=20, choices=Position.choices)
    title = models.CharField(_("Chức vụ (ví dụ: Phó Chủ tịch UBND tỉnh)"), max_length=200, blank=True)

    class Meta:
        ordering = ["province", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["province", "user"], name="uniq_committee_member"),
        ]
        verbose_name = _("thành viên lãnh đạo Ban Chỉ đạo")
        verbose_name_plural = _("lãnh đạo Ban Chỉ đạo")

    def __str__(self):
        return f"{self.get_position_display()}: {self.user}"
