from django import forms
from django.utils.translation import gettext_lazy as _

from canhgiac.core.forms import VNDateField, VNDateTimeField, VNDField, VNIntegerField
from canhgiac.core.policy import visible_to
from canhgiac.directory.models import GoodsCategory
from canhgiac.goods.models import Business, Product


class ProductForm(forms.Form):
    gtin = forms.CharField(
        label=_("Mã GTIN (mã vạch)"),
        max_length=20,
        help_text=_("8, 12, 13 hoặc 14 chữ số, có số kiểm tra GS1; mã 893… là mã GS1 Việt Nam."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Tên sản phẩm"), max_length=300)
    brand = forms.CharField(label=_("Nhãn hiệu"), max_length=200, required=False)
    category = forms.ModelChoiceField(label=_("Nhóm hàng"), queryset=GoodsCategory.objects.none())
    owner = forms.ModelChoiceField(label=_("Doanh nghiệp sở hữu"), queryset=Business.objects.none())
    registration_no = forms.CharField(
        label=_("Số đăng ký / số công bố"),
        max_length=100,
        required=False,
        help_text=_("Thuốc: VD-…/VN-…; mỹ phẩm: …/CBMP-QLD; thực phẩm bảo vệ sức khỏe: …/ĐKSP."),
    )
    reference_price_vnd = VNDField(label=_("Giá bán lẻ tham khảo (đồng)"), required=False)
    status = forms.ChoiceField(label=_("Tình trạng"), choices=Product.Status.choices)
    distributors = forms.ModelMultipleChoiceField(
        label=_("Nhà phân phối được ủy quyền"), queryset=Business.objects.none(), required=False
    )
    image = forms.FileField(label=_("Ảnh sản phẩm (JPEG, PNG, WebP)"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = GoodsCategory.objects.order_by("order", "code")
        businesses = visible_to(user, Business.objects.filter(is_active=True)).select_related("province")
        self.fields["owner"].queryset = businesses
        if not self.is_bound and not self.initial.get("owner"):
            only = list(businesses[:2])
            if len(only) == 1:  # a business user of one business: it is the owner
                self.initial["owner"] = only[0].pk
        self.fields["distributors"].queryset = Business.objects.filter(is_active=True)

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        from canhgiac.core import photos

        try:
            return photos.clean_photo(upload.read())
        except (photos.NotAPhoto, photos.UnsupportedPhoto):
            raise forms.ValidationError(_("Tệp không phải ảnh JPEG, PNG hoặc WebP."))
        except photos.PhotoTooLarge as exc:
            raise forms.ValidationError(str(exc))


class ProductImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp CSV hoặc XLSX"))


class ProductFilterForm(forms.Form):
    q = forms.CharField(label=_("Tên, nhãn hiệu hoặc GTIN"), required=False)
    category = forms.ModelChoiceField(
        label=_("Nhóm hàng"), queryset=GoodsCategory.objects.all(), required=False, to_field_name="code"
    )
    status = forms.ChoiceField(
        label=_("Tình trạng"), choices=[("", _("Tất cả"))] + list(Product.Status.choices), required=False
    )
    warning = forms.BooleanField(label=_("Chỉ sản phẩm có cảnh báo số đăng ký"), required=False)


class CodeBatchForm(forms.Form):
    """A business asks for a batch of signed codes for one of its products."""

    product = forms.ModelChoiceField(label=_("Sản phẩm"), queryset=Product.objects.none())
    lot = forms.CharField(label=_("Số lô"), max_length=20)
    count = VNIntegerField(label=_("Số mã cần cấp"), min_value=1, max_value=1_000_000)

    def __init__(self, *args, user=None, business=None, **kwargs):
        super().__init__(*args, **kwargs)
        from canhgiac.core.policy import visible_to

        products = visible_to(user, Product.objects.select_related("owner")).order_by("name")
        if business is not None:  # a user of several businesses issues for the one chosen
            products = products.filter(owner=business)
        self.fields["product"].queryset = products


class MarkCodesForm(forms.Form):
    serials = forms.CharField(
        label=_("Mã sê-ri (mỗi dòng một mã)"), widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off"})
    )
    status = forms.ChoiceField(
        label=_("Đánh dấu là"),
        choices=[
            ("sold", _("Đã bán")),
            ("destroyed", _("Đã tiêu hủy")),
            ("stolen", _("Bị mất cắp")),
            ("expired", _("Hết hạn")),
        ],
    )
    at = VNDateTimeField(label=_("Thời điểm (dd/mm/yyyy hh:mm)"), required=False)
    unit_code = forms.ChoiceField(label=_("Xã, phường nơi bán"), required=False)
    note = forms.CharField(label=_("Ghi chú"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_code"].choices = commune_choices()


class CheckFiguresForm(forms.Form):
    date_from = VNDateField(label=_("Từ ngày"), required=False)
    date_to = VNDateField(label=_("Đến ngày"), required=False)


def commune_choices():
    from canhgiac.directory import services as directory

    rows = [("", _("— Chọn xã, phường —"))]
    for province in directory.configured_provinces():
        rows += [(u.code, u.name) for u in directory.units(province).order_by("name_folded")]
    return rows


class RecallForm(forms.Form):
    gtin = forms.CharField(
        label=_("Mã GTIN sản phẩm"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    lot = forms.CharField(
        label=_("Số lô (để trống: thu hồi toàn bộ sản phẩm)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    reason = forms.CharField(label=_("Lý do thu hồi"), widget=forms.Textarea(attrs={"rows": 4}))
    issued_on = VNDateField(label=_("Ngày thu hồi"), required=False)


class LiftRecallForm(forms.Form):
    lift_reason = forms.CharField(label=_("Lý do chấm dứt thu hồi"), widget=forms.Textarea(attrs={"rows": 3}))
    lifted_on = VNDateField(label=_("Ngày chấm dứt"), required=False)


class WarningForm(forms.Form):
    gtin = forms.CharField(
        label=_("Mã GTIN sản phẩm"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    text = forms.CharField(label=_("Nội dung cảnh báo"), widget=forms.Textarea(attrs={"rows": 4}))
