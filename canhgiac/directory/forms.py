from django import forms
from django.utils.translation import gettext_lazy as _

from canhgiac.directory.models import AdministrativeUnit, Agency, Field


class AgencyCodeField(forms.ModelChoiceField):
    """An agency chosen by its short code (QLTT) within the field's queryset, which is scoped to
    the user's province; or by its key ("20:QLTT"), which the options carry when the user spans
    several provinces (a short code is then ambiguous)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "code")
        super().__init__(*args, **kwargs)

    def scope(self, user, queryset):
        from canhgiac.core import policy

        self.queryset = queryset
        self.to_field_name = "key" if policy.province_ids(user) is None else "code"

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        found = list(self.queryset.filter(**{"key" if ":" in value else "code": value})[:2])
        if len(found) != 1:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found[0]


def scope_choices(form, user, **fields):
    """Scope a form's agency and unit fields to the user's province: fields maps a field name to
    "agency", "member_agency" (not communes' committees), "commune" or "unit" (provinces too)."""
    from canhgiac.directory import services

    for name, kind in fields.items():
        field = form.fields[name]
        if kind in ("agency", "member_agency"):
            qs = services.agencies_for(user)
            qs = qs.exclude(kind=Agency.Kind.COMMUNE) if kind == "member_agency" else qs
            qs = qs.order_by("kind", "name")
        else:
            qs = services.units_for(user, communes_only=kind == "commune").order_by("name")
        if isinstance(field, AgencyCodeField):
            field.scope(user, qs)
        else:
            field.queryset = qs


def add_province_choice(form, user) -> None:
    """Figures forms: a user who spans provinces (a national administrator or viewer) chooses one
    province, or all of them (""); `province_code(form)` reads the choice. Province users see
    their own province's figures and get no selector."""
    from canhgiac.core import policy

    if policy.province_ids(user) is not None and not policy.is_figures_only(user):
        return
    provinces = AdministrativeUnit.objects.filter(parent=None).order_by("name")
    form.fields["province"] = forms.ChoiceField(
        label=_("Tỉnh, thành phố"),
        required=False,
        choices=[("", _("Tất cả các tỉnh đã nạp"))] + [(p.code, p.name) for p in provinces],
    )


def province_code(form) -> str | None:
    return form.cleaned_data.get("province") or None if "province" in form.fields else None


class ResponsibilityForm(forms.Form):
    field = forms.ModelChoiceField(Field.objects.all(), label=_("Lĩnh vực"))
    unit = forms.ModelChoiceField(
        AdministrativeUnit.objects.none(), label=_("Địa bàn (tỉnh hoặc xã, phường)")
    )
    lead = forms.ModelChoiceField(Agency.objects.none(), label=_("Cơ quan chủ trì"))
    coordinating = forms.ModelMultipleChoiceField(
        Agency.objects.none(),
        required=False,
        label=_("Cơ quan phối hợp"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=300)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope_choices(self, user, unit="unit", lead="agency", coordinating="agency")

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


class UnitLocationsForm(forms.Form):
    file = forms.FileField(label=_("Tệp CSV hoặc XLSX (code,latitude,longitude)"))
