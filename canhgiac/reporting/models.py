"""Periodic reporting: versioned report forms, reporting periods, submissions, exceptions,
the province report of a period and the mapping of violation types to the national groups."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from canhgiac.core.models import AuditedModel, TimeStampedModel
from canhgiac.directory.models import Agency


class ReportForm(AuditedModel, TimeStampedModel):
    """One version of a report form. Editing a form creates the next version; periods and their
    submissions keep pointing at the version they were opened with."""

    code = models.SlugField(_("Mã biểu mẫu"), max_length=40)
    version = models.PositiveIntegerField(_("Phiên bản"), default=1)
    name = models.CharField(_("Tên biểu mẫu"), max_length=200)
    is_current = models.BooleanField(_("Phiên bản đang dùng"), default=True)
    note = models.CharField(_("Ghi chú thay đổi"), max_length=300, blank=True)
    # The short code of the agency its reports are sent to ("SVHTTDL" for the 7.11 review of seed
    # 004); blank: the Standing Office, as every report of the plan. A province may name another
    # (settings.CANHGIAC_REPORT_RECIPIENTS), and a period carries the agency it resolved to.
    recipient_code = models.CharField(_("Cơ quan nhận báo cáo (mã)"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    audit_exclude = ("created_at", "updated_at")

    class Meta:
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="uniq_reportform_version")]
        verbose_name = _("biểu mẫu báo cáo")
        verbose_name_plural = _("biểu mẫu báo cáo")

    def __str__(self):
        return f"{self.name} (v{self.version})"


class Indicator(AuditedModel):
    class Unit(models.TextChoices):
        COUNT = "count", _("Số lượng")
        VND = "vnd", _("Đồng (VND)")

    class Disaggregation(models.TextChoices):
        NONE = "", _("Không chi tiết")
        VIOLATION_TYPE = "violation_type", _("Theo loại vi phạm")
        GOODS_CATEGORY = "goods_category", _("Theo nhóm hàng")
        AGENCY = "agency", _("Theo cơ quan")

    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(_("Mã chỉ tiêu"), max_length=40)
    label = models.CharField(_("Tên chỉ tiêu"), max_length=200)
    unit = models.CharField(_("Đơn vị"), max_length=10, choices=Unit.choices, default=Unit.COUNT)
    disaggregation = models.CharField(
        _("Chi tiết"), max_length=20, choices=Disaggregation.choices, blank=True
    )
    parent_code = models.SlugField(_("Là một phần của chỉ tiêu"), max_length=40, blank=True)
    required = models.BooleanField(_("Bắt buộc"), default=True)
    order = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)
    help_text = models.CharField(_("Chỉ tiêu gồm những gì"), max_length=400, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "code"], name="uniq_indicator_code")]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")

    def __str__(self):
        return self.label


class Section(AuditedModel):
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="sections")
    code = models.SlugField(_("Mã mục"), max_length=40)
    title = models.CharField(_("Tên mục"), max_length=200)
    required = models.BooleanField(_("Bắt buộc"), default=True)
    order = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["form", "code"], name="uniq_section_code")]
        verbose_name = _("mục báo cáo")
        verbose_name_plural = _("mục báo cáo")

    def __str__(self):
        return self.title


class Period(AuditedModel, TimeStampedModel):
    class Kind(models.TextChoices):
        MONTHLY = "monthly", _("Tháng")
        QUARTERLY = "quarterly", _("Quý")
        SIX_MONTHLY = "six_monthly", _("6 tháng")
        YEARLY = "yearly", _("Năm")
        MID_TERM = "mid_term", _("Sơ kết")
        FINAL = "final", _("Tổng kết")
        CAMPAIGN = "campaign", _("Đợt cao điểm")

    class Cutoff(models.TextChoices):
        DECREE_09 = "decree09", _("Theo Nghị định 09/2019/NĐ-CP (ngày 15 kỳ trước đến ngày 14)")
        CALENDAR = "calendar", _("Theo lịch (ngày đầu đến ngày cuối kỳ)")
        CUSTOM = "custom", _("Tùy chỉnh")

    kind = models.CharField(_("Loại kỳ"), max_length=15, choices=Kind.choices)
    name = models.CharField(_("Tên kỳ báo cáo"), max_length=200)
    campaign = models.CharField(
        _("Đợt cao điểm"),
        max_length=200,
        blank=True,
        help_text=_("Các kỳ của cùng một đợt cao điểm mang cùng tên đợt."),
    )
    form = models.ForeignKey(
        ReportForm, on_delete=models.PROTECT, related_name="periods", verbose_name=_("Biểu mẫu")
    )
    cutoff = models.CharField(
        _("Cách chốt số liệu"), max_length=10, choices=Cutoff.choices, default=Cutoff.DECREE_09
    )
    data_from = models.DateField(_("Số liệu từ ngày"))
    data_to = models.DateField(_("Số liệu đến ngày"))
    deadline = models.DateField(_("Hạn gửi của cơ quan, xã"))
    office_deadline = models.DateField(_("Hạn báo cáo của Cơ quan Thường trực"))
    expiry_days = models.PositiveSmallIntegerField(
        _("Khóa sau hạn (ngày)"),
        default=10,
        help_text=_("Số ngày sau hạn gửi mà biểu mẫu còn mở; 0 là khóa ngay khi hết hạn."),
    )
    # The province whose agencies report and whose Standing Office consolidates.
    province = models.ForeignKey(
        "directory.AdministrativeUnit",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Tỉnh"),
    )
    submitters = models.ManyToManyField(
        Agency, related_name="reporting_periods", verbose_name=_("Đơn vị báo cáo")
    )
    # The agency the submissions are sent to when it is not the Standing Office (null): it sees
    # and receives them (reporting.rules), the Standing Office keeps its own view.
    recipient = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_periods",
        verbose_name=_("Cơ quan nhận báo cáo"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    audit_exclude = ("created_at", "updated_at")

    class Meta:
        ordering = ["-data_to", "kind"]
        indexes = [models.Index(fields=["deadline"]), models.Index(fields=["kind", "data_to"])]
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")

    def __str__(self):
        return self.name

    @property
    def recipient_name(self) -> str:
        return self.recipient.name if self.recipient_id else str(_("Cơ quan Thường trực"))


class Submission(AuditedModel, TimeStampedModel):
    """One submitter's report for one period.

    `values` holds {indicator code: whole number}; `breakdown` {indicator code: {part code: n}};
    `prefill` the system's figures when the report was opened ({code: n or null}, null meaning the
    system has no figure); `reasons` {indicator code: why the entered figure differs}."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang soạn")
        SUBMITTED = "submitted", _("Chờ lãnh đạo duyệt")
        APPROVED = "approved", _("Đã gửi Cơ quan Thường trực")
        ACCEPTED = "accepted", _("Đã tiếp nhận")
        RETURNED = "returned", _("Bị trả lại")

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("Kỳ báo cáo")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="report_submissions", verbose_name=_("Đơn vị báo cáo")
    )
    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField(_("Trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    values = models.JSONField(default=dict, blank=True)
    breakdown = models.JSONField(default=dict, blank=True)
    prefill = models.JSONField(default=dict, blank=True)
    prefill_breakdown = models.JSONField(default=dict, blank=True)
    reasons = models.JSONField(default=dict, blank=True)
    narrative = models.JSONField(default=dict, blank=True)
    prefilled_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(_("Trình lãnh đạo lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("Gửi Cơ quan Thường trực lúc"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("Cơ quan Thường trực xử lý lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(_("Ý kiến"), blank=True)

    audit_exclude = ("created_at", "updated_at")

    class Meta:
        ordering = ["period", "agency__kind", "agency__code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "agency"], name="uniq_submission_period_agency")
        ]
        indexes = [models.Index(fields=["period", "status"])]
        verbose_name = _("báo cáo của đơn vị")
        verbose_name_plural = _("báo cáo của đơn vị")

    def __str__(self):
        return f"{self.agency} — {self.period}"

    @property
    def is_reported(self) -> bool:
        """Sent to the Standing Office (approved by the agency's leader), and not returned."""
        return self.status in (self.Status.APPROVED, self.Status.ACCEPTED)


class SubmissionException(AuditedModel):
    """A coordinator re-opens a locked period for one submitter until a date."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="exceptions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("Đơn vị"))
    until = models.DateField(_("Mở đến ngày"))
    reason = models.CharField(_("Lý do"), max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("gia hạn báo cáo")
        verbose_name_plural = _("gia hạn báo cáo")

    def __str__(self):
        return f"{self.agency} — {self.period} — {self.until}"


class ProvinceReport(AuditedModel, TimeStampedModel):
    """The Standing Office's consolidated report of one period: its number and edited narrative."""

    period = models.OneToOneField(Period, on_delete=models.CASCADE, related_name="province_report")
    number = models.CharField(_("Số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("Ngày ban hành"), null=True, blank=True)
    narrative = models.JSONField(default=dict, blank=True)
    signer_title = models.CharField(_("Chức vụ người ký"), max_length=120, blank=True)
    signer_name = models.CharField(_("Người ký"), max_length=120, blank=True)
    recipients = models.TextField(_("Nơi nhận"), blank=True)

    audit_exclude = ("created_at", "updated_at")

    class Meta:
        verbose_name = _("báo cáo tổng hợp của tỉnh")
        verbose_name_plural = _("báo cáo tổng hợp của tỉnh")

    def __str__(self):
        return f"{self.number or '—'} — {self.period}"


class NationalGroup(AuditedModel):
    """One of the groups national 389 reports use; `violation_types` lists the codes it adds up."""

    number = models.PositiveSmallIntegerField(_("Số thứ tự"), unique=True)
    name = models.CharField(_("Tên nhóm"), max_length=200)
    violation_types = models.JSONField(_("Loại vi phạm thuộc nhóm"), default=list)

    class Meta:
        ordering = ["number"]
        verbose_name = _("nhóm báo cáo quốc gia")
        verbose_name_plural = _("nhóm báo cáo quốc gia")

    def __str__(self):
        return f"({self.number}) {self.name}"


class ConsolidatedSnapshot(models.Model):
    """The consolidated figures of a period (or of a bare window of a province), computed by a
    background task and served as they are to the consolidated page and the API, so a request
    does not add up the reports and the system's figures itself (consolidation.py, "Snapshots").
    Derived data, rebuilt from audited records at any time: not audited itself.

    `key` is "period:<pk>" or "window:<province code>:<from>:<to>". `version` grows with every
    change that makes the figures stale; a refresh stores its result as fresh only if no change
    came while it ran (otherwise it stays stale and another refresh is queued)."""

    key = models.CharField(max_length=80, unique=True)
    period = models.OneToOneField(
        Period, on_delete=models.CASCADE, null=True, blank=True, related_name="snapshot"
    )
    data = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    stale = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=0)
    # the refresh job under way (its progress is shown on the page), if any
    job = models.ForeignKey("core.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("số liệu tổng hợp đã tính")
        verbose_name_plural = _("số liệu tổng hợp đã tính")

    def __str__(self):
        return self.key
