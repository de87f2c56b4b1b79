"""Names, identifiers and dates as officers write them (normalize.py)."""

import datetime as dt

import pytest

from canhgiac.subjects import normalize as n


@pytest.mark.parametrize(
    "written",
    [
        "CÔNG TY TRÁCH NHIỆM HỮU HẠN Hoàng Long",
        "Công ty TNHH Hoàng Long",
        "Cty TNHH Hoàng Long",
        "cty hoang long",
    ],
)
def test_company_forms_are_one_name(written):
    assert n.org_key(written)["name"] == "hoang long"


def test_the_company_form_is_remembered():
    assert n.org_key("CÔNG TY TRÁCH NHIỆM HỮU HẠN Hoàng Long")["form"] == "tnhh"
    assert n.org_key("Công ty cổ phần Hoàng Long")["form"] == "cp"
    assert n.org_key("Cty Hoàng Long")["form"] == "cty"


def test_trade_abbreviations_are_spelt_out():
    assert (
        n.org_key("Cty TNHH TM DV Hoàng Long")["name"]
        == n.org_key("Công ty TNHH Thương mại Dịch vụ Hoàng Long")["name"]
    )


@pytest.mark.parametrize(
    "written", ["Hộ kinh doanh Nguyễn Văn Tâm", "HKD Nguyễn Văn Tâm", "hkd nguyen van tam"]
)
def test_household_businesses_are_named_after_their_owner(written):
    key = n.org_key(written)
    assert key["name"] == "nguyen van tam" and key["form"] == "hkd"


@pytest.mark.parametrize("written", ["H'Hen Niê", "H' Hen Niê", "Hhen Nie", "H’Hen NIÊ", "H Hen Niê"])
def test_ede_names_written_every_way_are_one_name(written):
    assert n.person_key(written)["name"] == "hhen nie"


def test_a_mans_ede_name_joins_its_prefix():
    assert n.person_key("Y Blốk Êban")["name"] == n.person_key("Y-Blốk ÊBAN")["name"] == "yblok eban"
    assert n.person_key("Y Blốk Êban")["skeleton"] == "yblok eban"


def test_an_initial_and_a_dropped_middle_name_keep_the_family_and_given_name():
    full, initial, dropped = (n.person_key(x) for x in ("Nguyễn Thị Lan", "Nguyễn T. Lan", "Nguyễn Lan"))
    assert full["skeleton"] == initial["skeleton"] == dropped["skeleton"] == "nguyen lan"
    assert full["initials"] == initial["initials"] == "t" and dropped["initials"] == ""


def test_upper_case_without_diacritics_is_the_same_name():
    assert n.person_key("NGUYEN VAN TAM")["name"] == n.person_key("Nguyễn Văn Tâm")["name"]


@pytest.mark.parametrize(
    "written", ["0912 345 678", "+84912345678", "0912.345.678", "84 912 345 678", "912345678"]
)
def test_phones_are_normalised_to_plus_84(written):
    assert n.phone(written) == "+84912345678"


def test_a_landline_keeps_its_area_code_and_junk_is_not_a_phone():
    assert n.phone("0262 3852 111") == "+842623852111"
    assert n.phone("12345") is None


def test_document_numbers_are_recognised_by_their_shape():
    assert n.document_scheme("066 190 000 555") == n.CCCD
    assert n.document_scheme("241.234.567") == n.CMND
    assert n.document_scheme("C1234567") == n.PASSPORT
    assert n.document_scheme("ABC-12") == n.OTHER


def test_a_tax_code_is_checked_and_a_branch_is_not_its_head_office():
    assert n.tax_code("0100233488") == ("0100233488", False)
    assert n.tax_code("0100233488-001") == ("0100233488001", True)
    assert n.tax_code("0100233489") is None  # wrong check digit


def test_an_organisations_identifiers_keep_a_branch_apart():
    head = n.identifiers("organisation", tax="0100233488")
    branch = n.identifiers("organisation", tax="0100233488-001")
    assert head == [(n.TAX_CODE, "0100233488", "0100233488")]
    assert branch[0][:2] == (n.TAX_CODE, "0100233488001")


def test_an_unknown_number_is_kept_as_given():
    assert n.identifiers("person", id_number="GPLX 79-1234")[0] == (n.OTHER, "GPLX791234", "GPLX 79-1234")


def test_plates_and_online_accounts():
    assert n.identifiers("vehicle", plate_="47A-123.45") == [(n.PLATE, "47A12345", "47A-123.45")]
    assert n.account("Facebook", "@Hoa.Shop") == "facebook:hoa.shop"
    assert n.account("", "", "https://www.facebook.com/hoa.shop?ref=1") == "facebook:hoa.shop"


@pytest.mark.parametrize(
    "written,expected",
    [
        ("1985-03-07", (dt.date(1985, 3, 7), 1985)),
        ("07/03/1985", (dt.date(1985, 3, 7), 1985)),
        ("1985", (None, 1985)),
        ("sinh năm 1985", (None, 1985)),
        ("", (None, None)),
    ],
)
def test_birth_dates_may_be_a_year_alone(written, expected):
    assert n.birth(written) == expected


@pytest.mark.parametrize("written", ["31/02/1985", "3000", "hôm qua"])
def test_a_birth_date_that_is_not_one_is_refused(written):
    with pytest.raises(ValueError):
        n.birth(written)


def test_addresses_spell_out_abbreviations():
    assert (
        n.address_key("Số 12, P. Tân Lợi, TP. Buôn Ma Thuột") == "12 phuong tan loi thanh pho buon ma thuot"
    )
