"""The public statistics snapshot: aggregates computed once a day, read by the portal."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicStatistics(models.Model):
    """One province's public figures as computed on `computed_at` (aggregates only, no case, tip
    or person). Derived data: rebuilt from the owning apps' services, never edited, so not audited."""

    province = models.ForeignKey(
        "directory.AdministrativeUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("Tỉnh")
    )
    year = models.PositiveIntegerField(_("Năm"))
    as_of = models.DateField(_("Số liệu đến ngày"))
    computed_at = models.DateTimeField(_("Thời điểm tính"), auto_now=True)
    data = models.JSONField(_("Số liệu"), default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="portal_stats_province_year")
        ]
        verbose_name = _("số liệu công khai")
        verbose_name_plural = _("số liệu công khai")

    def __str__(self):
        return f"{self.province} {self.year}"
