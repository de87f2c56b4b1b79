"""Forms of the links pages: the network's filters, the ranked list's filters, a new relation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from canhgiac.core.forms import VNDateField
from canhgiac.subjects.network.graph import LINK_TYPES, MAX_HOPS


class WindowForm(forms.Form):
    date_from = VNDateField(label=_("Từ ngày"), required=False)
    date_to = VNDateField(label=_("Đến ngày"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("Đến ngày phải sau hoặc bằng từ ngày."))
        return data


class NetworkFilterForm(WindowForm):
    hops = forms.TypedChoiceField(
        label=_("Số bước liên kết"),
        choices=[(n, n) for n in range(1, MAX_HOPS + 1)],
        coerce=int,
        initial=2,
        required=False,
    )
    types = forms.MultipleChoiceField(
        label=_("Loại liên kết"),
        choices=list(LINK_TYPES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    field_order = ["hops", "types", "date_from", "date_to"]


class AttentionFilterForm(WindowForm):
    unit = forms.ChoiceField(label=_("Xã, phường"), required=False)
    goods = forms.ChoiceField(label=_("Nhóm hàng"), required=False)
    field_order = ["unit", "goods", "date_from", "date_to"]

    def __init__(self, *args, units=(), categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Tất cả"))] + list(units)
        self.fields["goods"].choices = [("", _("Tất cả"))] + list(categories)


class RelationForm(forms.Form):
    """A relation of the subject on the page with another subject the user may see."""

    other = forms.TypedChoiceField(label=_("Đối tượng liên quan"), coerce=int)
    kind = forms.ChoiceField(label=_("Loại quan hệ"))
    detail = forms.CharField(label=_("Mô tả quan hệ (vợ, giám đốc, …)"), max_length=120, required=False)
    start_date = VNDateField(label=_("Từ ngày"), required=False)
    end_date = VNDateField(label=_("Đến ngày"), required=False)
    source = forms.ChoiceField(label=_("Nguồn"))
    case = forms.CharField(
        label=_("Số hiệu vụ việc nguồn (khi nguồn là vụ việc)"), max_length=30, required=False
    )
    source_ref = forms.CharField(
        label=_("Số, ký hiệu văn bản / mã dòng nhập"), max_length=120, required=False
    )
    visibility = forms.ChoiceField(label=_("Phạm vi chia sẻ (nguồn văn bản, dữ liệu nhập)"))

    def __init__(self, *args, others=(), **kwargs):
        from canhgiac.subjects.models import Relation

        super().__init__(*args, **kwargs)
        self.fields["other"].choices = [("", "—")] + [
            (s.pk, f"{s.name} ({s.recorded_by_agency or '—'})") for s in others
        ]
        self.fields["kind"].choices = Relation.Kind.choices
        self.fields["source"].choices = Relation.Source.choices
        self.fields["visibility"].choices = Relation.Visibility.choices


class RelationEditForm(RelationForm):
    """An existing relation's kind, description, dates, source and sharing (its subjects stay)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, others=(), **kwargs)
        del self.fields["other"]

    @classmethod
    def initial_for(cls, relation) -> dict:
        return {
            "kind": relation.kind,
            "detail": relation.detail,
            "start_date": relation.start_date,
            "end_date": relation.end_date,
            "source": relation.source,
            "case": relation.case.reference if relation.case_id else "",
            "source_ref": relation.source_ref,
            "visibility": relation.visibility,
        }
