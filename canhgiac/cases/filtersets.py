import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from canhgiac.cases.models import Case, CaseGoods
from canhgiac.core import dates
from canhgiac.core.forms import VNDateInput
from canhgiac.core.text import fold
from canhgiac.directory.forms import AgencyCodeField, scope_choices
from canhgiac.directory.models import AdministrativeUnit, Agency, GoodsCategory, ViolationType

DATE_FORMATS = list(dates.FORMATS)


class AgencyCodeFilter(django_filters.ModelChoiceFilter):
    field_class = AgencyCodeField


class CaseFilterSet(django_filters.FilterSet):
    """The list filters, shared by the list page, its exports and the API (codes as values)."""

    q = django_filters.CharFilter(label=_("Tìm kiếm"), method="search")
    detected_from = django_filters.DateFilter(
        field_name="detected_on",
        lookup_expr="gte",
        label=_("Phát hiện từ ngày"),
        input_formats=DATE_FORMATS,
        widget=VNDateInput(),
    )
    detected_to = django_filters.DateFilter(
        field_name="detected_on",
        lookup_expr="lte",
        label=_("Đến ngày"),
        input_formats=DATE_FORMATS,
        widget=VNDateInput(),
    )
    # Agency and unit choices are the user's province's only (scoped in __init__).
    agency = AgencyCodeFilter(
        field_name="lead_agency",
        label=_("Cơ quan chủ trì"),
        queryset=Agency.objects.none(),
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Xã, phường"),
        to_field_name="code",
        method="in_unit",
        queryset=AdministrativeUnit.objects.none(),
    )
    violation_type = django_filters.ModelChoiceFilter(
        label=_("Hành vi vi phạm"),
        to_field_name="code",
        method="of_type",
        queryset=ViolationType.objects.all(),
    )
    goods_category = django_filters.ModelChoiceFilter(
        label=_("Nhóm hàng"), to_field_name="code", method="with_goods", queryset=GoodsCategory.objects.all()
    )
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=Case.Status.choices)
    outcome = django_filters.ChoiceFilter(label=_("Kết quả xử lý"), choices=Case.Outcome.choices)

    class Meta:
        model = Case
        fields = [
            "q",
            "detected_from",
            "detected_to",
            "agency",
            "unit",
            "violation_type",
            "goods_category",
            "status",
            "outcome",
        ]

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        scope_choices(self.form, user, agency="member_agency", unit="unit")

    def search(self, queryset, name, value):
        folded = fold(value)
        return queryset.filter(search_folded__contains=folded) if folded else queryset

    def in_unit(self, queryset, name, unit):
        if unit.parent_id is None:
            return queryset.filter(unit__parent=unit) | queryset.filter(unit=unit)
        return queryset.filter(unit=unit)

    def of_type(self, queryset, name, vtype):
        others = Case.other_violation_types.through.objects.filter(
            case_id=OuterRef("pk"), violationtype_id=vtype.pk
        )
        return queryset.filter(Q(violation_type=vtype) | Exists(others))

    def with_goods(self, queryset, name, category):
        return queryset.filter(
            Exists(CaseGoods.objects.filter(case_id=OuterRef("pk"), goods_category=category))
        )
