import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from canhgiac.cases.models import Case


class CaseTable(tables.Table):
    """Columns, ordering and paging of the case list; the cells are written in cases/_table.html."""

    reference = tables.Column(verbose_name=_("Số hiệu"), linkify=True)
    detected_on = tables.DateColumn(
        verbose_name=_("Ngày phát hiện"), format="d/m/Y", order_by=("detected_on", "id")
    )
    lead_agency = tables.Column(verbose_name=_("Cơ quan"), order_by=("lead_agency__code",))
    unit = tables.Column(verbose_name=_("Xã, phường"), order_by=("unit__name",))
    violation_type = tables.Column(verbose_name=_("Vi phạm"), order_by=("violation_type__order",))
    summary = tables.Column(verbose_name=_("Tóm tắt"), orderable=False)
    status = tables.Column(verbose_name=_("Trạng thái"))
    goods_value_vnd = tables.Column(
        verbose_name=_("Trị giá (đ)"), attrs={"td": {"style": "text-align:right"}}
    )

    class Meta:
        model = Case
        fields = (
            "reference",
            "detected_on",
            "lead_agency",
            "unit",
            "violation_type",
            "summary",
            "status",
            "goods_value_vnd",
        )
        template_name = "cases/_table.html"  # cells written out by hand for speed (docs/cases.md)
        order_by = ("-detected_on",)
        attrs = {"data-testid": "case-table"}
