from django import forms
from django.db import models
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from canhgiac.core.forms import VNDateField
from canhgiac.directory.models import Agency
from canhgiac.reporting.models import Indicator, Period


def _date(label, required=True):
    return VNDateField(label=label, required=required)


def _member_agencies(province=None):
    from canhgiac.reporting.services import default_submitters

    return default_submitters(province).exclude(kind=Agency.Kind.COMMUNE)


class SubmittersMixin:
    """Member agencies ticked one by one; communes all together (about a hundred of them), all of
    the period's province (`province`, given to the form)."""

    province = None

    def _add_submitter_fields(self):
        province = self.province
        self.fields["agencies"] = forms.ModelMultipleChoiceField(
            label=_("Sở, ngành, lực lượng báo cáo"),
            queryset=_member_agencies(province),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            initial=lambda: list(_member_agencies(province)),
        )
        self.fields["include_communes"] = forms.BooleanField(
            label=_("Các xã, phường cùng báo cáo"), required=False, initial=True
        )

    def _check_submitters(self, data):
        if not data.get("agencies") and not data.get("include_communes"):
            self.add_error("agencies", _("Cần ít nhất một đơn vị báo cáo."))

    def submitters(self):
        from canhgiac.reporting.services import default_submitters

        data = self.cleaned_data
        ids = {a.pk for a in data.get("agencies") or []}
        qs = default_submitters(self.province)
        if data.get("include_communes"):
            return qs.filter(models.Q(pk__in=ids) | models.Q(kind=Agency.Kind.COMMUNE))
        return qs.filter(pk__in=ids)


class PeriodForm(SubmittersMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại kỳ"), choices=[c for c in Period.Kind.choices if c[0] != "campaign"]
    )
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("Tháng hoặc quý (với kỳ tháng, quý)"), min_value=1, max_value=12, required=False
    )
    cutoff = forms.ChoiceField(
        label=_("Cách chốt số liệu"), choices=Period.Cutoff.choices[:2], initial=Period.Cutoff.DECREE_09
    )
    name = forms.CharField(label=_("Tên kỳ (để trống: đặt tự động)"), max_length=200, required=False)
    data_from = _date(_("Số liệu từ ngày (để trống: theo cách chốt)"), required=False)
    data_to = _date(_("Số liệu đến ngày"), required=False)
    deadline = _date(_("Hạn gửi của cơ quan, xã"), required=False)
    office_deadline = _date(_("Hạn của Cơ quan Thường trực"), required=False)
    expiry_days = forms.IntegerField(label=_("Khóa sau hạn (ngày)"), min_value=0, max_value=365, initial=10)
    report_form = forms.ChoiceField(label=_("Biểu mẫu"), required=False)
    recipient = forms.ModelChoiceField(
        label=_("Cơ quan nhận báo cáo"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("Theo biểu mẫu (rà soát 7.11 gửi Sở VHTTDL; các báo cáo khác gửi Cơ quan Thường trực)"),
    )

    def __init__(self, *args, province=None, **kwargs):
        from canhgiac.reporting.services import current_forms

        self.province = province
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.forms_by_code = {f.code: f for f in current_forms()}
        self.fields["report_form"].choices = [(f.code, f.name) for f in self.forms_by_code.values()]
        self.fields["recipient"].queryset = Agency.objects.filter(is_active=True, province=province).exclude(
            kind=Agency.Kind.COMMUNE
        )
        self._add_submitter_fields()

    def clean(self):
        data = super().clean()
        self._check_submitters(data)
        kind, number = data.get("kind"), data.get("number")
        if kind == "monthly" and not number:
            self.add_error("number", _("Kỳ tháng: cần nhập tháng (1–12)."))
        if kind == "quarterly" and not (number and 1 <= number <= 4):
            self.add_error("number", _("Kỳ quý: cần nhập quý (1–4)."))
        data["form_obj"] = self.forms_by_code.get(data.get("report_form") or "")
        return data


class CampaignForm(SubmittersMixin, forms.Form):
    name = forms.CharField(label=_("Tên đợt cao điểm"), max_length=150)
    start = _date(_("Từ ngày"))
    end = _date(_("Đến ngày"))
    every_days = forms.IntegerField(label=_("Báo cáo mỗi (ngày)"), min_value=1, max_value=31, initial=7)
    expiry_days = forms.IntegerField(label=_("Khóa sau hạn (ngày)"), min_value=0, max_value=60, initial=3)

    def __init__(self, *args, province=None, **kwargs):
        self.province = province
        super().__init__(*args, **kwargs)
        self._add_submitter_fields()

    def clean(self):
        data = super().clean()
        self._check_submitters(data)
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("Ngày kết thúc đợt phải sau ngày bắt đầu."))
        return data


class PeriodEditForm(forms.Form):
    name = forms.CharField(label=_("Tên kỳ báo cáo"), max_length=200)
    deadline = _date(_("Hạn gửi của cơ quan, xã"))
    office_deadline = _date(_("Hạn của Cơ quan Thường trực"))
    expiry_days = forms.IntegerField(label=_("Khóa sau hạn (ngày)"), min_value=0, max_value=365)


class ExceptionForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Agency.objects.none())
    until = _date(_("Mở đến ngày"))
    reason = forms.CharField(label=_("Lý do"), max_length=300)

    def __init__(self, *args, period=None, **kwargs):
        super().__init__(*args, **kwargs)
        if period is not None:
            self.fields["agency"].queryset = period.submitters.order_by("kind", "code")


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 3}))


class WindowExportForm(forms.Form):
    date_from = _date(_("Từ ngày"))
    date_to = _date(_("Đến ngày"))
    fmt = forms.ChoiceField(label=_("Định dạng"), choices=[("docx", "DOCX"), ("xlsx", "XLSX")])

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("“Đến ngày” phải sau “Từ ngày”."))
        return data


class ProvinceReportForm(forms.Form):
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    issued_on = _date(_("Ngày ban hành"), required=False)
    signer_title = forms.CharField(
        label=_("Chức vụ người ký (mỗi dòng một dòng)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    signer_name = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    recipients = forms.CharField(
        label=_("Nơi nhận (mỗi dòng một nơi)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        for code, title in sections:
            self.fields[f"section_{code}"] = forms.CharField(
                label=title, required=False, widget=forms.Textarea(attrs={"rows": 6})
            )


class FormHeaderForm(forms.Form):
    name = forms.CharField(label=_("Tên biểu mẫu"), max_length=200)
    note = forms.CharField(label=_("Ghi chú thay đổi"), max_length=300, required=False)


class IndicatorRowForm(forms.Form):
    code = forms.SlugField(label=_("Mã"), max_length=40)
    label = forms.CharField(label=_("Tên chỉ tiêu"), max_length=200)
    unit = forms.ChoiceField(label=_("Đơn vị"), choices=Indicator.Unit.choices)
    disaggregation = forms.ChoiceField(
        label=_("Chi tiết"), choices=Indicator.Disaggregation.choices, required=False
    )
    parent_code = forms.SlugField(label=_("Thuộc chỉ tiêu"), max_length=40, required=False)
    required = forms.BooleanField(label=_("Bắt buộc"), required=False)


class SectionRowForm(forms.Form):
    code = forms.SlugField(label=_("Mã"), max_length=40)
    title = forms.CharField(label=_("Tên mục"), max_length=200)
    required = forms.BooleanField(label=_("Bắt buộc"), required=False)


IndicatorFormSet = formset_factory(IndicatorRowForm, extra=2, can_delete=True)
SectionFormSet = formset_factory(SectionRowForm, extra=1, can_delete=True)
