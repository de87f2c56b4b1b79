"""The goods database (issue 13): businesses as external accounts and the product registry."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from canhgiac.core.models import AuditedModel, TimeStampedModel
from canhgiac.core.text import fold


class Business(AuditedModel, TimeStampedModel):
    """A manufacturer, importer or distributor: an organisation identified by its tax code (mã số
    thuế, checked by python-stdnum's `vn.mst`), in a commune of a province. Its users sign in to
    the business area and hold API tokens; they see and change only the business's own data.
    The organisation subject of the subjects app is found by the same tax code (no link is
    stored: that app is being rebuilt)."""

    tax_code = models.CharField(_("Mã số thuế"), max_length=14, unique=True)
    name = models.CharField(_("Tên doanh nghiệp"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    address = models.CharField(_("Địa chỉ"), max_length=300, blank=True)
    unit = models.ForeignKey(
        "directory.AdministrativeUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Xã, phường"),
    )
    province = models.ForeignKey(
        "directory.AdministrativeUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Tỉnh, thành phố"),
        editable=False,
    )
    email = models.EmailField(_("Thư điện tử"), blank=True)
    is_active = models.BooleanField(_("Còn hoạt động"), default=True)

    audit_exclude = ("name_folded",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("doanh nghiệp")
        verbose_name_plural = _("doanh nghiệp")

    def __str__(self):
        return f"{self.name} ({self.tax_code})"

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        self.province_id = self.unit.parent_id or self.unit_id
        super().save(*args, **kwargs)


class BusinessMember(AuditedModel, TimeStampedModel):
    """A user acting for a business (the business principal of core.policy)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="business_memberships",
        verbose_name=_("Người dùng"),
    )
    business = models.ForeignKey(
        Business, on_delete=models.CASCADE, related_name="members", verbose_name=_("Doanh nghiệp")
    )
    is_active = models.BooleanField(_("Còn hiệu lực"), default=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["user", "business"], name="uniq_business_member")]
        verbose_name = _("người dùng của doanh nghiệp")
        verbose_name_plural = _("người dùng của doanh nghiệp")

    def __str__(self):
        return f"{self.user} — {self.business}"


class Product(AuditedModel, TimeStampedModel):
    """A registered product, identified by its GTIN (kept as 14 digits, the form GS1 Digital Link
    uses; a GTIN-8/12/13 is padded with zeros on the left)."""

    class Status(models.TextChoices):
        ON_SALE = "on_sale", _("Đang lưu hành")
        WITHDRAWN = "withdrawn", _("Ngừng lưu hành")
        RECALLED = "recalled", _("Bị thu hồi")

    gtin = models.CharField(_("Mã GTIN"), max_length=14, unique=True)
    name = models.CharField(_("Tên sản phẩm"), max_length=300)
    name_folded = models.CharField(max_length=300, editable=False, db_index=True)
    brand = models.CharField(_("Nhãn hiệu"), max_length=200, blank=True)
    category = models.ForeignKey(
        "directory.GoodsCategory",
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("Nhóm hàng"),
    )
    owner = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="products", verbose_name=_("Doanh nghiệp sở hữu")
    )
    registration_no = models.CharField(_("Số đăng ký / số công bố"), max_length=100, blank=True)
    # A registration number that is blank or off its known format is a warning, never a refusal.
    registration_warning = models.CharField(max_length=300, blank=True, editable=False)
    reference_price_vnd = models.BigIntegerField(_("Giá bán lẻ tham khảo (đồng)"), null=True, blank=True)
    status = models.CharField(_("Tình trạng"), max_length=10, choices=Status.choices, default=Status.ON_SALE)
    image = models.FileField(_("Ảnh sản phẩm"), upload_to="goods/products/%Y/%m/", blank=True)
    distributors = models.ManyToManyField(
        Business,
        blank=True,
        related_name="distributed_products",
        verbose_name=_("Nhà phân phối được ủy quyền"),
    )

    audit_exclude = ("name_folded",)

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["owner", "name"], name="goods_product_owner_idx"),
            models.Index(fields=["category", "status"], name="goods_product_cat_idx"),
        ]
        verbose_name = _("sản phẩm")
        verbose_name_plural = _("sản phẩm")

    def __str__(self):
        return f"{self.name} ({self.gtin})"

    def save(self, *args, **kwargs):
        self.name_folded = fold(f"{self.name} {self.brand}")
        super().save(*args, **kwargs)


class SigningKey(AuditedModel, TimeStampedModel):
    """An Ed25519 key of a province signing its serial codes (item 4). One key is active (it signs
    new codes); a retired key no longer signs but still verifies the codes it signed (rotation);
    a revoked key verifies nothing (compromise). The private key is stored encrypted with
    settings.GOODS_KEY_ENCRYPTION_KEYS (Fernet); the public key is published in the JWK set."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang dùng")
        RETIRED = "retired", _("Đã thay (vẫn dùng để kiểm tra)")
        REVOKED = "revoked", _("Đã thu hồi")

    province = models.ForeignKey(
        "directory.AdministrativeUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Tỉnh, thành phố"),
    )
    kid = models.CharField(_("Mã khóa (kid)"), max_length=16, unique=True)
    public_key = models.CharField(_("Khóa công khai (base64url)"), max_length=64)
    private_key_encrypted = models.TextField(editable=False)
    status = models.CharField(_("Tình trạng"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    retired_at = models.DateTimeField(_("Thay lúc"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("Thu hồi lúc"), null=True, blank=True)
    revoked_reason = models.CharField(_("Lý do thu hồi"), max_length=300, blank=True)

    audit_exclude = ("private_key_encrypted",)

    class Meta:
        ordering = ["province", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["province"], condition=models.Q(status="active"), name="goods_one_active_key"
            )
        ]
        verbose_name = _("khóa ký mã")
        verbose_name_plural = _("khóa ký mã")

    def __str__(self):
        return f"{self.kid} ({self.get_status_display()})"


class CodeBatch(AuditedModel, TimeStampedModel):
    """A batch of signed serial codes for one product and lot, asked for by its business."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang cấp")
        ISSUED = "issued", _("Đã cấp")
        FAILED = "failed", _("Lỗi")

    business = models.ForeignKey(
        Business, on_delete=models.PROTECT, related_name="code_batches", verbose_name=_("Doanh nghiệp")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="code_batches", verbose_name=_("Sản phẩm")
    )
    lot = models.CharField(_("Số lô"), max_length=20)
    count = models.PositiveIntegerField(_("Số mã"))
    key = models.ForeignKey(
        SigningKey, on_delete=models.PROTECT, related_name="batches", verbose_name=_("Khóa ký"), null=True
    )
    status = models.CharField(_("Tình trạng"), max_length=8, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người yêu cầu"),
    )
    issued_at = models.DateTimeField(_("Cấp lúc"), null=True, blank=True)
    job_id = models.CharField(max_length=64, blank=True, editable=False)
    message = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["business", "-created_at"], name="goods_batch_business_idx")]
        verbose_name = _("lô mã")
        verbose_name_plural = _("lô mã")

    def __str__(self):
        return f"{self.product.gtin} / {self.lot} × {self.count}"


class SerialCode(AuditedModel):
    """One issued serial (AI 21) of a product and lot. Written in bulk (core.bulk.insert_rows; one
    audit event per batch); a business's marks (sold, destroyed, stolen, expired) are audited per
    request with audit.record_many."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang lưu hành")
        SOLD = "sold", _("Đã bán")
        DESTROYED = "destroyed", _("Đã tiêu hủy")
        STOLEN = "stolen", _("Bị mất cắp")
        EXPIRED = "expired", _("Hết hạn")

    batch = models.ForeignKey(CodeBatch, on_delete=models.CASCADE, related_name="codes")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+", db_index=False)
    lot = models.CharField(max_length=20)
    serial = models.CharField(max_length=20)
    status = models.CharField(max_length=9, choices=Status.choices, default=Status.ACTIVE)
    status_at = models.DateTimeField(null=True, blank=True)
    status_unit = models.ForeignKey(
        "directory.AdministrativeUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status_note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        # serial first: the one index answers the check (serial, product, lot) and a business's
        # marks (serial alone); a second index on random serials would double the cost of issuing
        constraints = [
            models.UniqueConstraint(fields=["serial", "product", "lot"], name="goods_serial_unique"),
        ]
        verbose_name = _("mã sê-ri")
        verbose_name_plural = _("mã sê-ri")

    def __str__(self):
        return f"{self.product_id}/{self.lot}/{self.serial}"


class CodeCheck(models.Model):
    """One public check (item 5): a fact of high volume, written once and never changed, hence not
    audited row by row (docs/goods.md). No IP, no personal data: the time, the commune the user
    chose (or none), the answer."""

    checked_at = models.DateTimeField(_("Thời điểm"), db_index=True)
    unit = models.ForeignKey(
        "directory.AdministrativeUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Xã, phường"),
    )
    province = models.ForeignKey(
        "directory.AdministrativeUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Tỉnh, thành phố"),
    )
    status = models.CharField(_("Kết quả"), max_length=16, db_index=True)
    reasons = models.CharField(_("Mã lý do"), max_length=100, blank=True)
    product = models.ForeignKey(Product, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    code = models.ForeignKey(SerialCode, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    lot = models.CharField(max_length=20, blank=True)
    serial = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["code", "checked_at"], name="goods_check_code_idx")]
        verbose_name = _("lượt kiểm tra mã")
        verbose_name_plural = _("lượt kiểm tra mã")

    def __str__(self):
        return f"{self.checked_at:%d/%m/%Y %H:%M} {self.status}"


class Recall(AuditedModel, TimeStampedModel):
    """A recall of a whole product (blank lot) or of one lot of it, recorded by an officer of the
    lead agency of the product's field. While active it makes the public check answer `recalled`;
    a whole-product recall also sets the product's status to recalled. Lifting keeps the row."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang thu hồi")
        LIFTED = "lifted", _("Đã chấm dứt thu hồi")

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="recalls", verbose_name=_("Sản phẩm")
    )
    # GS1 AI (10) batch/lot: case-sensitive, up to 20 characters; blank = the whole product.
    lot = models.CharField(_("Số lô"), max_length=20, blank=True)
    reason = models.TextField(_("Lý do thu hồi"))
    agency = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Cơ quan ra quyết định"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Cán bộ ghi nhận"),
    )
    issued_on = models.DateField(_("Ngày thu hồi"))
    status = models.CharField(_("Trạng thái"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    lifted_on = models.DateField(_("Ngày chấm dứt"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Cán bộ chấm dứt"),
    )
    lift_reason = models.TextField(_("Lý do chấm dứt"), blank=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [
            # active_recall(): one indexed look-up per check
            models.Index(fields=["product", "status", "lot"], name="goods_recall_active_idx"),
            models.Index(fields=["-issued_on", "-id"], name="goods_recall_feed_idx"),
        ]
        verbose_name = _("quyết định thu hồi")
        verbose_name_plural = _("quyết định thu hồi")

    def __str__(self):
        what = f"{self.product.name} — {_('lô')} {self.lot}" if self.lot else self.product.name
        return f"{_('Thu hồi')}: {what}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def get_absolute_url(self) -> str:
        """The product's public page (GS1 Digital Link resolver), which shows its recalls."""
        from django.urls import reverse

        if self.lot:
            return reverse("goods_dl:lot", args=[self.product.gtin, self.lot])
        return reverse("goods_dl:gtin", args=[self.product.gtin])


class ProductWarning(AuditedModel, TimeStampedModel):
    """A warning about a registered product shown to everyone (product page, public check, feed):
    drawn from a case's counterfeit goods line, or written by hand."""

    class Source(models.TextChoices):
        CASE = "case", _("Từ vụ việc")
        MANUAL = "manual", _("Nhập trực tiếp")

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="warnings", verbose_name=_("Sản phẩm")
    )
    text = models.TextField(_("Nội dung cảnh báo"))
    source = models.CharField(_("Nguồn"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    case_goods = models.ForeignKey(
        "cases.CaseGoods",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Dòng hàng hóa của vụ việc"),
    )
    agency = models.ForeignKey(
        "directory.Agency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Cơ quan cảnh báo"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Cán bộ ghi nhận"),
    )
    is_active = models.BooleanField(_("Còn hiệu lực"), default=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["product", "is_active"], name="goods_warning_product_idx")]
        constraints = [
            # one warning per case goods line (idempotent "warn from this line")
            models.UniqueConstraint(
                fields=["case_goods"],
                condition=models.Q(case_goods__isnull=False),
                name="uniq_goods_warning_case_goods",
            )
        ]
        verbose_name = _("cảnh báo sản phẩm")
        verbose_name_plural = _("cảnh báo sản phẩm")

    def __str__(self):
        return f"{_('Cảnh báo')}: {self.product.name}"


from canhgiac.goods.epcis.models import EpcisEpc, EpcisEvent  # noqa: E402, F401  (issue 14, EPCIS)
