from django import forms
from django.utils.translation import gettext_lazy as _

from canhgiac.core.forms import VNDateField, VNDateTimeField, VNDField
from canhgiac.directory import services as directory
from canhgiac.directory.models import GoodsCategory, ViolationType
from canhgiac.online.models import Evidence, Listing, Platform, SignerKind, Takedown


class QueueFilterForm(forms.Form):
    platform = forms.ModelChoiceField(label=_("Nền tảng"), queryset=Platform.objects.all(), required=False)
    status = forms.ChoiceField(
        label=_("Xử lý"), choices=[("", _("Tất cả"))] + list(Listing.Status.choices), required=False
    )
    flagged = forms.BooleanField(label=_("Chỉ tin bị gắn cờ"), required=False)
    q = forms.CharField(label=_("Tìm"), required=False, max_length=100)


class AgencyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.short_name or obj.name


def _agencies(user):
    from canhgiac.online.rules import may_handle

    return [a.pk for a in directory.agencies_for(user).select_related("province") if may_handle(user, a)]


class ListingForm(forms.Form):
    agency = AgencyChoice(label=_("Cơ quan theo dõi"), queryset=None)
    platform = forms.ModelChoiceField(label=_("Nền tảng"), queryset=Platform.objects.filter(is_active=True))
    url = forms.CharField(label=_("Địa chỉ tin đăng"), required=False, max_length=1000)
    shop_name = forms.CharField(label=_("Tên gian hàng, tài khoản"), required=False, max_length=200)
    title = forms.CharField(label=_("Tiêu đề"), max_length=500)
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    price_vnd = VNDField(label=_("Giá (đồng)"), required=False)
    category = forms.ModelChoiceField(
        label=_("Nhóm hàng"), queryset=GoodsCategory.objects.all(), required=False
    )
    tip_code = forms.CharField(label=_("Mã tin báo (nếu có)"), required=False, max_length=20)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from canhgiac.directory.models import Agency

        self.fields["agency"].queryset = Agency.objects.filter(pk__in=_agencies(user))


class ImportForm(forms.Form):
    agency = AgencyChoice(label=_("Cơ quan theo dõi"), queryset=None)
    file = forms.FileField(label=_("Tệp CSV hoặc XLSX"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from canhgiac.directory.models import Agency

        self.fields["agency"].queryset = Agency.objects.filter(pk__in=_agencies(user))


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại chứng cứ"), choices=Evidence.Kind.choices)
    file = forms.FileField(label=_("Tệp"))
    captured_at = VNDateTimeField(
        label=_("Thời điểm ghi nhận"), required=False, help_text=_("Bỏ trống: lúc tải lên.")
    )


class TakedownForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú (số văn bản, kênh gửi)"), required=False, max_length=500)


class OutcomeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Kết quả"),
        choices=[
            (Takedown.Status.TAKEN_DOWN, _("Đã gỡ bỏ")),
            (Takedown.Status.REFUSED, _("Nền tảng từ chối")),
        ],
    )
    closed_at = VNDateTimeField(label=_("Thời điểm"), required=False, help_text=_("Bỏ trống: bây giờ."))
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)


class WarnForm(forms.Form):
    text = forms.CharField(label=_("Nội dung cảnh báo người bán"), widget=forms.Textarea(attrs={"rows": 3}))


class NoViolationForm(forms.Form):
    reason = forms.CharField(label=_("Lý do không vi phạm"), max_length=500)


class CaseForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Xã, phường"), queryset=None)
    violation_type = forms.ModelChoiceField(label=_("Hành vi vi phạm"), queryset=ViolationType.objects.all())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = directory.units_for(user)


class SignerForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Loại đối tượng"), queryset=SignerKind.objects.all())
    name = forms.CharField(label=_("Tên"), max_length=200)
    identifier = forms.CharField(
        label=_("Mã số thuế, số giấy tờ hoặc tài khoản"), required=False, max_length=100
    )
    registered_on = VNDateField(label=_("Ngày vào danh sách"), required=False)


class SignedCopyForm(forms.Form):
    file = forms.FileField(label=_("Bản cam kết đã ký (PDF, JPEG, PNG)"))
    signed_on = VNDateField(label=_("Ngày ký"), required=False)


class CoverageForm(forms.Form):
    round = forms.ChoiceField(label=_("Đợt"), required=False)

    def __init__(self, *args, rounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [("", _("Tất cả các đợt"))] + [(r.code, r.name) for r in rounds]


class LinkSubjectForm(forms.Form):
    subject = forms.CharField(
        label=_("Số hồ sơ đối tượng (người bán)"),
        max_length=20,
        help_text=_("Số hồ sơ trong mục Đối tượng, ví dụ 1234."),
    )


class SignerImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp danh sách (CSV UTF-8 hoặc XLSX)"))
