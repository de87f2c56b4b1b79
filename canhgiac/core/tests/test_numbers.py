"""Vietnamese numbers and dates in forms: "." or a space groups thousands, "," is the decimal mark."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms

from canhgiac.core.forms import VNDateField, VNDecimalField, VNDField, VNIntegerField, warnings
from canhgiac.core.numbers import (
    NumberError,
    format_vn_number,
    format_vn_percent,
    parse_vn_int,
    parse_vn_number,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("25.000.000", 25_000_000),
        ("25000000", 25_000_000),
        ("25 000 000", 25_000_000),
        ("25\u00a0000\u00a0000", 25_000_000),
        ("1.200", 1200),
        ("40.000.000 đ", 40_000_000),
        ("0", 0),
    ],
)
def test_whole_numbers_written_the_vietnamese_way_are_read(text, expected):
    assert parse_vn_int(text) == expected


def test_a_comma_is_the_decimal_mark():
    assert parse_vn_number("1,5") == Decimal("1.5")
    assert parse_vn_number("1.200,75") == Decimal("1200.75")


@pytest.mark.parametrize("text", ["1.5", "12.34", "1.2345", "1 23", "25.000.00"])
def test_a_point_that_does_not_group_three_digits_is_refused_as_ambiguous(text):
    with pytest.raises(NumberError) as exc:
        parse_vn_number(text)
    assert exc.value.ambiguous


@pytest.mark.parametrize("text", ["abc", "1,2,3", "1,", ".5", "12a"])
def test_text_that_is_not_a_number_is_refused(text):
    with pytest.raises(NumberError) as exc:
        parse_vn_number(text)
    assert not exc.value.ambiguous


def test_formatting_uses_vietnamese_separators():
    assert format_vn_number(25_000_000) == "25.000.000"
    assert format_vn_number(Decimal("1200.500")) == "1.200,5"
    assert format_vn_percent(28.04) == "28,0%"
    assert format_vn_percent(60.5, signed=True) == "+60,5%"


class MoneyForm(forms.Form):
    fine = VNDField(label="Tiền phạt", warn_below=1000)
    quantity = VNDecimalField(label="Số lượng", decimal_places=3)
    persons = VNIntegerField(label="Số bị can")
    day = VNDateField(label="Ngày phát hiện", required=False)


def test_a_form_stores_25_million_typed_with_points():
    form = MoneyForm({"fine": "25.000.000", "quantity": "1,5", "persons": "2", "day": "02/03/2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "fine": 25_000_000,
        "quantity": Decimal("1.5"),
        "persons": 2,
        "day": dt.date(2026, 3, 2),
    }
    assert warnings(form) == []


def test_an_ambiguous_number_gets_a_vietnamese_message_naming_the_field():
    form = MoneyForm({"fine": "1.5", "quantity": "12.34"})
    assert not form.is_valid()
    assert form.errors["fine"][0].startswith("Tiền phạt: “1.5” không rõ nghĩa")
    assert form.errors["quantity"][0].startswith("Số lượng: “12.34” không rõ nghĩa")


def test_limits_are_worded_with_vietnamese_numbers():
    form = MoneyForm({"fine": "-5", "quantity": "1,2345"})
    assert not form.is_valid()
    assert form.errors["fine"] == ["Tiền phạt: không được nhỏ hơn 0."]
    assert "3 chữ số sau dấu phẩy" in form.errors["quantity"][0]
    big = MoneyForm({"fine": "2.000.000.000.000.000"})
    assert not big.is_valid()
    assert big.errors["fine"] == ["Tiền phạt: không được lớn hơn 1.000.000.000.000.000."]


def test_a_fine_under_1000_dong_is_saved_with_a_warning():
    form = MoneyForm({"fine": "500"})
    assert form.is_valid()
    assert warnings(form) == ["Tiền phạt: 500 đ thấp bất thường (dưới 1.000 đ) — đề nghị kiểm tra lại."]


def test_dates_are_shown_dd_mm_yyyy_and_read_in_both_forms():
    form = MoneyForm(initial={"day": dt.date(2026, 3, 2), "fine": 25_000_000})
    html = str(form["day"])
    assert 'type="text"' in html and 'value="02/03/2026"' in html and "dd/mm/yyyy" in html
    money = str(form["fine"])
    assert 'value="25.000.000"' in money and 'inputmode="numeric"' in money and 'type="text"' in money
    assert MoneyForm({"day": "2026-03-02"}).is_valid()
    bad = MoneyForm({"day": "31/02/2026"})
    assert not bad.is_valid()
    assert bad.errors["day"][0].startswith("Ngày phát hiện: “31/02/2026” không phải ngày hợp lệ")
