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
    agency = django_filters.CharFilter(method="filter_agency", label=_("Mã cơ quan"))
    action = django_filters.CharFilter(method="filter_action", label=_("Hành động"))
    object_type = django_filters.CharFilter(method="filter_object_type", label=_("Loại đối tượng"))
    object_id = django_filters.CharFilter(field_name="object_id", label=_("Mã đối tượng"))

    class Meta:
        model = AuditEvent
        fields = []

    def filter_action(self, queryset, name, value):
        # Words as the page shows them ("tạo hàng hóa") or the stored code ("cases.case.create").
        return queryset.filter(Q(action__in=labels.actions_matching(value)) | Q(action__icontains=value))

    def filter_agency(self, queryset, name, value):
        """A short code (QLTT) means that agency in the viewer's own province(s); a key ("20:QLTT")
        itself. Events written before keys were recorded hold the bare short code: they match too
        (the page only lists the viewer's province's events)."""
        from canhgiac.directory import services as directory

        value = value.strip()
        if ":" in value:
            return queryset.filter(agency_code__iexact=value)
        user = self.request.user if self.request else None
        keys = list(directory.agencies_for(user).filter(code__iexact=value).values_list("key", flat=True))
        return queryset.filter(Q(agency_code__in=keys) | Q(agency_code__iexact=value))

    def filter_object_type(self, queryset, name, value):
        return queryset.filter(
            Q(object_type__in=labels.object_types_matching(value)) | Q(object_type__icontains=value)
        )


def _agencies_by_key(keys):
    from canhgiac.directory.models import Agency

    return {a.key: a for a in Agency.objects.filter(key__in=keys)}


@login_required
def event_list(request):
    policy.require(request.user, "audit.view")
    filterset = AuditEventFilterSet(
        request.GET or None, queryset=visible_events(request.user).select_related("actor"), request=request
    )
    page = Paginator(filterset.qs.order_by("-id"), 50).get_page(request.GET.get("page"))
    agencies = _agencies_by_key({e.agency_code for e in page if ":" in e.agency_code})
    for event in page:
        agency = agencies.get(event.agency_code)
        event.agency_label = f"{agency.code} — {agency}" if agency else event.agency_code
        event.action_label = labels.action_label(event.action)
        event.object_type_label = labels.model_label(event.object_type) if event.object_type else ""
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/list.html", {"filter": filterset, "page": page, "query": query.urlencode()})
