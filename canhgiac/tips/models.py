"""Citizens' tips (tin báo, tố giác, phản ánh), their messages, attachments and transfers."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from canhgiac.core.models import AuditedModel, TimeStampedModel
from canhgiac.directory.models import AdministrativeUnit, Agency, Field, GoodsCategory, ViolationType
from canhgiac.tips import conf


@deconstructible
class PrivateTipStorage(FileSystemStorage):
    """Resolved at use time so tests and deployments can point TIP_MEDIA_DIR elsewhere."""

    def __init__(self):
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self):
        return conf.private_media_dir()

    @property
    def location(self):
        import os

        return os.path.abspath(self.base_location)


class Tip(AuditedModel, TimeStampedModel):
    class Channel(models.TextChoices):
        ONLINE = "online", _("Cổng thông tin (trực tuyến)")
        HOTLINE = "hotline", _("Đường dây nóng, điện thoại")
        EMAIL = "email", _("Thư điện tử")
        IN_PERSON = "in_person", _("Trực tiếp")
        MAIL = "mail", _("Đơn, thư gửi qua bưu chính")
        TRANSFERRED = "transferred", _("Cơ quan khác chuyển đến")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Mới tiếp nhận")
        ACCEPTED = "accepted", _("Đã thụ lý")
        VERIFYING = "verifying", _("Đang xác minh")
        RESOLVED = "resolved", _("Đã giải quyết")
        REJECTED = "rejected", _("Không thụ lý")

    class Outcome(models.TextChoices):
        SUBSTANTIATED = "substantiated", _("Có cơ sở")
        CASE = "case", _("Có cơ sở, đã lập vụ việc")
        NOT_SUBSTANTIATED = "not_substantiated", _("Không có cơ sở")
        DUPLICATE = "duplicate", _("Trùng tin báo khác")
        OUT_OF_SCOPE = "out_of_scope", _("Không thuộc phạm vi")

    OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.VERIFYING)
    CLOSED_STATUSES = (Status.RESOLVED, Status.REJECTED)

    code = models.CharField(_("Mã tin báo"), max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64, blank=True, editable=False)
    channel = models.CharField(
        _("Kênh tiếp nhận"), max_length=15, choices=Channel.choices, default=Channel.ONLINE
    )
    transferred_from = models.CharField(_("Cơ quan chuyển đến"), max_length=200, blank=True)

    description = models.TextField(_("Nội dung"))
    description_folded = models.TextField(editable=False, default="")
    unit = models.ForeignKey(
        AdministrativeUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tips",
        verbose_name=_("Xã, phường"),
    )
    location = models.CharField(_("Địa chỉ, địa điểm"), max_length=300, blank=True)
    online_url = models.URLField(_("Đường dẫn trên mạng"), max_length=500, blank=True)
    online_url_key = models.CharField(max_length=500, blank=True, editable=False, db_index=True)
    goods_category = models.ForeignKey(
        GoodsCategory, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("Nhóm hàng")
    )
    violation_type = models.ForeignKey(
        ViolationType, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("Loại vi phạm")
    )
    field = models.ForeignKey(
        Field, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("Lĩnh vực")
    )

    anonymous = models.BooleanField(_("Ẩn danh"), default=True)
    # Fernet token of {"name", "phone", "email"}; empty for anonymous tips (docs/tips.md).
    contact_encrypted = models.TextField(blank=True, editable=False)

    status = models.CharField(_("Trạng thái"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    outcome = models.CharField(_("Kết quả"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("Lý do, kết luận"), blank=True)

    lead_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="lead_tips", verbose_name=_("Cơ quan chủ trì xử lý")
    )
    coordinating = models.ManyToManyField(
        Agency, blank=True, related_name="coordinating_tips", verbose_name=_("Cơ quan phối hợp")
    )
    group = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grouped",
        verbose_name=_("Nhóm cùng tin báo"),
    )

    received_at = models.DateTimeField(_("Tiếp nhận lúc"), default=timezone.now, db_index=True)
    accept_due = models.DateTimeField(_("Hạn thụ lý"))
    resolve_due = models.DateTimeField(_("Hạn giải quyết"))
    accepted_at = models.DateTimeField(_("Thụ lý lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("Kết thúc lúc"), null=True, blank=True)
    extended = models.BooleanField(_("Đã gia hạn"), default=False)
    extension_reason = models.TextField(_("Lý do gia hạn"), blank=True)

    # Marked by the handler; carried into the case made from the tip (the prosecution rate)
    signs_of_crime = models.BooleanField(_("Có dấu hiệu tội phạm"), default=False)
    case_id = models.BigIntegerField(_("Vụ việc"), null=True, blank=True)
    case_reference = models.CharField(_("Số vụ việc"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Cán bộ ghi nhận"),
    )

    audit_exclude = (
        "secret_hash",
        "contact_encrypted",
        "description_folded",
        "online_url_key",
        "created_at",
        "updated_at",
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["lead_agency", "status"]),
            models.Index(fields=["status", "accept_due"]),
            models.Index(fields=["status", "resolve_due"]),
            models.Index(fields=["unit", "goods_category", "received_at"]),
        ]
        verbose_name = _("tin báo")
        verbose_name_plural = _("tin báo")

    def __str__(self):
        return f"{self.code}"

    def get_absolute_url(self):
        return reverse("tips:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_encrypted)

    def overdue_kind(self, now=None) -> str:
        """ "accept" or "resolve" when a deadline has passed on an open tip, else ""."""
        now = now or timezone.now()
        if not self.is_open:
            return ""
        if self.accepted_at is None and self.accept_due < now:
            return "accept"
        if self.resolve_due < now:
            return "resolve"
        return ""


class TipMessage(AuditedModel):
    """A message between the tipster and the handling agency, or an internal note between staff."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="messages")
    from_tipster = models.BooleanField(default=False)
    internal = models.BooleanField(_("Ghi chú nội bộ"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("Nội dung"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("trao đổi về tin báo")
        verbose_name_plural = _("trao đổi về tin báo")


class TipAttachment(AuditedModel):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Ảnh")
        VIDEO = "video", _("Video")

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(storage=PrivateTipStorage(), upload_to="%Y/%m/", max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("tệp đính kèm tin báo")
        verbose_name_plural = _("tệp đính kèm tin báo")


class TipTransfer(AuditedModel):
    """One change of the handling agency, with its reason."""

    tip = models.ForeignKey(Tip, on_delete=models.CASCADE, related_name="transfers")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("Lý do chuyển"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("chuyển xử lý tin báo")
        verbose_name_plural = _("chuyển xử lý tin báo")
