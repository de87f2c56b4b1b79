"""Form fields for Vietnamese numbers and dates, used by every app's forms.

Numbers follow canhgiac.core.numbers (a point or a space groups thousands, a comma is the decimal
mark); they are text inputs with `inputmode`, formatted as the user types by
static/canhgiac/numbers.js. Dates are text inputs shown dd/mm/yyyy whatever the browser's language
(an `<input type=date>` follows the browser's locale) and accept YYYY-MM-DD too (core.dates).
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from canhgiac.core import dates
from canhgiac.core.numbers import NumberError, format_vn_number, parse_vn_number


class VNNumberInput(forms.TextInput):
    """A text box for a number: numeric keyboard on phones, grouping as one types (numbers.js)."""

    def __init__(self, attrs=None, decimal=False, warn_below=None, unit=""):
        base = {
            "inputmode": "decimal" if decimal else "numeric",
            "autocomplete": "off",
            "data-cg-number": "decimal" if decimal else "integer",
            "data-cg-ambiguous": _(
                "Dấu chấm chỉ dùng để phân cách hàng nghìn (1.500); số thập phân viết bằng dấu phẩy (1,5)."
            ),
        }
        if warn_below:
            base["data-cg-warn-below"] = str(warn_below)
            base["data-cg-warn"] = _(
                "Giá trị thấp bất thường (dưới %(min)s %(unit)s): kiểm tra lại trước khi lưu."
            ) % {
                "min": format_vn_number(warn_below),
                "unit": unit,
            }
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, str):  # what the user typed, shown back as typed
            return value
        return format_vn_number(value)


class VNIntegerField(forms.Field):
    """A whole number written the Vietnamese way ("1.200" is 1200; "1.5" is refused)."""

    decimal = False
    unit = ""

    def __init__(self, *, min_value=0, max_value=None, warn_below=None, attrs=None, **kwargs):
        self.min_value, self.max_value, self.warn_below = min_value, max_value, warn_below
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "widget", VNNumberInput(attrs=attrs, decimal=self.decimal, warn_below=warn_below, unit=self.unit)
        )
        super().__init__(**kwargs)

    def _error(self, message, code, **params):
        message = self.error_messages.get(code, message)  # a form may word its own
        return forms.ValidationError(message, code=code, params={"label": self.label, **params})

    def parse(self, value):
        number = parse_vn_number(value)
        if number is not None and number != number.to_integral_value():
            raise NumberError(str(value))
        return None if number is None else int(number)

    def to_python(self, value):
        try:
            return self.parse(value)
        except NumberError as exc:
            if exc.ambiguous:
                raise self._error(
                    _(
                        "%(label)s: “%(text)s” không rõ nghĩa — dấu chấm (hoặc dấu cách) dùng để phân cách "
                        "hàng nghìn theo nhóm ba chữ số, dấu phẩy là dấu thập phân (ví dụ 1.500 hoặc 1,5)."
                    ),
                    "ambiguous",
                    text=exc.text,
                ) from None
            if self.decimal:
                raise self._error(
                    _("%(label)s: “%(text)s” không phải là số."), "invalid", text=exc.text
                ) from None
            raise self._error(
                _("%(label)s: “%(text)s” không phải là số nguyên (ví dụ 25.000.000)."),
                "invalid",
                text=exc.text,
            ) from None

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            raise self._error(
                _("%(label)s: không được nhỏ hơn %(min)s."), "min_value", min=format_vn_number(self.min_value)
            )
        if self.max_value is not None and value > self.max_value:
            raise self._error(
                _("%(label)s: không được lớn hơn %(max)s."), "max_value", max=format_vn_number(self.max_value)
            )

    def warning(self, value):
        """A non-blocking remark for a value that is allowed but implausible (None if plausible)."""
        if self.warn_below and value and 0 < value < self.warn_below:
            return _(
                "%(label)s: %(value)s %(unit)s thấp bất thường (dưới %(min)s %(unit)s) — đề nghị kiểm tra lại."
            ) % {
                "label": self.label,
                "value": format_vn_number(value),
                "min": format_vn_number(self.warn_below),
                "unit": self.unit,
            }
        return None


class VNDField(VNIntegerField):
    """Money: whole đồng, never negative; at most a million billion đồng."""

    unit = "đ"

    def __init__(self, *, max_value=10**15, **kwargs):
        super().__init__(max_value=max_value, **kwargs)


class VNDecimalField(VNIntegerField):
    """A quantity that may have decimals, with a comma: "1,5" or "1.200,75"."""

    decimal = True

    def __init__(self, *, decimal_places=3, max_digits=16, **kwargs):
        self.decimal_places, self.max_digits = decimal_places, max_digits
        super().__init__(**kwargs)

    def parse(self, value):
        return parse_vn_number(value)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.decimal_places:
            raise self._error(
                _("%(label)s: tối đa %(n)s chữ số sau dấu phẩy."), "max_decimal_places", n=self.decimal_places
            )
        if abs(value) >= Decimal(10) ** (self.max_digits - self.decimal_places):
            raise self._error(_("%(label)s: số quá lớn."), "max_digits")


class VNDateInput(forms.DateInput):
    """A text box shown dd/mm/yyyy, whatever language the browser speaks."""

    def __init__(self, attrs=None):
        base = {"placeholder": _("dd/mm/yyyy"), "autocomplete": "off", "data-cg-date": "", "maxlength": "10"}
        super().__init__({**base, **(attrs or {})}, format="%d/%m/%Y")


class VNDateField(forms.DateField):
    """dd/mm/yyyy as shown, YYYY-MM-DD as programs and older browsers send (core.dates)."""

    widget = VNDateInput
    input_formats = list(dates.FORMATS)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return dates.parse_date(value)
        except ValueError:
            raise forms.ValidationError(
                _("%(label)s: “%(text)s” không phải ngày hợp lệ; nhập dạng dd/mm/yyyy (ví dụ 25/12/2026)."),
                code="invalid",
                params={"label": self.label, "text": value},
            ) from None


class VNDateTimeInput(forms.DateTimeInput):
    """A text box shown "dd/mm/yyyy hh:mm", whatever language the browser speaks."""

    def __init__(self, attrs=None):
        base = {"placeholder": _("dd/mm/yyyy hh:mm"), "autocomplete": "off", "maxlength": "16"}
        super().__init__({**base, **(attrs or {})}, format="%d/%m/%Y %H:%M")


class VNDateTimeField(forms.DateTimeField):
    """ "dd/mm/yyyy hh:mm" as shown (a date alone means 00:00), and the ISO forms programs and
    browsers' datetime-local boxes send ("YYYY-MM-DDTHH:MM", "YYYY-MM-DD HH:MM")."""

    widget = VNDateTimeInput
    input_formats = ["%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
    default_error_messages = {
        "invalid": _("Thời điểm không hợp lệ; nhập dạng dd/mm/yyyy hh:mm (ví dụ 25/12/2026 14:30)."),
    }

    def to_python(self, value):
        return super().to_python(" ".join(value.split()) if isinstance(value, str) else value)


def warnings(*forms_or_formsets) -> list[str]:
    """Non-blocking remarks on implausible numbers in cleaned forms (a fine under 1.000 đ …)."""
    found = []
    for item in forms_or_formsets:
        for form in getattr(item, "forms", [item]):
            data = getattr(form, "cleaned_data", None) or {}
            for name, field in form.fields.items():
                if isinstance(field, VNIntegerField) and not data.get("DELETE"):
                    text = field.warning(data.get(name))
                    if text:
                        found.append(text)
    return found
