"""Action plans: plans, task groups, tasks with schedules, checkpoints, progress updates."""

import re
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from canhgiac.core.models import AuditedModel, TimeStampedModel
from canhgiac.core.text import fold, shorten
from canhgiac.directory.models import AdministrativeUnit, Agency

# Pseudo-codes of the plan format (docs/plan-format.md): the departments and forces ("các sở,
# ngành": not the Fatherland Front, which supervises, nor the press), every commune, the border
# communes (the `border` flag of their unit).
ALL_MEMBERS = "ALL_MEMBERS"
COMMUNES = "COMMUNES"
BORDER_COMMUNES = "BORDER_COMMUNES"
PSEUDO_CODES = (ALL_MEMBERS, COMMUNES, BORDER_COMMUNES)
PSEUDO_LABELS = {
    ALL_MEMBERS: _("Các sở, ngành, lực lượng thành viên (không gồm Ủy ban MTTQ và báo chí)"),
    COMMUNES: _("UBND các xã, phường"),
    BORDER_COMMUNES: _("UBND các xã biên giới"),
}


# A reference line copied from a draft: "số /QĐ-UBND", "ngày tháng 12 năm", "Số: /TB-VP".
_BLANK_REF = re.compile(r"(số:?\s+/|ngày\s+tháng|ngày\s*$|tháng\s+năm)", re.IGNORECASE)


def _private_path(folder: str, filename: str) -> str:
    """Files are served only through permission-checked views; an unguessable folder keeps them
    private even where a web server exposes MEDIA_ROOT by mistake, and the name stays readable."""
    from django.utils import timezone

    return f"plans/{folder}/{timezone.now():%Y}/{uuid.uuid4().hex}/{PurePath(filename).name}"


def evidence_path(instance, filename):
    return _private_path("evidence", filename)


def document_path(instance, filename):
    return _private_path("documents", filename)


class Plan(AuditedModel, TimeStampedModel):
    """A provincial plan (or a notice assigning tasks), or an agency's own plan derived from one."""

    code = models.SlugField(_("Mã kế hoạch"), max_length=80, unique=True)
    title = models.CharField(_("Tên kế hoạch"), max_length=500)
    title_folded = models.CharField(max_length=500, editable=False, db_index=True)
    document_type = models.CharField(_("Loại văn bản"), max_length=60, blank=True)
    document_number = models.CharField(_("Số hiệu văn bản"), max_length=60, blank=True)
    document_date = models.DateField(_("Ngày ban hành"), null=True, blank=True)
    document_ref_text = models.CharField(_("Dòng số, ngày như văn bản"), max_length=300, blank=True)
    document_file = models.FileField(_("Văn bản ban hành"), upload_to=document_path, blank=True)
    issuing_body = models.CharField(_("Cơ quan ban hành"), max_length=200)
    province = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="plans", verbose_name=_("Tỉnh")
    )
    start = models.DateField(_("Từ ngày"))
    end = models.DateField(_("Đến ngày"))
    owner_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="owned_plans", verbose_name=_("Cơ quan theo dõi")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("Kế hoạch cấp trên"),
    )
    # Set on an agency's own plan (derived from `parent`): the agency that issues it.
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agency_plans",
        verbose_name=_("Kế hoạch của cơ quan"),
    )
    legal_basis = models.JSONField(_("Căn cứ"), default=list, blank=True)
    reporting = models.JSONField(_("Chế độ báo cáo"), default=list, blank=True)
    sources = models.JSONField(default=list, blank=True)

    audit_exclude = ("title_folded", "created_at", "updated_at")

    class Meta:
        ordering = ["-start", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "agency"],
                condition=models.Q(agency__isnull=False),
                name="uniq_agency_plan_per_parent",
            )
        ]
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")

    def citation(self) -> str:
        """The plan named as a document cites it ("Kế hoạch ban hành kèm theo Quyết định số
        02490/QĐ-UBND ngày 29/12/2025 của Ủy ban nhân dân tỉnh Đắk Lắk"), never with blanks
        ("số /QĐ-UBND ngày tháng") nor a doubled "của"."""
        kind = self.document_type or "Kế hoạch"
        ref = " ".join((self.document_ref_text or "").split())
        if ref and not _BLANK_REF.search(ref):
            text = f"{kind} {ref[0].lower()}{ref[1:]}" if ref.startswith("Ban hành") else ref
        elif self.document_number:
            text = f"{kind} số {self.document_number}"
            if self.document_date:
                text += f" ngày {self.document_date:%d/%m/%Y}"
        else:
            text = f"{kind} {self.title}" if not self.title.startswith(kind) else self.title
        if " của " not in f" {text} " and self.issuing_body:
            text += f" của {self.issuing_body}"
        return text

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title_folded = fold(self.title)
        super().save(*args, **kwargs)

    @property
    def is_issued(self) -> bool:
        """An agency plan counts as issued once its signed document is attached."""
        return bool(self.document_file)


class TaskGroup(AuditedModel):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="groups", verbose_name=_("Kế hoạch")
    )
    code = models.CharField(_("Số thứ tự"), max_length=20)
    title = models.TextField(_("Nhiệm vụ, giải pháp"))
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="uniq_taskgroup_code")]
        verbose_name = _("nhóm nhiệm vụ")
        verbose_name_plural = _("nhóm nhiệm vụ")

    def __str__(self):
        return f"{self.code}. {shorten(self.title, 80)}"


class Task(AuditedModel, TimeStampedModel):
    class Kind(models.TextChoices):
        ONCE = "once", _("Một lần")
        YEARLY = "yearly", _("Hằng năm")
        QUARTERLY = "quarterly", _("Hằng quý")
        MONTHLY = "monthly", _("Hằng tháng")
        REGULAR = "regular", _("Thường xuyên")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("Kế hoạch"))
    group = models.ForeignKey(
        TaskGroup, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("Nhóm")
    )
    code = models.CharField(_("Số thứ tự"), max_length=20)
    order = models.PositiveIntegerField(default=0)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="focus_items",
        verbose_name=_("Thuộc nhiệm vụ"),
    )
    source_task = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derived_tasks",
        verbose_name=_("Nhiệm vụ gốc"),
    )
    action = models.TextField(_("Hành động cụ thể"))
    action_folded = models.TextField(editable=False, default="")
    footnote = models.TextField(_("Chú thích"), blank=True)
    expected_output = models.TextField(_("Kết quả, sản phẩm"), blank=True)
    deadline_text = models.CharField(_("Thời hạn (như văn bản)"), max_length=300, blank=True)
    schedule_kind = models.CharField(_("Lịch thực hiện"), max_length=10, choices=Kind.choices)
    due_date = models.DateField(_("Hạn hoàn thành"), null=True, blank=True)
    start_date = models.DateField(_("Bắt đầu"), null=True, blank=True)
    initial_due = models.DateField(_("Hạn lần đầu"), null=True, blank=True)
    checkpoint_day = models.CharField(_("Ngày kiểm điểm hằng năm (tháng-ngày)"), max_length=5, blank=True)
    lead_codes = models.JSONField(_("Mã cơ quan chủ trì"), default=list, blank=True)
    coordinating_codes = models.JSONField(_("Mã cơ quan phối hợp"), default=list, blank=True)
    lead_text = models.TextField(_("Cơ quan chủ trì (như văn bản)"), blank=True)
    coordinating_text = models.TextField(_("Cơ quan phối hợp (như văn bản)"), blank=True)
    other_bodies = models.JSONField(_("Cơ quan khác (không có mã)"), default=list, blank=True)
    # Codes taken out of the pseudo-codes' expansion ("các sở, ngành thành viên khác": the others).
    exclude_codes = models.JSONField(_("Mã cơ quan loại trừ"), default=list, blank=True)
    lead_reading = models.TextField(_("Cách đọc cơ quan chủ trì"), blank=True)
    lead_agencies = models.ManyToManyField(
        Agency, blank=True, related_name="led_tasks", verbose_name=_("Cơ quan chủ trì")
    )
    coordinating_agencies = models.ManyToManyField(
        Agency, blank=True, related_name="coordinated_tasks", verbose_name=_("Cơ quan phối hợp")
    )
    responsible_person = models.CharField(_("Người chịu trách nhiệm"), max_length=200, blank=True)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_tasks",
        verbose_name=_("Cán bộ phụ trách"),
    )
    needs_assignment = models.BooleanField(_("Cần phân công cơ quan chủ trì"), default=False)
    # Set when the Standing Office names the lead agencies itself: a re-import keeps its choice.
    lead_assigned = models.BooleanField(_("Chủ trì do Cơ quan Thường trực phân công"), default=False)

    audit_exclude = ("action_folded", "created_at", "updated_at")

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="uniq_task_code")]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")

    def __str__(self):
        return f"{self.code}. {self.action[:80]}"

    def save(self, *args, **kwargs):
        self.action_folded = fold(self.action)
        super().save(*args, **kwargs)


class Checkpoint(AuditedModel):
    """One due date of a task: the single deadline of a one-off task, or one period of a recurring one."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="checkpoints", verbose_name=_("Nhiệm vụ")
    )
    due_date = models.DateField(_("Hạn"), db_index=True)
    period_start = models.DateField(_("Từ ngày"), null=True, blank=True)

    class Meta:
        ordering = ["task", "due_date"]
        constraints = [models.UniqueConstraint(fields=["task", "due_date"], name="uniq_checkpoint_due")]
        verbose_name = _("mốc kiểm điểm")
        verbose_name_plural = _("mốc kiểm điểm")

    def __str__(self):
        return f"{self.task.code} — {self.due_date:%d/%m/%Y}"


class Update(AuditedModel):
    """A progress report by one lead agency on one checkpoint. The latest one is the current state."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("Đang thực hiện")
        DONE = "done", _("Đã hoàn thành")

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.CASCADE, related_name="updates", verbose_name=_("Mốc kiểm điểm")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="plan_updates", verbose_name=_("Cơ quan")
    )
    status = models.CharField(_("Tình trạng"), max_length=12, choices=Status.choices)
    percent = models.PositiveSmallIntegerField(_("Tỷ lệ hoàn thành (%)"), default=0)
    narrative = models.TextField(_("Kết quả thực hiện"))
    completed_on = models.DateField(_("Ngày hoàn thành"), null=True, blank=True)
    evidence_file = models.FileField(_("Tệp minh chứng"), upload_to=evidence_path, blank=True)
    evidence_number = models.CharField(_("Số văn bản minh chứng"), max_length=60, blank=True)
    evidence_date = models.DateField(_("Ngày văn bản minh chứng"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="plan_updates",
        verbose_name=_("Người cập nhật"),
    )
    created_at = models.DateTimeField(_("Cập nhật lúc"), auto_now_add=True)
    reported_on = models.DateField(_("Ngày báo cáo"), db_index=True)

    class Meta:
        ordering = ["checkpoint", "agency", "reported_on", "id"]
        indexes = [models.Index(fields=["checkpoint", "agency"])]
        verbose_name = _("cập nhật tiến độ")
        verbose_name_plural = _("cập nhật tiến độ")

    def __str__(self):
        return f"{self.checkpoint} — {self.agency} — {self.get_status_display()}"
