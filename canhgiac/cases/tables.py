import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from canhgiac.cases.models import Case


def _vnd(value):
    return f"{int(value or 0):,}".replace(",", ".")


class CaseTable(tables.Table):
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
        template_name = "cases/_table.html"  # core/table.html: see docs/cases.md, Known issues
        order_by = ("-detected_on",)
        attrs = {"data-testid": "case-table"}

    def before_render(self, request):
        # Each cell carries its column's name so the stacked phone layout can label it.
        for column in self.columns:
            if column.name != "reference":
                column.column.attrs = {
                    **column.column.attrs,
                    "td": {**column.column.attrs.get("td", {}), "data-label": str(column.header)},
                }

    def render_summary(self, value):
        return value if len(value) <= 90 else value[:87] + "…"

    def render_status(self, record):
        label = record.get_outcome_display() if record.outcome else record.get_status_display()
        color = {"criminal": "red", "administrative": "green"}.get(
            record.outcome, "amber" if not record.outcome else ""
        )
        lock = " 🔒" if record.sensitive else ""
        return format_html('<span class="cg-badge {}">{}</span>{}', color, label, lock)

    def render_goods_value_vnd(self, value):
        return _vnd(value)
