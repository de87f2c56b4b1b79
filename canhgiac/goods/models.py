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


from canhgiac.goods.epcis.models import EpcisEpc, EpcisEvent  # noqa: E402, F401  (issue 14, EPCIS)
