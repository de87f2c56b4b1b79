from django import forms
from django.utils.translation import gettext_lazy as _

from canhgiac.core.forms import VNDateField, VNDateTimeField
from canhgiac.directory import services as directory
from canhgiac.directory.forms import add_province_choice, scope_choices
from canhgiac.directory.models import Agency, GoodsCategory, ViolationType
from canhgiac.tips.models import Tip


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": "image/jpeg,image/png,image/webp,video/mp4,video/webm,video/quicktime"}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def unit_choices(user=None):
    """Every loaded province's communes for the public form; a staff member's own province's
    (directory.units_for) when `user` is given."""
    rows = [("", _("— Chọn xã, phường —"))]
    if user is not None:
        return rows + [(u.code, u.name) for u in directory.units_for(user).order_by("name_folded")]
    for province in directory.configured_provinces():
        rows += [(u.code, u.name) for u in directory.units(province).order_by("name_folded")]
    return rows


def code_choices(model, empty):
    return [("", empty)] + [(o.code, o.name) for o in model.objects.all()]


class TipReportForm(forms.Form):
    """The public form; the service validates the values and names the field at fault."""

    description = forms.CharField(
        label=_("Anh/chị đã thấy gì?"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 5,
                "placeholder": _("Hàng hóa gì, ai bán hoặc vận chuyển, khi nào, dấu hiệu vi phạm…"),
            }
        ),
    )
    unit_code = forms.ChoiceField(label=_("Xã, phường nơi xảy ra"), required=False)
    location = forms.CharField(label=_("Địa chỉ, địa điểm cụ thể"), required=False)
    online_url = forms.CharField(
        label=_("Hoặc đường dẫn trên mạng (trang bán hàng, bài đăng, livestream)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "url"}),
    )
    goods_category = forms.ChoiceField(label=_("Nhóm hàng"), required=False)
    violation_type = forms.ChoiceField(label=_("Loại vi phạm"), required=False)
    files = MultipleFileField(label=_("Ảnh, video (không bắt buộc)"), required=False)
    anonymous = forms.TypedChoiceField(
        label=_("Thông tin người báo"),
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
        choices=[
            ("1", _("Gửi ẩn danh (không để lại thông tin)")),
            ("0", _("Để lại thông tin liên hệ (được giữ bí mật)")),
        ],
    )
    reporter_name = forms.CharField(label=_("Họ và tên"), required=False)
    reporter_phone = forms.CharField(
        label=_("Số điện thoại"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    reporter_email = forms.CharField(
        label=_("Thư điện tử"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_code"].choices = unit_choices()
        self.fields["goods_category"].choices = code_choices(GoodsCategory, _("— Chưa rõ —"))
        self.fields["violation_type"].choices = code_choices(ViolationType, _("— Chưa rõ —"))

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "files"}
        return data

    def add_service_errors(self, error) -> None:
        from canhgiac.core.errors import add_to_form

        add_to_form(self, error)


class TipRecordForm(TipReportForm):
    """Staff entry of a tip received by phone, email, in person, by mail or from another body."""

    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"),
        initial=Tip.Channel.HOTLINE,
        choices=[c for c in Tip.Channel.choices if c[0] != Tip.Channel.ONLINE],
    )
    transferred_from = forms.CharField(label=_("Cơ quan chuyển đến (nếu có)"), required=False)
    # dd/mm/yyyy hh:mm whatever the browser's language (issue 11, item 1), not a datetime-local box
    received_at = VNDateTimeField(label=_("Thời điểm tiếp nhận (để trống: bây giờ)"), required=False)

    field_order = ["channel", "transferred_from", "received_at"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].label = _("Nội dung tin báo")
        self.fields["unit_code"].choices = unit_choices(user)


class FollowForm(forms.Form):
    code = forms.CharField(
        label=_("Mã tin báo"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    secret = forms.CharField(
        label=_("Mã bí mật"),
        max_length=40,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=True),
    )


class TipsterMessageForm(FollowForm):
    body = forms.CharField(label=_("Tin nhắn cho cơ quan xử lý"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget = forms.HiddenInput()
        self.fields["secret"].widget = forms.HiddenInput()


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}))
    internal = forms.BooleanField(label=_("Ghi chú nội bộ (người báo tin không thấy)"), required=False)


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Kết quả"),
        choices=[
            (Tip.Outcome.SUBSTANTIATED, Tip.Outcome.SUBSTANTIATED.label),
            (Tip.Outcome.NOT_SUBSTANTIATED, Tip.Outcome.NOT_SUBSTANTIATED.label),
        ],
    )
    reason = forms.CharField(label=_("Kết luận, căn cứ"), widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Lý do không thụ lý"),
        choices=[
            (Tip.Outcome.DUPLICATE, Tip.Outcome.DUPLICATE.label),
            (Tip.Outcome.OUT_OF_SCOPE, Tip.Outcome.OUT_OF_SCOPE.label),
        ],
    )
    reason = forms.CharField(label=_("Giải thích"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(forms.Form):
    new_due = VNDateField(label=_("Hạn giải quyết mới"))
    reason = forms.CharField(label=_("Lý do gia hạn"), widget=forms.Textarea(attrs={"rows": 2}))


class TransferForm(forms.Form):
    # Offered: the agencies of the user's province only (the service refuses any other).
    agency = forms.ModelChoiceField(Agency.objects.none(), label=_("Chuyển cho cơ quan"))
    reason = forms.CharField(label=_("Lý do chuyển"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope_choices(self, user, agency="agency")


class TipFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), ("open", _("Đang xử lý"))] + list(Tip.Status.choices),
    )
    channel = forms.ChoiceField(
        label=_("Kênh"), required=False, choices=[("", _("Tất cả"))] + list(Tip.Channel.choices)
    )
    overdue = forms.BooleanField(label=_("Chỉ tin quá hạn"), required=False)


class StatsForm(forms.Form):
    date_from = VNDateField(label=_("Từ ngày"))
    date_to = VNDateField(label=_("Đến ngày"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        add_province_choice(self, user)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("Đến ngày phải sau hoặc bằng Từ ngày."))
        return data


class CaseFromTipForm(forms.Form):
    """What a case needs that a tipster may not have given."""

    unit_code = forms.ChoiceField(label=_("Xã, phường của vụ việc"))
    violation_type = forms.ChoiceField(label=_("Hành vi vi phạm"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_code"].choices = unit_choices(user)
        self.fields["violation_type"].choices = code_choices(ViolationType, _("— Chọn —"))


class SignsOfCrimeForm(forms.Form):
    signs_of_crime = forms.BooleanField(
        label=_("Hành vi hoặc hàng hóa có dấu hiệu tội phạm (tính vào tỷ lệ khởi tố)"), required=False
    )
