import django_filters
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from canhgiac.audit import labels
from canhgiac.audit.models import AuditEvent
from canhgiac.audit.services import visible_events
from canhgiac.core import dates, policy
from canhgiac.core.forms import VNDateInput


class AuditEventFilterSet(django_filters.FilterSet):
    time_from = django_filters.DateFilter(
        field_name="time",
        lookup_expr="date__gte",
        label=_("Từ ngày"),
        input_formats=list(dates.FORMATS),
        widget=VNDateInput(),
    )
    time_to = django_filters.DateFilter(
        field_name="time",
        lookup_expr="date__lte",
        label=_("Đến ngày"),
        input_formats=list(dates.FORMATS),
        widget=VNDateInput(),
    )
    actor = django_filters.CharFilter(
        field_name="actor_label", lookup_expr="icontains", label=_("Người thực hiện")
    )
    agency = django_filters.CharFilter(field_name="agency_code", lookup_expr="iexact", label=_("Mã cơ quan"))
    action = django_filters.CharFilter(method="filter_action", label=_("Hành động"))
    object_type = django_filters.CharFilter(method="filter_object_type", label=_("Loại đối tượng"))
    object_id = django_filters.CharFilter(field_name="object_id", label=_("Mã đối tượng"))

    class Meta:
        model = AuditEvent
        fields = []

    def filter_action(self, queryset, name, value):
        # Words as the page shows them ("tạo hàng hóa") or the stored code ("cases.case.create").
        return queryset.filter(Q(action__in=labels.actions_matching(value)) | Q(action__icontains=value))

    def filter_object_type(self, queryset, name, value):
        return queryset.filter(
            Q(object_type__in=labels.object_types_matching(value)) | Q(object_type__icontains=value)
        )


@login_required
def event_list(request):
    policy.require(request.user, "audit.view")
    filterset = AuditEventFilterSet(
        request.GET or None, queryset=visible_events(request.user).select_related("actor")
    )
    page = Paginator(filterset.qs.order_by("-id"), 50).get_page(request.GET.get("page"))
    for event in page:
        event.action_label = labels.action_label(event.action)
        event.object_type_label = labels.model_label(event.object_type) if event.object_type else ""
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/list.html", {"filter": filterset, "page": page, "query": query.urlencode()})
