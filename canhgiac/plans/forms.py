from django import forms
from django.utils.translation import gettext_lazy as _

from canhgiac.core.forms import VNDateField, VNDateInput, VNIntegerField
from canhgiac.directory.models import Agency
from canhgiac.plans.models import Update

DATE = VNDateInput()


class UpdateForm(forms.Form):
    """A lead agency's progress report on one checkpoint; the choices are limited by the view."""

    checkpoint = forms.TypedChoiceField(label=_("Mốc kiểm điểm"), coerce=int)
    agency = forms.TypedChoiceField(label=_("Cơ quan báo cáo"), coerce=int)
    status = forms.ChoiceField(label=_("Tình trạng"), choices=Update.Status.choices)
    percent = VNIntegerField(
        label=_("Tỷ lệ hoàn thành (%)"),
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("Tỷ lệ hoàn thành phải từ 0 đến 100."),
            "max_value": _("Tỷ lệ hoàn thành phải từ 0 đến 100."),
        },
    )
    narrative = forms.CharField(
        label=_("Kết quả thực hiện"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Kết quả thực hiện: cần mô tả kết quả đã làm.")},
    )
    evidence_file = forms.FileField(
        label=_("Tệp minh chứng (PDF, Word, Excel, ảnh; tối đa 20 MB)"), required=False
    )
    evidence_number = forms.CharField(label=_("Số văn bản minh chứng"), max_length=60, required=False)
    evidence_date = VNDateField(
        label=_("Ngày văn bản minh chứng"),
        required=False,
        widget=DATE,
        error_messages={"invalid": _("Ngày văn bản minh chứng không hợp lệ.")},
    )

    def __init__(self, *args, checkpoints=(), agencies=(), notes=None, **kwargs):
        """notes: checkpoint id -> a short status shown next to its due date."""
        super().__init__(*args, **kwargs)
        notes = notes or {}
        self.fields["checkpoint"].choices = [
            (
                c.pk,
                " — ".join(
                    filter(
                        None,
                        [_("Hạn %(d)s") % {"d": c.due_date.strftime("%d/%m/%Y")}, str(notes.get(c.pk, ""))],
                    )
                ),
            )
            for c in checkpoints
        ]
        self.fields["agency"].choices = [(a.pk, str(a)) for a in agencies]
        if len(self.fields["agency"].choices) == 1:
            self.fields["agency"].widget = forms.HiddenInput()
            self.fields["agency"].initial = self.fields["agency"].choices[0][0]


class IssueAgencyPlanForm(forms.Form):
    document_number = forms.CharField(
        label=_("Số hiệu văn bản"),
        max_length=60,
        error_messages={"required": _("Số hiệu văn bản: bắt buộc (ví dụ 12/KH-CAT).")},
    )
    document_date = VNDateField(
        label=_("Ngày ban hành"),
        widget=DATE,
        error_messages={
            "required": _("Ngày ban hành: bắt buộc."),
            "invalid": _("Ngày ban hành không hợp lệ."),
        },
    )
    document_file = forms.FileField(
        label=_("Văn bản kế hoạch đã ký"),
        error_messages={"required": _("Cần đính kèm văn bản kế hoạch đã ký.")},
    )


class AssignForm(forms.Form):
    lead_agencies = forms.ModelMultipleChoiceField(
        Agency.objects.none(),
        required=False,
        label=_("Cơ quan chủ trì"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    responsible_person = forms.CharField(label=_("Người chịu trách nhiệm"), max_length=200, required=False)

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_agencies"].queryset = Agency.objects.filter(province=province, is_active=True)
