from django import forms
from django.utils.translation import gettext_lazy as _

from canhgiac.directory.models import AdministrativeUnit, Agency, Field


class ResponsibilityForm(forms.Form):
    field = forms.ModelChoiceField(Field.objects.all(), label=_("Lĩnh vực"))
    unit = forms.ModelChoiceField(AdministrativeUnit.objects.all(), label=_("Địa bàn (tỉnh hoặc xã, phường)"))
    lead = forms.ModelChoiceField(Agency.objects.filter(is_active=True), label=_("Cơ quan chủ trì"))
    coordinating = forms.ModelMultipleChoiceField(
        Agency.objects.filter(is_active=True),
        required=False,
        label=_("Cơ quan phối hợp"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        unit, lead = data.get("unit"), data.get("lead")
        if unit and lead and lead.province_id != unit.province.pk:
            self.add_error("lead", _("Cơ quan chủ trì phải thuộc cùng tỉnh với địa bàn."))
        return data


class HotlineForm(forms.Form):
    hotline = forms.CharField(
        label=_("Số đường dây nóng"),
        max_length=40,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "0262 3852 389"}
        ),
    )
    email = forms.CharField(
        label=_("Thư điện tử tiếp nhận tin báo"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    hours = forms.CharField(
        label=_("Thời gian tiếp nhận"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("24/7, hoặc 7h00–17h00, thứ Hai đến thứ Sáu")}),
    )
