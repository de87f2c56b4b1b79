from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from canhgiac.core.models import AuditedModel, TimeStampedModel
from canhgiac.core.text import fold


def normalize_identifier(value: str | None) -> str:
    """Citizen IDs and tax codes are compared without spaces, dots or dashes, upper case."""
    return "".join(ch for ch in (value or "") if ch.isalnum()).upper()


class Subject(AuditedModel, TimeStampedModel):
    """One agency's record of a person or an organisation involved in its cases or inspections.

    A record belongs to the agency that entered it (`recorded_by_agency`) and is seen with the
    visibility of the cases it appears in (see policy.py). An agency entering the same person again
    is matched to its own record on the exact identifier (citizen ID for a person, tax code for an
    organisation); another agency's record of that person is never merged or copied into it.
    Entity resolution across agencies comes later (issue 12)."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Cá nhân")
        ORGANISATION = "organisation", _("Tổ chức")

    kind = models.CharField(_("Loại đối tượng"), max_length=15, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("Họ tên / Tên tổ chức"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False, db_index=True)
    birth_date = models.DateField(_("Ngày sinh"), null=True, blank=True)
    identifier = models.CharField(_("Số CCCD / Mã số thuế"), max_length=20, blank=True, db_index=True)
    phone = models.CharField(_("Số điện thoại"), max_length=20, blank=True)
    address = models.CharField(_("Địa chỉ"), max_length=300, blank=True)
    recorded_by_agency = models.ForeignKey(
        "directory.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Cơ quan ghi nhận"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    audit_exclude = ("name_folded", "created_at", "updated_at")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["recorded_by_agency", "kind", "identifier"],
                condition=~models.Q(identifier=""),
                name="uniq_subject_agency_kind_identifier",
            ),
        ]
        verbose_name = _("đối tượng")
        verbose_name_plural = _("đối tượng")

    def __str__(self):
        return self.name

    @property
    def is_person(self) -> bool:
        return self.kind == self.Kind.PERSON

    def save(self, *args, **kwargs):
        self.identifier = normalize_identifier(self.identifier)
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)


from canhgiac.subjects.models_links import LinkKey, Relation  # noqa: E402,F401  (links: issue 12)
