"""The 389 Steering Committee as an organisation: its membership (province and communes), its
meetings and their conclusions, coordination regulations, training and materials, internal
bulletins with read receipts, commendations, international focal points, and the links that make
each record evidence of the plan task it belongs to."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from canhgiac.core.models import AuditedModel, TimeStampedModel
from canhgiac.core.text import fold
from canhgiac.directory.models import AdministrativeUnit, Agency


def _private_path(instance, filename):
    return f"committee/{timezone.now():%Y}/{uuid.uuid4().hex}/{PurePath(filename).name}"


class ProvinceOwned(AuditedModel, TimeStampedModel):
    """Every committee record belongs to one province (its policy scope)."""

    province = models.ForeignKey(
        AdministrativeUnit,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"parent": None},
        verbose_name=_("Tỉnh"),
    )
    audit_exclude = ("created_at", "updated_at")

    class Meta:
        abstract = True


class Committee(ProvinceOwned):
    """The provincial committee (unit empty) or one commune's committee."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committees_389",
        verbose_name=_("Xã, phường"),
    )
    name = models.CharField(_("Tên Ban Chỉ đạo"), max_length=300)

    class Meta:
        ordering = ["province", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "unit"], name="uniq_committee_unit"),
            models.UniqueConstraint(
                fields=["province"], condition=models.Q(unit__isnull=True), name="uniq_committee_province"
            ),
        ]
        verbose_name = _("Ban Chỉ đạo 389")
        verbose_name_plural = _("Ban Chỉ đạo 389")

    def __str__(self):
        return self.name

    @property
    def is_provincial(self) -> bool:
        return self.unit_id is None


class Decision(ProvinceOwned):
    """A decision establishing, changing (consolidating) or dissolving a committee."""

    class Kind(models.TextChoices):
        ESTABLISH = "establish", _("Thành lập")
        CHANGE = "change", _("Kiện toàn, thay đổi thành viên")
        DISSOLVE = "dissolve", _("Giải thể")

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("Ban Chỉ đạo")
    )
    kind = models.CharField(_("Loại quyết định"), max_length=10, choices=Kind.choices)
    number = models.CharField(_("Số quyết định"), max_length=60)
    signed_on = models.DateField(_("Ngày ký"))
    signer = models.CharField(_("Người ký, cơ quan ban hành"), max_length=200, blank=True)
    summary = models.TextField(_("Trích yếu"), blank=True)

    class Meta:
        ordering = ["committee", "signed_on", "id"]
        verbose_name = _("quyết định về Ban Chỉ đạo")
        verbose_name_plural = _("quyết định về Ban Chỉ đạo")

    def __str__(self):
        return f"{self.get_kind_display()} — {self.number} ({self.signed_on:%d/%m/%Y})"


class Member(ProvinceOwned):
    class Role(models.TextChoices):
        HEAD = "1_head", _("Trưởng ban")
        STANDING_DEPUTY = "2_standing_deputy", _("Phó Trưởng ban Thường trực")
        DEPUTY = "3_deputy", _("Phó Trưởng ban")
        MEMBER = "4_member", _("Thành viên")
        SECRETARY = "5_secretary", _("Thư ký, tổ giúp việc")

    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="members", verbose_name=_("Ban Chỉ đạo")
    )
    full_name = models.CharField(_("Họ và tên"), max_length=200)
    title = models.CharField(_("Chức vụ, đơn vị công tác"), max_length=300, blank=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("Cơ quan")
    )
    role = models.CharField(_("Vai trò trong Ban Chỉ đạo"), max_length=20, choices=Role.choices)
    standing = models.BooleanField(_("Thành viên thường trực"), default=False)
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("Theo quyết định"),
    )
    phone = models.CharField(_("Điện thoại"), max_length=40, blank=True)
    since = models.DateField(_("Từ ngày"))
    until = models.DateField(_("Đến ngày"), null=True, blank=True)

    class Meta:
        ordering = ["committee", "role", "full_name"]
        indexes = [models.Index(fields=["committee", "until"])]
        verbose_name = _("thành viên Ban Chỉ đạo")
        verbose_name_plural = _("thành viên Ban Chỉ đạo")

    def __str__(self):
        return f"{self.full_name} — {self.get_role_display()}"


class Meeting(ProvinceOwned):
    class Kind(models.TextChoices):
        REGULAR = "regular", _("Họp định kỳ")
        EXTRA = "extra", _("Họp đột xuất")
        REVIEW = "review", _("Hội nghị sơ kết, tổng kết")

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("Ban Chỉ đạo")
    )
    kind = models.CharField(_("Loại cuộc họp"), max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    held_on = models.DateField(_("Ngày họp"))
    title = models.CharField(_("Nội dung cuộc họp"), max_length=300)
    chair = models.CharField(_("Người chủ trì"), max_length=200)
    attendees = models.TextField(_("Thành phần dự họp"), blank=True)
    attending_agencies = models.ManyToManyField(
        Agency, blank=True, related_name="+", verbose_name=_("Cơ quan dự họp")
    )
    location = models.CharField(_("Địa điểm"), max_length=200, blank=True)
    notice_number = models.CharField(_("Số thông báo kết luận"), max_length=60, blank=True)
    plan_id_ref = models.PositiveIntegerField(
        _("Kế hoạch giao nhiệm vụ"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("cuộc họp Ban Chỉ đạo")
        verbose_name_plural = _("cuộc họp Ban Chỉ đạo")

    def __str__(self):
        return f"{self.held_on:%d/%m/%Y} — {self.title}"


class Conclusion(AuditedModel):
    """One conclusion of a meeting: a task with its lead and coordinating agencies and a deadline.
    It becomes a task of the meeting's plan (plans app) when the conclusions are issued."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="conclusions", verbose_name=_("Cuộc họp")
    )
    order = models.PositiveIntegerField(_("Thứ tự"), default=0)
    text = models.TextField(_("Nội dung kết luận, nhiệm vụ"))
    lead = models.ManyToManyField(Agency, related_name="+", verbose_name=_("Cơ quan chủ trì"))
    coordinating = models.ManyToManyField(
        Agency, blank=True, related_name="+", verbose_name=_("Cơ quan phối hợp")
    )
    due = models.DateField(_("Thời hạn"))
    task_id_ref = models.PositiveIntegerField(
        _("Nhiệm vụ trong kế hoạch"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("kết luận cuộc họp")
        verbose_name_plural = _("kết luận cuộc họp")

    def __str__(self):
        return self.text[:80]


class Regulation(ProvinceOwned):
    """A coordination regulation (quy chế phối hợp) between agencies and communes."""

    title = models.CharField(_("Tên quy chế"), max_length=400)
    title_folded = models.CharField(max_length=400, editable=False, default="")
    number = models.CharField(_("Số văn bản"), max_length=60)
    signed_on = models.DateField(_("Ngày ký"))
    effective_from = models.DateField(_("Hiệu lực từ"), null=True, blank=True)
    review_on = models.DateField(_("Hạn rà soát"))
    parties = models.ManyToManyField(Agency, related_name="+", verbose_name=_("Các bên tham gia"))
    parties_text = models.CharField(_("Bên khác (không có trong danh bạ)"), max_length=400, blank=True)
    document = models.FileField(_("Văn bản"), upload_to=_private_path, blank=True)
    last_reviewed_on = models.DateField(_("Rà soát lần cuối"), null=True, blank=True)
    review_note = models.TextField(_("Kết quả rà soát"), blank=True)

    audit_exclude = ("title_folded", "created_at", "updated_at")

    class Meta:
        ordering = ["review_on", "id"]
        verbose_name = _("quy chế phối hợp")
        verbose_name_plural = _("quy chế phối hợp")

    def __str__(self):
        return f"{self.number} — {self.title}"

    def save(self, *args, **kwargs):
        self.title_folded = fold(self.title)
        super().save(*args, **kwargs)


class Course(ProvinceOwned):
    """A training course (tập huấn, bồi dưỡng nghiệp vụ)."""

    title = models.CharField(_("Tên lớp tập huấn"), max_length=300)
    starts_on = models.DateField(_("Từ ngày"))
    ends_on = models.DateField(_("Đến ngày"))
    organiser = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("Cơ quan tổ chức")
    )
    location = models.CharField(_("Địa điểm"), max_length=200, blank=True)
    topics = models.TextField(_("Nội dung"), blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("lớp tập huấn")
        verbose_name_plural = _("lớp tập huấn")

    def __str__(self):
        return self.title


class Attendance(AuditedModel):
    """How many people of one agency or commune attended a course."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("Lớp tập huấn")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("Cơ quan, xã")
    )
    participants = models.PositiveIntegerField(_("Số người tham dự"))
    names = models.TextField(_("Danh sách người tham dự"), blank=True)

    class Meta:
        ordering = ["course", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["course", "agency"], name="uniq_attendance_agency")]
        verbose_name = _("tham dự tập huấn")
        verbose_name_plural = _("tham dự tập huấn")


class Material(ProvinceOwned):
    """A handbook, training material or guide in the library officers search."""

    class Kind(models.TextChoices):
        HANDBOOK = "handbook", _("Sổ tay nghiệp vụ")
        SLIDES = "slides", _("Tài liệu tập huấn")
        GUIDE = "guide", _("Hướng dẫn")
        LEGAL = "legal", _("Văn bản pháp luật")

    kind = models.CharField(_("Loại tài liệu"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("Tên tài liệu"), max_length=300)
    summary = models.TextField(_("Tóm tắt, từ khóa"), blank=True)
    search_folded = models.TextField(editable=False, default="")
    file = models.FileField(_("Tệp"), upload_to=_private_path, blank=True)
    course = models.ForeignKey(
        Course,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="materials",
        verbose_name=_("Dùng tại lớp"),
    )
    published_on = models.DateField(_("Ngày phát hành"))

    audit_exclude = ("search_folded", "created_at", "updated_at")

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("tài liệu")
        verbose_name_plural = _("thư viện tài liệu")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_folded = fold(f"{self.title} {self.summary}")
        super().save(*args, **kwargs)


class Bulletin(ProvinceOwned):
    """A professional warning to the forces: a new method of smuggling or fraud, sent to chosen
    agencies and communes, each of which acknowledges reading it."""

    title = models.CharField(_("Tiêu đề"), max_length=300)
    body = models.TextField(_("Nội dung cảnh báo"))
    issued_on = models.DateField(_("Ngày phát hành"))
    sender = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("Cơ quan gửi")
    )

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("cảnh báo nghiệp vụ")
        verbose_name_plural = _("cảnh báo nghiệp vụ")

    def __str__(self):
        return self.title


class Receipt(AuditedModel):
    bulletin = models.ForeignKey(
        Bulletin, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("Cảnh báo")
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("Nơi nhận"))
    read_at = models.DateTimeField(_("Đã đọc lúc"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Người đọc"),
    )

    class Meta:
        ordering = ["bulletin", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["bulletin", "agency"], name="uniq_receipt_agency")]
        verbose_name = _("xác nhận đã đọc")
        verbose_name_plural = _("xác nhận đã đọc")


class Commendation(ProvinceOwned):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Đề nghị")
        AWARDED = "awarded", _("Đã quyết định khen thưởng")
        DECLINED = "declined", _("Không khen thưởng")

    class Nominee(models.TextChoices):
        UNIT = "unit", _("Tập thể")
        PERSON = "person", _("Cá nhân")

    nominee_kind = models.CharField(_("Đối tượng"), max_length=6, choices=Nominee.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("Cơ quan, đơn vị")
    )
    person_name = models.CharField(_("Họ tên cá nhân"), max_length=200, blank=True)
    award = models.CharField(_("Hình thức khen thưởng"), max_length=200)
    achievements = models.TextField(_("Thành tích"))
    proposed_on = models.DateField(_("Ngày đề nghị"))
    status = models.CharField(_("Tình trạng"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decision_number = models.CharField(_("Số quyết định khen thưởng"), max_length=60, blank=True)
    decided_on = models.DateField(_("Ngày quyết định"), null=True, blank=True)

    class Meta:
        ordering = ["-proposed_on", "-id"]
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")

    def __str__(self):
        return self.person_name or str(self.agency)


class FocalPoint(ProvinceOwned):
    """A counterpart across the border and our side's contact point."""

    country = models.CharField(_("Nước"), max_length=2)
    counterpart = models.CharField(_("Cơ quan đối tác"), max_length=300)
    contact = models.CharField(_("Đầu mối liên hệ (họ tên, chức vụ)"), max_length=300, blank=True)
    channel = models.CharField(_("Kênh liên lạc"), max_length=300, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("Cơ quan đầu mối phía Việt Nam")
    )
    active = models.BooleanField(_("Đang hoạt động"), default=True)

    class Meta:
        ordering = ["country", "counterpart"]
        verbose_name = _("đầu mối hợp tác quốc tế")
        verbose_name_plural = _("đầu mối hợp tác quốc tế")

    def __str__(self):
        return self.counterpart


class Exchange(ProvinceOwned):
    focal_point = models.ForeignKey(
        FocalPoint, on_delete=models.CASCADE, related_name="exchanges", verbose_name=_("Đầu mối")
    )
    held_on = models.DateField(_("Ngày trao đổi"))
    kind = models.CharField(_("Hình thức (hội đàm, trao đổi thông tin, tuần tra chung…)"), max_length=200)
    subject = models.TextField(_("Nội dung"))
    outcome = models.TextField(_("Kết quả"), blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("trao đổi quốc tế")
        verbose_name_plural = _("trao đổi quốc tế")

    def __str__(self):
        return f"{self.held_on:%d/%m/%Y} — {self.focal_point}"


class TaskLink(ProvinceOwned):
    """A committee record offered as evidence of a plan task: the progress update it posted."""

    record_kind = models.CharField(_("Loại hồ sơ"), max_length=20)
    record_id = models.PositiveIntegerField(_("Mã hồ sơ"))
    task_id_ref = models.PositiveIntegerField(_("Nhiệm vụ"))
    update_id_ref = models.PositiveIntegerField(_("Cập nhật tiến độ"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("Cơ quan"))

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["record_kind", "record_id"])]
        verbose_name = _("minh chứng nhiệm vụ")
        verbose_name_plural = _("minh chứng nhiệm vụ")
