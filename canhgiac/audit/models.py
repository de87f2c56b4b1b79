from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditEvent(models.Model):
    """One append-only audit event, written in the business transaction without any chain lock.

    The sealer (services.seal) later gives it its place `seq` in the chain and its `hash`, which
    covers every stored column (id, seq, content, request id, the chain id) and the previous
    event's hash, so editing or removing any sealed row breaks the chain (audit-verify)."""

    time = models.DateTimeField(_("Thời điểm"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        verbose_name=_("Người thực hiện"),
    )
    actor_label = models.CharField(_("Người thực hiện"), max_length=150, blank=True)
    agency_code = models.CharField(_("Cơ quan"), max_length=40, blank=True, db_index=True)
    action = models.CharField(_("Hành động"), max_length=80, db_index=True)
    object_type = models.CharField(_("Loại đối tượng"), max_length=80, blank=True, db_index=True)
    object_id = models.CharField(_("Mã đối tượng"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("Đối tượng"), max_length=200, blank=True)
    changes = models.JSONField(_("Thay đổi"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("Địa chỉ IP"), null=True, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    seq = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    hash = models.CharField(max_length=64, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_event_unsealed"),
        ]
        verbose_name = _("sự kiện nhật ký")
        verbose_name_plural = _("nhật ký hệ thống")

    def __str__(self):
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")


class AuditHead(models.Model):
    """The chain's identity and its sealed end: the chain id (made when the database is created),
    the number of sealed events and the last one's id and hash. Removing events at the end of the
    chain is detected against it; a rewound head against the anchors kept outside the database."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    chain_id = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField(null=True, blank=True)
    count = models.BigIntegerField(default=0)
    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self):
        return f"{self.chain_id} #{self.count}"
