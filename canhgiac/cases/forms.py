from django import forms
from django.utils.translation import gettext_lazy as _

from canhgiac.cases import services
from canhgiac.cases.models import Case, CaseGoods, CaseSubject, Inspection
from canhgiac.cases.rules import WRITE_ROLES
from canhgiac.core import policy
from canhgiac.core.forms import VNDateField, VNDecimalField, VNDField, VNIntegerField
from canhgiac.directory.forms import AgencyCodeField, add_province_choice, scope_choices
from canhgiac.directory.models import AdministrativeUnit, Agency, GoodsCategory, ViolationType
from canhgiac.subjects.models import Subject


def _date_field(label, required=True):
    return VNDateField(label=label, required=required)


def _money_field(label, initial=0, warn_below=None):
    return VNDField(label=label, initial=initial, warn_below=warn_below)


def communes():
    return AdministrativeUnit.objects.exclude(parent=None).order_by("name")


class CaseForm(forms.Form):
    lead_agency = forms.ModelChoiceField(
        label=_("Cơ quan phát hiện, chủ trì"), queryset=Agency.objects.none()
    )
    agency_ref = forms.CharField(label=_("Số hồ sơ của cơ quan"), max_length=60, required=False)
    detected_on = _date_field(_("Ngày phát hiện"))
    unit = forms.ModelChoiceField(
        label=_("Xã, phường nơi phát hiện"), queryset=AdministrativeUnit.objects.none()
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    violation_type = forms.ModelChoiceField(
        label=_("Hành vi vi phạm chính"), queryset=ViolationType.objects.all()
    )
    other_violation_types = forms.ModelMultipleChoiceField(
        label=_("Hành vi vi phạm khác"),
        required=False,
        queryset=ViolationType.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(label=_("Tóm tắt vụ việc"), widget=forms.Textarea(attrs={"rows": 4}))
    online_platform = forms.CharField(label=_("Nền tảng trực tuyến (nếu có)"), max_length=100, required=False)
    online_url = forms.URLField(
        label=_("Đường dẫn trực tuyến"), max_length=500, required=False, assume_scheme="https"
    )
    status = forms.ChoiceField(label=_("Trạng thái"), choices=Case.Status.choices)
    outcome = forms.ChoiceField(
        label=_("Kết quả xử lý"),
        required=False,
        choices=[("", _("— Chưa có —"))] + list(Case.Outcome.choices),
    )
    decision_no = forms.CharField(label=_("Số quyết định xử lý"), max_length=60, required=False)
    decision_date = _date_field(_("Ngày quyết định"), required=False)
    issuing_body = forms.CharField(label=_("Cơ quan ra quyết định"), max_length=200, required=False)
    fine_vnd = _money_field(_("Tiền phạt (đồng)"), warn_below=1000)
    budget_revenue_vnd = _money_field(_("Tổng thu nộp ngân sách (đồng, gồm cả tiền phạt)"))
    signs_of_crime = forms.BooleanField(
        label=_("Hành vi vi phạm hoặc hàng hóa có dấu hiệu tội phạm (tính vào tỷ lệ khởi tố)"), required=False
    )
    defendants = VNIntegerField(label=_("Số bị can (nếu khởi tố)"), initial=0)
    visibility = forms.ChoiceField(
        label=_("Phạm vi chia sẻ"),
        choices=Case.Visibility.choices,
        widget=forms.RadioSelect,
        initial=Case.Visibility.OWN,
    )
    shared_with = forms.ModelMultipleChoiceField(
        label=_("Chia sẻ với cơ quan"),
        required=False,
        queryset=Agency.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    participating = forms.ModelMultipleChoiceField(
        label=_("Cơ quan phối hợp"),
        required=False,
        queryset=Agency.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    sensitive = forms.BooleanField(
        label=_("Vụ việc nhạy cảm: chỉ cơ quan chủ trì và Cơ quan Thường trực được xem"), required=False
    )

    def __init__(self, *args, user=None, case=None, **kwargs):
        if case is not None and not kwargs.get("initial"):
            kwargs["initial"] = initial_from_case(case)
        super().__init__(*args, **kwargs)
        self.fields["lead_agency"].queryset = services.writable_agencies(user)
        scope_choices(self, user, unit="commune", shared_with="member_agency", participating="member_agency")

    MAIN = (
        "lead_agency",
        "agency_ref",
        "detected_on",
        "unit",
        "address",
        "violation_type",
        "summary",
        "online_platform",
        "online_url",
    )
    HANDLING = (
        "status",
        "outcome",
        "decision_no",
        "decision_date",
        "issuing_body",
        "fine_vnd",
        "budget_revenue_vnd",
        "signs_of_crime",
        "defendants",
    )
    SHARING = ("visibility", "shared_with", "participating", "sensitive")

    def group(self, names):
        return [self[name] for name in names]

    @property
    def main_fields(self):
        return self.group(self.MAIN)

    @property
    def handling_fields(self):
        return self.group(self.HANDLING)

    @property
    def sharing_fields(self):
        return self.group(self.SHARING)

    def has_errors_in(self, names) -> bool:
        return any(name in self.errors for name in names)

    @property
    def handling_open(self):
        return self.has_errors_in(self.HANDLING) or self.initial.get("status") not in (None, "detected")

    @property
    def sharing_open(self):
        return self.has_errors_in(self.SHARING)

    def to_data(self) -> dict:
        cd = self.cleaned_data
        data = {
            key: cd[key]
            for key in (
                "agency_ref",
                "detected_on",
                "address",
                "summary",
                "online_platform",
                "online_url",
                "status",
                "outcome",
                "decision_no",
                "decision_date",
                "issuing_body",
                "visibility",
                "sensitive",
                "signs_of_crime",
            )
        }
        data.update(
            {
                "lead_agency_code": cd["lead_agency"].code,
                "unit_code": cd["unit"].code,
                "violation_type": cd["violation_type"].code,
                "other_violation_types": [v.code for v in cd["other_violation_types"]],
                "shared_with": [a.code for a in cd["shared_with"]],
                "participating": [a.code for a in cd["participating"]],
                "fine_vnd": cd["fine_vnd"] or 0,
                "budget_revenue_vnd": cd["budget_revenue_vnd"] or 0,
                "defendants": cd["defendants"] or 0,
            }
        )
        return data


def initial_from_case(case: Case) -> dict:
    initial = {
        key: getattr(case, key)
        for key in (
            "agency_ref",
            "detected_on",
            "address",
            "summary",
            "online_platform",
            "online_url",
            "status",
            "outcome",
            "decision_no",
            "decision_date",
            "issuing_body",
            "visibility",
            "sensitive",
            "signs_of_crime",
            "fine_vnd",
            "budget_revenue_vnd",
            "defendants",
        )
    }
    initial.update(
        {
            "lead_agency": case.lead_agency,
            "unit": case.unit,
            "violation_type": case.violation_type,
            "other_violation_types": list(case.other_violation_types.all()),
            "shared_with": list(case.shared_with.all()),
            "participating": list(case.participating_agencies.all()),
        }
    )
    return initial


class BlankRowForm(forms.Form):
    """A formset row whose text fields are all empty is blank, whatever its selects show (a
    category or role picked by default): it is neither validated nor saved."""

    def is_blank(self) -> bool:
        if not self.is_bound:
            return True
        for name, field in self.fields.items():
            if name == "DELETE" or isinstance(field.widget, (forms.Select, forms.CheckboxInput)):
                continue
            if str(self.data.get(self.add_prefix(name), "") or "").strip():
                return False
        return True

    def has_changed(self):
        return not self.is_blank() and super().has_changed()


class BlankRowFormSet(forms.BaseFormSet):
    def _construct_form(self, i, **kwargs):
        # Every row may be left blank (also a pre-filled one the user emptied): see BlankRowForm.
        kwargs["empty_permitted"] = True
        return super()._construct_form(i, **kwargs)


class GoodsForm(BlankRowForm):
    goods_category = forms.ModelChoiceField(
        label=_("Nhóm hàng"), queryset=GoodsCategory.objects.all(), to_field_name="code"
    )
    description = forms.CharField(label=_("Mô tả hàng hóa"), max_length=300)
    brand = forms.CharField(label=_("Nhãn hiệu / chủ thể quyền"), max_length=200, required=False)
    quantity = VNDecimalField(label=_("Số lượng"), max_digits=16, decimal_places=3)
    unit = forms.CharField(label=_("Đơn vị tính"), max_length=30, required=False)
    value_vnd = _money_field(_("Trị giá (đồng)"), initial=None)  # a blank extra row stays unchanged
    disposition = forms.ChoiceField(
        label=_("Xử lý tang vật"), required=False, choices=[("", "—")] + list(CaseGoods.Disposition.choices)
    )
    product_gtin = forms.CharField(
        label=_("Mã GTIN sản phẩm đã đăng ký (nếu có)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "data-gtin-lookup": "",
                "data-gtin-unknown": _("Mã GTIN này chưa được đăng ký trong cơ sở dữ liệu hàng hóa."),
                "data-gtin-invalid": _("Mã GTIN không hợp lệ (8, 12, 13 hoặc 14 chữ số, đúng số kiểm tra)."),
            }
        ),
    )


class SubjectForm(BlankRowForm):
    kind = forms.ChoiceField(label=_("Loại"), choices=Subject.Kind.choices)
    name = forms.CharField(label=_("Họ tên / tên tổ chức"), max_length=200)
    identifier = forms.CharField(label=_("Số CCCD / mã số thuế"), max_length=20, required=False)
    birth_date = _date_field(_("Ngày sinh"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    role = forms.ChoiceField(label=_("Vai trò"), choices=CaseSubject.Role.choices)


GoodsFormSet = forms.formset_factory(GoodsForm, formset=BlankRowFormSet, extra=1, can_delete=True)
SubjectFormSet = forms.formset_factory(SubjectForm, formset=BlankRowFormSet, extra=1, can_delete=True)


def rows_of(formset) -> list[dict]:
    rows = []
    for form in formset.forms:
        if form.is_blank() or not form.has_changed() or form.cleaned_data.get("DELETE"):
            continue
        row = {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
        if "goods_category" in row:
            row["goods_category"] = row["goods_category"].code
            row["value_vnd"] = row.get("value_vnd") or 0
        rows.append(row)
    return rows


def goods_initial(case: Case) -> list[dict]:
    return [
        {
            "goods_category": g.goods_category.code,
            "description": g.description,
            "brand": g.brand,
            "quantity": g.quantity,
            "unit": g.unit,
            "value_vnd": g.value_vnd,
            "disposition": g.disposition,
            "product_gtin": g.product.gtin.lstrip("0") if g.product_id else "",
        }
        for g in case.goods.select_related("goods_category", "product")
    ]


def subjects_initial(case: Case) -> list[dict]:
    return [
        {
            "kind": link.subject.kind,
            "name": link.subject.name,
            "identifier": link.subject.identifier,
            "birth_date": link.subject.birth_date,
            "phone": link.subject.phone,
            "address": link.subject.address,
            "role": link.role,
        }
        for link in case.subject_links.select_related("subject")
    ]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp CSV hoặc XLSX"))
    agency = forms.ModelChoiceField(
        label=_("Nhập cho cơ quan (áp dụng cho dòng để trống agency_code)"),
        queryset=Agency.objects.none(),
        required=False,
        to_field_name="code",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = services.writable_agencies(user, WRITE_ROLES)

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
        if f.size > 50 * 1024 * 1024:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 50 MB)."))
        return f


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Ảnh (JPEG, PNG, WebP) hoặc PDF, tối đa 10 MB"))
    description = forms.CharField(label=_("Ghi chú"), max_length=200, required=False)


class InspectionForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Cơ quan kiểm tra"), queryset=Agency.objects.none())
    business_name = forms.CharField(label=_("Tên cơ sở kinh doanh"), max_length=200)
    business_tax_code = forms.CharField(
        label=_("Mã số thuế / mã hộ kinh doanh"), max_length=20, required=False
    )
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    unit = forms.ModelChoiceField(
        label=_("Xã, phường"), queryset=AdministrativeUnit.objects.none(), required=False
    )
    planned_on = _date_field(_("Ngày dự kiến kiểm tra"))
    status = forms.ChoiceField(label=_("Trạng thái"), choices=Inspection.Status.choices)
    done_on = _date_field(_("Ngày đã kiểm tra"), required=False)
    purpose = forms.CharField(label=_("Nội dung kiểm tra"), max_length=300, required=False)
    result = forms.CharField(label=_("Kết quả"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = services.writable_agencies(user, WRITE_ROLES)
        scope_choices(self, user, unit="commune")


class WarningForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    body = forms.CharField(
        label=_("Nội dung cảnh báo (không nêu tên, số định danh của cá nhân)"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    goods_category = forms.ModelChoiceField(
        label=_("Nhóm hàng"), queryset=GoodsCategory.objects.all(), required=False
    )
    violation_type = forms.ModelChoiceField(
        label=_("Hành vi vi phạm"), queryset=ViolationType.objects.all(), required=False
    )
    publish = forms.BooleanField(label=_("Công bố ngay trên cổng thông tin"), required=False)


class FiguresForm(forms.Form):
    date_from = _date_field(_("Từ ngày"))
    date_to = _date_field(_("Đến ngày"))
    agency = AgencyCodeField(label=_("Cơ quan chủ trì"), required=False, queryset=Agency.objects.none())
    unit = forms.ModelChoiceField(
        label=_("Xã, phường"),
        required=False,
        to_field_name="code",
        queryset=AdministrativeUnit.objects.none(),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope_choices(self, user, agency="member_agency", unit="commune")
        add_province_choice(self, user)
        if policy.is_figures_only(user):  # aggregates by province: no agency or commune to pick
            del self.fields["agency"], self.fields["unit"]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("Đến ngày phải không trước Từ ngày."))
        return data
