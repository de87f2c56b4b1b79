"""E-commerce and social-media monitoring and the commitments register (issue 15)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from canhgiac.core.models import AuditedModel, TimeStampedModel
from canhgiac.core.text import fold


class Platform(AuditedModel):
    """A marketplace, social network, livestream service or website (reference data, seeded by
    `canhgiac setup`; shared by every province)."""

    class Kind(models.TextChoices):
        MARKETPLACE = "marketplace", _("Sàn thương mại điện tử")
        SOCIAL = "social", _("Mạng xã hội")
        LIVESTREAM = "livestream", _("Nền tảng video, livestream")
        WEBSITE = "website", _("Website thương mại điện tử")

    code = models.SlugField(_("Mã"), max_length=40, unique=True)
    name = models.CharField(_("Tên"), max_length=100)
    kind = models.CharField(_("Loại nền tảng"), max_length=20, choices=Kind.choices)
    takedown_contact = models.CharField(_("Đầu mối nhận yêu cầu gỡ bỏ"), max_length=300, blank=True)
    is_active = models.BooleanField(_("Đang dùng"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("nền tảng")
        verbose_name_plural = _("nền tảng")

    def __str__(self):
        return self.name


class OnlineAccount(AuditedModel, TimeStampedModel):
    """A shop, page, channel or KOL/KOC profile on a platform, in one province's register. Linked
    to a subject (subjects app) when the seller is known, so one seller's several shops show
    together."""

    class Kind(models.TextChoices):
        SHOP = "shop", _("Gian hàng")
        PAGE = "page", _("Trang, nhóm")
        CHANNEL = "channel", _("Kênh")
        KOL = "kol", _("KOL/KOC")

    province = models.ForeignKey(
        "directory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("Tỉnh")
    )
    platform = models.ForeignKey(
        Platform, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("Nền tảng")
    )
    kind = models.CharField(_("Loại tài khoản"), max_length=10, choices=Kind.choices, default=Kind.SHOP)
    handle = models.CharField(_("Tên gian hàng, tài khoản"), max_length=200)
    handle_folded = models.CharField(max_length=200, editable=False, db_index=True)
    url = models.URLField(_("Địa chỉ"), max_length=500, blank=True)
    unit = models.ForeignKey(
        "directory.AdministrativeUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Xã, phường của người bán"),
    )
    subject = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="online_accounts",
        verbose_name=_("Đối tượng"),
    )
    flagged_before = models.BooleanField(_("Đã từng bị gắn cờ"), default=False)

    audit_exclude = ("handle_folded",)

    class Meta:
        ordering = ["handle"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "platform", "handle_folded"], name="uniq_online_account"
            )
        ]
        verbose_name = _("tài khoản trực tuyến")
        verbose_name_plural = _("tài khoản trực tuyến")

    def __str__(self):
        return f"{self.handle} ({self.platform.name})"

    def save(self, *args, **kwargs):
        self.handle_folded = fold(self.handle)
        super().save(*args, **kwargs)


class Listing(AuditedModel, TimeStampedModel):
    """A listing (an offer, a post, a livestream) entered by an officer, from a tip, or imported;
    scored on save by the services."""

    class Source(models.TextChoices):
        OFFICER = "officer", _("Cán bộ nhập")
        TIP = "tip", _("Từ tin báo")
        IMPORT = "import", _("Nhập từ tệp")

    class Status(models.TextChoices):
        NEW = "new", _("Chờ xem xét")
        WARNED = "warned", _("Đã cảnh báo người bán")
        TAKEDOWN = "takedown", _("Đã yêu cầu gỡ bỏ")
        CASE = "case", _("Đã chuyển thành vụ việc")
        NO_VIOLATION = "no_violation", _("Không vi phạm")

    agency = models.ForeignKey(
        "directory.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("Cơ quan theo dõi")
    )
    province = models.ForeignKey(
        "directory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+", editable=False
    )
    listing_ref = models.CharField(_("Mã tin đăng"), max_length=100)
    platform = models.ForeignKey(
        Platform, on_delete=models.PROTECT, related_name="listings", verbose_name=_("Nền tảng")
    )
    account = models.ForeignKey(
        OnlineAccount,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="listings",
        verbose_name=_("Gian hàng"),
    )
    url = models.URLField(_("Địa chỉ tin đăng"), max_length=1000, blank=True)
    shop_name = models.CharField(_("Tên gian hàng"), max_length=200, blank=True)
    title = models.CharField(_("Tiêu đề"), max_length=500)
    # folded title, shop and reference, for the queue's search (core.text.fold)
    search_folded = models.CharField(max_length=800, editable=False, blank=True)
    description = models.TextField(_("Mô tả"), blank=True)
    price_vnd = models.BigIntegerField(_("Giá (đồng)"), null=True, blank=True)
    category = models.ForeignKey(
        "directory.GoodsCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Nhóm hàng"),
    )
    source = models.CharField(_("Nguồn"), max_length=10, choices=Source.choices, default=Source.OFFICER)
    tip_code = models.CharField(_("Mã tin báo"), max_length=20, blank=True)
    risk_score = models.PositiveSmallIntegerField(_("Điểm rủi ro"), default=0)
    flagged = models.BooleanField(_("Gắn cờ"), default=False)
    priority = models.PositiveSmallIntegerField(_("Mức ưu tiên"), default=0)
    reasons = models.JSONField(_("Lý do"), default=list, blank=True)
    status = models.CharField(_("Xử lý"), max_length=15, choices=Status.choices, default=Status.NEW)
    no_violation_reason = models.CharField(_("Lý do không vi phạm"), max_length=500, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Vụ việc"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("Ngày xem xét"), null=True, blank=True)
    warning_text = models.TextField(_("Nội dung cảnh báo người bán"), blank=True)

    class Meta:
        ordering = ["-priority", "-risk_score", "-id"]
        constraints = [models.UniqueConstraint(fields=["agency", "listing_ref"], name="uniq_listing_ref")]
        indexes = [
            models.Index(fields=["province", "status", "-priority"], name="online_listing_queue_idx"),
            models.Index(fields=["province", "platform"], name="online_listing_platform_idx"),
        ]
        verbose_name = _("tin đăng")
        verbose_name_plural = _("tin đăng")

    def __str__(self):
        return f"{self.listing_ref} — {self.title[:60]}"

    audit_exclude = ("search_folded",)

    def fold_search(self) -> None:
        self.search_folded = fold(f"{self.listing_ref} {self.shop_name} {self.title}")[:800]

    def save(self, *args, **kwargs):
        self.province_id = self.agency.province_id
        self.fold_search()
        super().save(*args, **kwargs)


class Evidence(AuditedModel):
    """A screenshot, saved page or video of a listing. Its SHA-256 and capture time are in the
    audit event of its creation, chained with the others, so the file can be shown unchanged."""

    class Kind(models.TextChoices):
        SCREENSHOT = "screenshot", _("Ảnh chụp màn hình")
        PAGE = "page", _("Trang web lưu lại")
        VIDEO = "video", _("Video")

    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("Tin đăng")
    )
    kind = models.CharField(_("Loại"), max_length=12, choices=Kind.choices)
    file = models.FileField(_("Tệp"), upload_to="online/evidence/%Y/%m/")
    original_name = models.CharField(_("Tên tệp"), max_length=200)
    size = models.PositiveBigIntegerField(_("Dung lượng"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    captured_at = models.DateTimeField(_("Thời điểm ghi nhận"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["captured_at", "id"]
        verbose_name = _("chứng cứ trực tuyến")
        verbose_name_plural = _("chứng cứ trực tuyến")

    def __str__(self):
        return f"{self.original_name} ({self.sha256[:12]}…)"


class Takedown(AuditedModel, TimeStampedModel):
    """A request to a platform to take a listing down, with a due time and its follow-up."""

    class Status(models.TextChoices):
        SENT = "sent", _("Đã gửi")
        TAKEN_DOWN = "taken_down", _("Đã gỡ bỏ")
        REFUSED = "refused", _("Nền tảng từ chối")
        OVERDUE = "overdue", _("Quá hạn")

    listing = models.ForeignKey(
        Listing, on_delete=models.CASCADE, related_name="takedowns", verbose_name=_("Tin đăng")
    )
    agency = models.ForeignKey(
        "directory.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("Cơ quan yêu cầu")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("Thời điểm gửi"))
    due_at = models.DateTimeField(_("Hạn gỡ bỏ"))
    status = models.CharField(_("Tình trạng"), max_length=12, choices=Status.choices, default=Status.SENT)
    closed_at = models.DateTimeField(_("Thời điểm kết thúc"), null=True, blank=True)
    note = models.CharField(_("Ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["status", "due_at"], name="online_takedown_due_idx")]
        verbose_name = _("yêu cầu gỡ bỏ")
        verbose_name_plural = _("yêu cầu gỡ bỏ")

    def __str__(self):
        return f"{self.listing.listing_ref} → {self.listing.platform.name}"

    @property
    def on_time(self) -> bool:
        return (
            self.status == self.Status.TAKEN_DOWN
            and self.closed_at is not None
            and self.closed_at <= self.due_at
        )


# ---------------------------------------------------------------- commitments


class SignerKind(AuditedModel):
    """A kind of signer the seeds name, the agency in charge of it and the commitment's template."""

    code = models.SlugField(_("Mã"), max_length=40, unique=True)
    name = models.CharField(_("Đối tượng ký cam kết"), max_length=200)
    agency_code = models.CharField(_("Cơ quan phụ trách (mã)"), max_length=40)
    template = models.TextField(_("Mẫu cam kết"))
    order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("loại đối tượng ký cam kết")
        verbose_name_plural = _("loại đối tượng ký cam kết")

    def __str__(self):
        return self.name


class Signer(AuditedModel, TimeStampedModel):
    """One entry of a province's register of those who must sign (sellers, press, doctors …)."""

    province = models.ForeignKey(
        "directory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("Tỉnh")
    )
    kind = models.ForeignKey(
        SignerKind, on_delete=models.PROTECT, related_name="signers", verbose_name=_("Loại")
    )
    name = models.CharField(_("Tên"), max_length=200)
    identifier = models.CharField(_("Mã số thuế, số giấy tờ hoặc tài khoản"), max_length=100, blank=True)
    registered_on = models.DateField(_("Ngày vào danh sách"))
    contact = models.CharField(_("Liên hệ"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "directory.AdministrativeUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Xã, phường"),
    )
    platform = models.ForeignKey(
        Platform,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Nền tảng"),
    )
    url = models.URLField(_("Địa chỉ trang, kênh"), max_length=500, blank=True)
    account = models.ForeignKey(
        OnlineAccount,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signers",
        verbose_name=_("Tài khoản trực tuyến"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="online_signers",
        verbose_name=_("Tài khoản ký trực tuyến"),
    )

    class Meta:
        ordering = ["kind__order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "kind", "name", "identifier"], name="uniq_signer")
        ]
        verbose_name = _("đối tượng phải ký cam kết")
        verbose_name_plural = _("đối tượng phải ký cam kết")

    def __str__(self):
        return self.name


class SignerIdentity(AuditedModel, TimeStampedModel):
    """The identifier (ID number or tax code) recorded for a signer-area account by the staff who
    issued it, checked against the person's papers: an entry of the register with that identifier
    may be claimed by the account itself ("Đây là tôi", commitments.claim_signer)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signer_identity"
    )
    province = models.ForeignKey(
        "directory.AdministrativeUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("Tỉnh")
    )
    identifier = models.CharField(_("Số giấy tờ hoặc mã số thuế"), max_length=100, db_index=True)

    class Meta:
        verbose_name = _("giấy tờ của tài khoản ký cam kết")
        verbose_name_plural = _("giấy tờ của tài khoản ký cam kết")

    def __str__(self):
        return self.identifier


class Commitment(AuditedModel, TimeStampedModel):
    """A signed commitment: an uploaded signed copy, or signed online by the signer's own account."""

    class Method(models.TextChoices):
        UPLOAD = "upload", _("Bản ký tải lên")
        ONLINE = "online", _("Ký trực tuyến")

    signer = models.OneToOneField(
        Signer, on_delete=models.CASCADE, related_name="commitment", verbose_name=_("Người ký")
    )
    signed_on = models.DateField(_("Ngày ký"))
    # the moment a signer signed online with their own account (recorded_by); None for a copy
    signed_at = models.DateTimeField(_("Thời điểm ký trực tuyến"), null=True, blank=True)
    method = models.CharField(_("Hình thức"), max_length=10, choices=Method.choices)
    text = models.TextField(_("Nội dung cam kết"))
    file = models.FileField(_("Bản ký"), upload_to="online/commitments/%Y/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = _("cam kết")
        verbose_name_plural = _("cam kết")

    def __str__(self):
        return f"{self.signer.name} ({self.signed_on:%d/%m/%Y})"
