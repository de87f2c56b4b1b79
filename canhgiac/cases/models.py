from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from canhgiac.core.models import AuditedModel, TimeStampedModel


class ReferenceCounter(models.Model):
    """Last case number issued per year (VV-<year>-<number>); rows are locked while numbers are taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class Case(AuditedModel, TimeStampedModel):
    """An enforcement case (vụ việc): a violation detected, its goods, subjects and handling."""

    class Status(models.TextChoices):
        DETECTED = "detected", _("Mới phát hiện")
        VERIFYING = "verifying", _("Đang xác minh")
        HANDLING = "handling", _("Đang xử lý")
        CLOSED = "closed", _("Đã kết thúc")

    class Outcome(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("Xử phạt vi phạm hành chính")
        CRIMINAL = "criminal", _("Khởi tố hình sự")
        TRANSFERRED = "transferred", _("Chuyển cơ quan khác")
        NO_VIOLATION = "no_violation", _("Không vi phạm")

    class Visibility(models.TextChoices):
        OWN = "own", _("Chỉ cơ quan chủ trì")
        SHARED = "shared", _("Chia sẻ với cơ quan được chọn")
        ALL = "all", _("Tất cả cơ quan thành viên")

    reference = models.CharField(_("Số hiệu vụ việc"), max_length=20, unique=True, editable=False)
    lead_agency = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,  # covered by case_*_detected_idx (its first column)
        verbose_name=_("Cơ quan phát hiện, chủ trì"),
    )
    participating_agencies = models.ManyToManyField(
        "directory.Agency", blank=True, related_name="participated_cases", verbose_name=_("Cơ quan phối hợp")
    )
    agency_ref = models.CharField(_("Số hồ sơ của cơ quan"), max_length=60, blank=True)
    detected_on = models.DateField(_("Ngày phát hiện"))
    unit = models.ForeignKey(
        "directory.AdministrativeUnit",
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,  # covered by case_*_detected_idx (its first column)
        verbose_name=_("Xã, phường"),
    )
    address = models.CharField(_("Địa chỉ nơi phát hiện"), max_length=300, blank=True)
    violation_type = models.ForeignKey(
        "directory.ViolationType",
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,  # covered by case_*_detected_idx (its first column)
        verbose_name=_("Hành vi vi phạm chính"),
    )
    other_violation_types = models.ManyToManyField(
        "directory.ViolationType", blank=True, related_name="+", verbose_name=_("Hành vi vi phạm khác")
    )
    summary = models.TextField(_("Tóm tắt vụ việc"))
    online_platform = models.CharField(_("Nền tảng trực tuyến"), max_length=100, blank=True)
    online_url = models.URLField(_("Đường dẫn trực tuyến"), max_length=500, blank=True)
    status = models.CharField(_("Trạng thái"), max_length=12, choices=Status.choices, default=Status.DETECTED)
    outcome = models.CharField(_("Kết quả xử lý"), max_length=15, choices=Outcome.choices, blank=True)
    visibility = models.CharField(
        _("Phạm vi chia sẻ"), max_length=8, choices=Visibility.choices, default=Visibility.OWN
    )
    shared_with = models.ManyToManyField(
        "directory.Agency", blank=True, related_name="shared_cases", verbose_name=_("Chia sẻ với")
    )
    sensitive = models.BooleanField(_("Vụ việc nhạy cảm (chỉ cơ quan chủ trì và Thường trực)"), default=False)
    origin = models.CharField(_("Nguồn"), max_length=100, blank=True)
    # The denominator of the prosecution rate (seed 004: 100 % of cases with signs of crime prosecuted)
    signs_of_crime = models.BooleanField(
        _("Hành vi hoặc hàng hóa có dấu hiệu tội phạm"), default=False, db_index=True
    )
    # Handling
    decision_no = models.CharField(_("Số quyết định xử lý"), max_length=60, blank=True)
    decision_date = models.DateField(_("Ngày quyết định"), null=True, blank=True)
    issuing_body = models.CharField(_("Cơ quan ra quyết định"), max_length=200, blank=True)
    fine_vnd = models.BigIntegerField(_("Tiền phạt (đồng)"), default=0)
    budget_revenue_vnd = models.BigIntegerField(_("Thu nộp ngân sách (đồng)"), default=0)
    defendants = models.PositiveIntegerField(_("Số bị can"), default=0)
    # Kept by services: the sum of the goods lines, and folded text for search.
    goods_value_vnd = models.BigIntegerField(_("Trị giá hàng hóa (đồng)"), default=0, editable=False)
    search_folded = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    audit_exclude = ("search_folded", "created_at", "updated_at")

    class Meta:
        ordering = ["-detected_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["lead_agency", "agency_ref"],
                condition=~models.Q(agency_ref=""),
                name="uniq_case_agency_ref",
            ),
        ]
        indexes = [
            models.Index(fields=["detected_on", "id"], name="case_detected_idx"),
            # case_figures_idx, the covering index the yearly figures read, is created by migration
            # 0004 on PostgreSQL only (SQLite has no INCLUDE and would warn on every command).
            models.Index(fields=["lead_agency", "detected_on"], name="case_agency_detected_idx"),
            models.Index(fields=["unit", "detected_on"], name="case_unit_detected_idx"),
            models.Index(fields=["violation_type", "detected_on"], name="case_type_detected_idx"),
            models.Index(fields=["outcome", "detected_on"], name="case_outcome_detected_idx"),
        ]
        verbose_name = _("vụ việc")
        verbose_name_plural = _("vụ việc")

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("cases:detail", args=[self.pk])

    @property
    def is_criminal(self) -> bool:
        return self.outcome == self.Outcome.CRIMINAL


class CaseGoods(AuditedModel):
    class Disposition(models.TextChoices):
        CONFISCATED = "confiscated", _("Tịch thu")
        DESTROYED = "destroyed", _("Tiêu hủy")
        RETURNED = "returned", _("Trả lại")
        SOLD = "sold", _("Bán đấu giá, bán sung công")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goods", verbose_name=_("Vụ việc"))
    goods_category = models.ForeignKey(
        "directory.GoodsCategory",
        on_delete=models.PROTECT,
        related_name="case_goods",
        verbose_name=_("Nhóm hàng"),
        db_index=False,  # covered by casegoods_cat_case_idx (its first column)
    )
    description = models.CharField(_("Mô tả hàng hóa"), max_length=300)
    brand = models.CharField(_("Nhãn hiệu / chủ thể quyền"), max_length=200, blank=True)
    quantity = models.DecimalField(_("Số lượng"), max_digits=16, decimal_places=3, null=True, blank=True)
    unit = models.CharField(_("Đơn vị tính"), max_length=30, blank=True)
    value_vnd = models.BigIntegerField(_("Trị giá (đồng)"), default=0)
    disposition = models.CharField(
        _("Xử lý tang vật"), max_length=12, choices=Disposition.choices, blank=True
    )
    # The registered product the line names (goods database, issue 13), found by its GTIN.
    product = models.ForeignKey(
        "goods.Product",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_lines",
        verbose_name=_("Sản phẩm đã đăng ký"),
    )
    # Kept by services.refresh_derived for the figures: the case's detection date, and whether this is
    # the case's first line of its category (so "cases by goods category" needs no DISTINCT).
    case_detected_on = models.DateField(null=True, editable=False)
    counts_category = models.BooleanField(default=False, editable=False)

    audit_exclude = ("case_detected_on", "counts_category")

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["goods_category", "case"], name="casegoods_cat_case_idx"),
            # casegoods_figures_idx (partial; covering on PostgreSQL) is created by migration 0004.
        ]
        verbose_name = _("dòng hàng hóa")
        verbose_name_plural = _("hàng hóa vi phạm")

    def __str__(self):
        return self.description


class CaseSubject(AuditedModel):
    class Role(models.TextChoices):
        OWNER = "owner", _("Chủ hàng")
        SELLER = "seller", _("Người bán")
        TRANSPORTER = "transporter", _("Người vận chuyển")
        ORGANISER = "organiser", _("Người tổ chức, cầm đầu")
        ACCOMPLICE = "accomplice", _("Đồng phạm, giúp sức")

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="subject_links",
        verbose_name=_("Vụ việc"),
        db_index=False,  # covered by uniq_case_subject_role (its first column)
    )
    subject = models.ForeignKey(
        "subjects.Subject", on_delete=models.PROTECT, related_name="case_links", verbose_name=_("Đối tượng")
    )
    role = models.CharField(_("Vai trò"), max_length=12, choices=Role.choices)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "subject", "role"], name="uniq_case_subject_role")
        ]
        verbose_name = _("đối tượng trong vụ việc")
        verbose_name_plural = _("đối tượng trong vụ việc")

    def __str__(self):
        return f"{self.subject} ({self.get_role_display()})"


def attachment_path(instance, filename):
    return f"cases/{instance.case_id}/{filename}"


class Attachment(AuditedModel):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Ảnh")
        DOCUMENT = "document", _("Văn bản PDF")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("Vụ việc")
    )
    file = models.FileField(_("Tệp"), upload_to=attachment_path, max_length=300)
    kind = models.CharField(_("Loại tệp"), max_length=10, choices=Kind.choices)
    original_name = models.CharField(_("Tên tệp gốc"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(_("Dung lượng (byte)"))
    description = models.CharField(_("Ghi chú"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self):
        return self.original_name


class Inspection(AuditedModel, TimeStampedModel):
    """A planned or done inspection of a business by an agency (checked for overlap across agencies)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Kế hoạch")
        DONE = "done", _("Đã kiểm tra")
        CANCELLED = "cancelled", _("Hủy")

    agency = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("Cơ quan kiểm tra"),
    )
    business = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("Cơ sở kinh doanh"),
    )
    unit = models.ForeignKey(
        "directory.AdministrativeUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Xã, phường"),
    )
    planned_on = models.DateField(_("Ngày dự kiến kiểm tra"))
    done_on = models.DateField(_("Ngày đã kiểm tra"), null=True, blank=True)
    status = models.CharField(_("Trạng thái"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    purpose = models.CharField(_("Nội dung kiểm tra"), max_length=300, blank=True)
    result = models.TextField(_("Kết quả"), blank=True)
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
        verbose_name=_("Vụ việc phát sinh"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    audit_exclude = ("created_at", "updated_at")

    class Meta:
        ordering = ["-planned_on", "-id"]
        indexes = [
            models.Index(fields=["business", "planned_on"], name="inspection_business_idx"),
            models.Index(fields=["agency", "planned_on"], name="inspection_agency_idx"),
        ]
        verbose_name = _("cuộc kiểm tra")
        verbose_name_plural = _("kiểm tra")

    def __str__(self):
        return f"{self.business} — {self.agency} — {self.planned_on:%d/%m/%Y}"

    @property
    def date(self):
        return self.done_on or self.planned_on


class Warning(AuditedModel, TimeStampedModel):
    """An anonymised public warning drawn from a handled case, published by the Standing Office."""

    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="warnings",
        verbose_name=_("Vụ việc gốc"),
    )
    title = models.CharField(_("Tiêu đề"), max_length=200)
    body = models.TextField(_("Nội dung cảnh báo"))
    goods_category = models.ForeignKey(
        "directory.GoodsCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Nhóm hàng"),
    )
    violation_type = models.ForeignKey(
        "directory.ViolationType",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Hành vi vi phạm"),
    )
    is_published = models.BooleanField(_("Đã công bố"), default=False)
    published_at = models.DateTimeField(_("Ngày công bố"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    audit_exclude = ("created_at", "updated_at")

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("cảnh báo công khai")
        verbose_name_plural = _("cảnh báo công khai")

    def __str__(self):
        return self.title
