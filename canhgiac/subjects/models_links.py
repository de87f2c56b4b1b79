"""Links between subjects (issue 12, item 4): relations recorded by an agency, and the index of
normalised contact keys from which the links the data implies are computed.

Imported by one line at the end of subjects/models.py, so the models belong to the `subjects` app
while the entity-resolution models stay in their own file.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from canhgiac.core.models import AuditedModel, TimeStampedModel


class Relation(AuditedModel, TimeStampedModel):
    """A relation between two subjects, in the FollowTheMoney model's terms.

    Directed kinds read "subject → other": Ownership (owner → what is owned), Directorship (director
    → organisation), Employment (employer → employee); Family and Associate are symmetric.
    Visibility follows the source: a relation drawn from a case is seen by whoever may see the case;
    one from a document or an import is its agency's (`own`) or every agency's of the province
    (`all`)."""

    class Kind(models.TextChoices):
        OWNERSHIP = "ownership", _("Sở hữu")
        DIRECTORSHIP = "directorship", _("Điều hành, quản lý")
        FAMILY = "family", _("Gia đình, họ hàng")
        ASSOCIATE = "associate", _("Quen biết, cộng sự")
        EMPLOYMENT = "employment", _("Thuê mướn lao động")

    class Source(models.TextChoices):
        CASE = "case", _("Vụ việc")
        DOCUMENT = "document", _("Văn bản, tài liệu")
        IMPORT = "import", _("Dữ liệu nhập")

    class Visibility(models.TextChoices):
        OWN = "own", _("Chỉ cơ quan ghi nhận")
        ALL = "all", _("Tất cả cơ quan thành viên trong tỉnh")

    subject = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.CASCADE,
        related_name="relations_out",
        verbose_name=_("Đối tượng"),
    )
    other = models.ForeignKey(
        "subjects.Subject",
        on_delete=models.CASCADE,
        related_name="relations_in",
        verbose_name=_("Đối tượng liên quan"),
    )
    kind = models.CharField(_("Loại quan hệ"), max_length=15, choices=Kind.choices)
    detail = models.CharField(_("Mô tả quan hệ (vợ, giám đốc, …)"), max_length=120, blank=True)
    start_date = models.DateField(_("Từ ngày"), null=True, blank=True)
    end_date = models.DateField(_("Đến ngày"), null=True, blank=True)
    source = models.CharField(_("Nguồn"), max_length=10, choices=Source.choices)
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Vụ việc nguồn"),
    )
    source_ref = models.CharField(_("Số văn bản / mã dòng nhập"), max_length=120, blank=True)
    visibility = models.CharField(
        _("Phạm vi chia sẻ"), max_length=5, choices=Visibility.choices, default=Visibility.OWN
    )
    recorded_by_agency = models.ForeignKey(
        "directory.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("Cơ quan ghi nhận")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    audit_exclude = ("created_at", "updated_at")

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["subject", "kind"], name="relation_subject_idx"),
            models.Index(fields=["other", "kind"], name="relation_other_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(subject=models.F("other")), name="relation_not_self"),
            models.CheckConstraint(
                condition=~models.Q(source="case") | models.Q(case__isnull=False), name="relation_case_source"
            ),
        ]
        verbose_name = _("quan hệ giữa đối tượng")
        verbose_name_plural = _("quan hệ giữa đối tượng")

    def __str__(self):
        return f"{self.subject_id} —{self.kind}→ {self.other_id}"


class LinkKey(models.Model):
    """A normalised contact key of a subject record (phone as +84…, bank account digits, folded
    address, online account platform:handle, vehicle plate). Derived from the records by
    `subjects.network.keys`, never typed: two records with the same key are linked."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Cùng số điện thoại")
        BANK = "bank_account", _("Cùng tài khoản ngân hàng")
        ADDRESS = "address", _("Cùng địa chỉ")
        ONLINE = "online_account", _("Cùng tài khoản trực tuyến")
        VEHICLE = "vehicle", _("Cùng phương tiện")

    subject = models.ForeignKey("subjects.Subject", on_delete=models.CASCADE, related_name="link_keys")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    value = models.CharField(max_length=200)

    class Meta:
        indexes = [models.Index(fields=["kind", "value"], name="linkkey_value_idx")]
        constraints = [
            models.UniqueConstraint(fields=["subject", "kind", "value"], name="uniq_linkkey"),
        ]
        verbose_name = _("khóa liên kết")
        verbose_name_plural = _("khóa liên kết")

    def __str__(self):
        return f"{self.kind}:{self.value}"
