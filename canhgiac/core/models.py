import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class AuditedModel(models.Model):
    """Every create, change and delete of a subclass writes an audit event (canhgiac.audit).

    `audit_exclude` names fields left out of the recorded before/after (secrets, folded copies).
    """

    audit_exclude: tuple[str, ...] = ()

    class Meta:
        abstract = True


class Job(models.Model):
    """Progress of one long background job; tasks update it, pages poll it (HTMX)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang chạy")
        DONE = "done", _("Hoàn thành")
        FAILED = "failed", _("Lỗi")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("Loại"), max_length=50)
    title = models.CharField(_("Tên công việc"), max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    status = models.CharField(_("Trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    result = models.JSONField(default=dict, blank=True)
    # the process running it ("host:pid"), so a worker starting later can fail it if that one died
    worker = models.CharField(max_length=100, blank=True)
    # the uploaded file the job reads, deleted when the job ends or fails
    upload = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("công việc nền")
        verbose_name_plural = _("công việc nền")

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Notification(models.Model):
    """An in-app notice to one user (reminders, escalations); email is sent alongside when asked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=60, db_index=True)
    title = models.CharField(_("Tiêu đề"), max_length=200)
    body = models.TextField(_("Nội dung"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    # Identifies what the notice is about, so periodic jobs never send the same reminder twice.
    dedupe_key = models.CharField(max_length=200, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="uniq_notification_dedupe",
            )
        ]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")

    def __str__(self):
        return self.title


class WorkerHeartbeat(models.Model):
    """One row per running `canhgiac worker` (host:pid), touched every few seconds; /readyz
    answers 503 when workers have registered and none has beaten lately."""

    name = models.CharField(max_length=200, unique=True)
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("nhịp của tiến trình nền")
        verbose_name_plural = _("nhịp của tiến trình nền")

    def __str__(self):
        return self.name


class RateCounter(models.Model):
    """One rate-limit window of one source (canhgiac.core.ratelimit): a keyed hash, never an address."""

    key = models.CharField(max_length=64, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("bộ đếm giới hạn truy cập")
        verbose_name_plural = _("bộ đếm giới hạn truy cập")

    def __str__(self):
        return self.key
