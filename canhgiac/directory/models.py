from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from canhgiac.core.models import AuditedModel, TimeStampedModel
from canhgiac.core.text import fold

# Vietnam's extent with its islands (WGS 84 degrees): Lũng Cú is at 23.4° N, A Pa Chải at 102.1° E,
# the Trường Sa special zone reaches about 7.9° N and 117.8° E; a little margin either side.
LATITUDE_RANGE = (Decimal("7.5"), Decimal("24"))
LONGITUDE_RANGE = (Decimal("102"), Decimal("118"))


class AdministrativeUnit(AuditedModel):
    """A province (or centrally-run city) or one of its wards/communes (2025 two-tier structure)."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Tỉnh")
        CITY = "city", _("Thành phố trực thuộc trung ương")
        WARD = "ward", _("Phường")
        COMMUNE = "commune", _("Xã")
        SPECIAL_ZONE = "special_zone", _("Đặc khu")

    code = models.CharField(_("Mã"), max_length=10, unique=True)
    name = models.CharField(_("Tên"), max_length=120)
    name_folded = models.CharField(max_length=120, editable=False, db_index=True)
    kind = models.CharField(_("Cấp"), max_length=15, choices=Kind.choices)
    codename = models.CharField(max_length=80, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("Trực thuộc"),
    )
    border = models.BooleanField(_("Địa bàn biên giới"), default=False)
    # A representative point (the People's Committee's seat or the centroid), WGS 84 degrees:
    # reference data the deployment loads (`import-unit-locations`); none is shipped.
    latitude = models.DecimalField(
        _("Vĩ độ"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(LATITUDE_RANGE[0]), MaxValueValidator(LATITUDE_RANGE[1])],
    )
    longitude = models.DecimalField(
        _("Kinh độ"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(LONGITUDE_RANGE[0]), MaxValueValidator(LONGITUDE_RANGE[1])],
    )

    audit_exclude = ("name_folded",)

    class Meta:
        # Folded names sort as Vietnamese readers expect (Đ with D, Ô with O), unlike code points.
        ordering = ["name_folded"]
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")

    def __str__(self):
        return self.name

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def is_province(self) -> bool:
        return self.parent_id is None

    @property
    def province(self):
        return self if self.parent_id is None else self.parent

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)


class Agency(AuditedModel, TimeStampedModel):
    """A member agency of a provincial 389 committee, or a commune People's Committee."""

    class Kind(models.TextChoices):
        FORCE = "force", _("Lực lượng chức năng")
        DEPARTMENT = "department", _("Sở, ngành")
        MASS = "mass", _("Đoàn thể, báo chí")
        COMMUNE = "commune", _("UBND xã, phường")

    # The short code (QLTT, CA, UBND-<unit code>) is unique within a province; `key` qualifies it
    # with the province code ("66:QLTT") and is unique in the whole deployment, whatever the order
    # of CANHGIAC_PROVINCES.
    code = models.CharField(_("Mã"), max_length=40)
    key = models.CharField(_("Mã định danh"), max_length=60, unique=True, editable=False)
    name = models.CharField(_("Tên"), max_length=200)
    short_name = models.CharField(_("Tên viết tắt"), max_length=60, blank=True)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    kind = models.CharField(_("Loại"), max_length=15, choices=Kind.choices)
    province = models.ForeignKey(
        AdministrativeUnit, on_delete=models.PROTECT, related_name="province_agencies", verbose_name=_("Tỉnh")
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
        verbose_name=_("Xã, phường"),
    )
    is_standing_office = models.BooleanField(_("Cơ quan Thường trực BCĐ 389"), default=False)
    hotline = models.CharField(_("Đường dây nóng"), max_length=40, blank=True)
    email = models.EmailField(_("Thư điện tử"), blank=True)
    hotline_hours = models.CharField(_("Thời gian tiếp nhận"), max_length=120, blank=True)
    # When the agency's leaders last published their hotline (seed 004, 7.6): the Standing Office
    # follows who has not.
    hotline_published_at = models.DateTimeField(_("Công bố đường dây nóng lúc"), null=True, blank=True)
    is_active = models.BooleanField(_("Đang hoạt động"), default=True)

    audit_exclude = ("name_folded", "created_at", "updated_at")

    class Meta:
        ordering = ["kind", "code"]
        constraints = [models.UniqueConstraint(fields=["province", "code"], name="uniq_agency_province_code")]
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")

    def __str__(self):
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(f"{self.name} {self.short_name} {self.code}")
        self.key = agency_key(self.province.code, self.code)
        super().save(*args, **kwargs)


def agency_key(province_code: str, code: str) -> str:
    return f"{province_code}:{code}"


class ReferenceItem(models.Model):
    code = models.SlugField(_("Mã"), max_length=40, unique=True)
    name = models.CharField(_("Tên tiếng Việt"), max_length=200)
    name_en = models.CharField(_("Tên tiếng Anh"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class Field(AuditedModel, ReferenceItem):
    """A field of state management (lĩnh vực) used to pick the lead agency."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")


class GoodsCategory(AuditedModel, ReferenceItem):
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="goods_categories", verbose_name=_("Lĩnh vực")
    )
    high_risk = models.BooleanField(_("Nhóm hàng rủi ro cao"), default=False)

    class Meta(ReferenceItem.Meta):
        verbose_name = _("nhóm hàng")
        verbose_name_plural = _("nhóm hàng")


class ViolationType(AuditedModel, ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("loại vi phạm")
        verbose_name_plural = _("loại vi phạm")


class Responsibility(AuditedModel, TimeStampedModel):
    """One row of the responsibility matrix: for a field in a whole province or one commune,
    the lead agency and its coordinating agencies. A commune row overrides the province row."""

    field = models.ForeignKey(
        Field, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("Lĩnh vực")
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.CASCADE,
        related_name="responsibilities",
        verbose_name=_("Địa bàn"),
    )
    lead = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="lead_responsibilities",
        verbose_name=_("Cơ quan chủ trì"),
    )
    coordinating = models.ManyToManyField(
        Agency, blank=True, related_name="coordinating_responsibilities", verbose_name=_("Cơ quan phối hợp")
    )
    note = models.CharField(_("Ghi chú"), max_length=300, blank=True)

    audit_exclude = ("created_at", "updated_at")

    class Meta:
        ordering = ["unit__code", "field__order"]
        constraints = [
            models.UniqueConstraint(fields=["field", "unit"], name="uniq_responsibility_field_unit")
        ]
        verbose_name = _("phân công trách nhiệm")
        verbose_name_plural = _("ma trận trách nhiệm")

    def __str__(self):
        return f"{self.field} — {self.unit}: {self.lead}"
