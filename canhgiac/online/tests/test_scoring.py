"""Each risk reason on constructed listings, including the honest ones that must not be flagged."""

import pytest

from canhgiac.online.scoring import Context, score

pytestmark = pytest.mark.django_db  # gettext reads the settings


def test_counterfeit_vocabulary_flags_and_names_the_word():
    r = score("Túi LV Neverfull rep 1:1 full box", "")
    assert r.flagged and r.score >= 60
    assert any("rep 1:1" in reason for reason in r.reasons)


def test_seller_without_diacritics_scores_like_one_with_them():
    with_marks = score("Giày Nike hàng F1 siêu cấp", "xách tay không hóa đơn")
    without = score("Giay Nike hang F1 sieu cap", "xach tay khong hoa don")
    assert with_marks.score == without.score and with_marks.flagged and without.flagged


@pytest.mark.parametrize(
    "description",
    [
        "Hàng chính hãng, fake đền gấp 10",
        "phát hiện fake hoàn tiền gấp đôi",
        "Cam kết không bán hàng giả, hàng nhái",
        "Nói không với hàng fake",
        "Shop uy tín, check auth thoải mái",
        "Hướng dẫn phân biệt hàng thật hàng giả",
    ],
)
def test_honest_shops_using_the_same_words_are_not_flagged(description):
    r = score("Giày Nike Air Force 1 chính hãng", description)
    assert not r.flagged, r.reasons
    assert r.score == 0


def test_weak_word_alone_adds_to_the_score_without_flagging():
    r = score("Áo khoác auth", "")
    assert 0 < r.score < 50 and not r.flagged


def test_smuggling_vocabulary_flags():
    for text in ("hàng nội địa Trung giá rẻ", "xach tay ko hoa don", "Không có tem nhập khẩu"):
        r = score("Sữa bột Meiji 800g", text)
        assert r.flagged, text
        assert any("nhập lậu" in reason for reason in r.reasons)


def test_having_an_invoice_is_not_smuggling():
    r = score("Sữa bột Meiji 800g", "Hàng xách tay Nhật có hóa đơn, có tem nhãn phụ")
    assert not r.flagged and r.score == 15  # "xách tay" alone: a small addition only


def test_health_claim_flags_a_supplement_and_weighs_less_for_other_goods():
    r = score(
        "Viên uống bổ khớp",
        "Đặc trị xương khớp, khỏi hẳn sau 2 tuần. Số ĐKSP 1234/2023/ĐKSP",
        category="functional_food",
    )
    assert r.flagged and any("chữa bệnh" in reason for reason in r.reasons)
    other = score("Gối ngủ", "chữa khỏi đau lưng")
    assert other.score == 30 and not other.flagged


def test_the_mandatory_notice_is_not_a_health_claim():
    r = score(
        "Viên uống Omega 3",
        "Số ĐKSP 1234/2023/ĐKSP. Sản phẩm này không phải là thuốc và không có tác dụng thay thế thuốc chữa bệnh.",
        category="functional_food",
    )
    assert r.score == 0


def test_missing_registration_number_flags_a_drug_by_itself():
    r = score("Thuốc giảm đau Panadol Extra", "Giao hàng toàn quốc", category="drugs")
    assert r.flagged and any("số đăng ký" in reason for reason in r.reasons)
    assert not score("Thuốc giảm đau Panadol Extra", "SĐK: VN-20367-17", category="drugs").flagged


def test_missing_registration_number_only_adds_for_other_regulated_categories():
    r = score("Kem chống nắng", "Giao hàng toàn quốc", category="cosmetics")
    assert r.score == 25 and not r.flagged
    assert score("Kem chống nắng", "Số công bố 123456/24/CBMP-QLD", category="cosmetics").score == 0
    assert score("Áo thun", "Giao hàng toàn quốc", category="textiles_footwear").score == 0


def test_price_far_below_the_registry_reference_price():
    context = Context.with_references([("Sữa bột Similac IQ số 4 900g", "Similac", 620_000)])
    cheap = score("Sữa Similac IQ 4 900g", "", 150_000, "milk", context=context)
    assert any("giá tham khảo" in reason for reason in cheap.reasons)
    assert cheap.score == 55 + 25 and cheap.flagged  # under 30 % of the price; no declaration number
    normal = score("Sữa Similac IQ 4 900g", "Số công bố 2345/2021/ĐKSP", 600_000, "milk", context=context)
    assert normal.score == 0
    other_brand = score("Sữa Meiji số 4 900g", "Số công bố 2345/2021/ĐKSP", 150_000, "milk", context=context)
    assert other_brand.score == 0


def test_seller_in_cases_and_several_shops_add_to_the_score():
    context = Context(in_cases={"s1"}, shops={"s1": 3})
    r = score("Áo thun", "", seller="s1", context=context)
    assert r.score == 30 and len(r.reasons) == 2


def test_seller_flagged_before_raises_priority_not_the_flag():
    context = Context(flagged_before={"a7"})
    r = score("Áo khoác auth", "", seller="a7", context=context)
    plain = score("Áo khoác auth", "")
    assert r.score == plain.score and r.flagged == plain.flagged
    assert r.priority == plain.priority + 30
    assert any("từng bị gắn cờ" in reason for reason in r.reasons)


def test_threshold_decides_the_flag_and_the_score_is_capped():
    r = score("Rep 1:1 hàng nội địa Trung", "chữa khỏi, đặc trị", category="drugs")
    assert r.score == 100
    assert not score("Áo khoác auth", "", threshold=30).flagged
    assert score("Áo khoác auth", "", threshold=25).flagged


# ---------------------------------------------------------------- false quality claims (7.11)


@pytest.mark.parametrize(
    "title,description,category",
    [
        ("Viên uống Omega 3", "Đạt chuẩn FDA Hoa Kỳ, GMP quốc tế. Số ĐKSP 1234/2023/ĐKSP", "functional_food"),
        ("Vien uong collagen", "bo y te khuyen dung cho ca gia dinh", ""),
        ("Serum Vitamin C", "Số 1 thế giới về làm trắng da. Số công bố 123456/24/CBMP-QLD", "cosmetics"),
        ("Kem dưỡng da", "Thành phần 100% thiên nhiên, không tác dụng phụ. Số công bố 12345/24/CBMP-QLD", ""),
        ("Cà phê rang xay", "Đạt huy chương vàng quốc tế 2024", "food"),
        ("Mật ong rừng", "Hàng nhập khẩu Nhật Bản. Xuất xứ: Trung Quốc", "food"),
        ("Tai nghe", "Nhap khau nguyen hop tu My, san xuat tai Viet Nam", ""),
        ("Kem chống nắng Anthelios", "Hàng chính hãng 100%", ""),
    ],
)
def test_false_quality_claims_flag_and_name_the_claim(title, description, category):
    from canhgiac.online.scoring import claims_false_quality

    r = score(title, description, category=category)
    assert r.flagged, r.reasons
    assert any(reason.startswith("Công bố chất lượng sai sự thật") for reason in r.reasons)
    assert claims_false_quality(title, description, category)


@pytest.mark.parametrize(
    "title,description,category",
    [
        # the certificate's number makes the claim checkable
        (
            "Viên uống Omega 3",
            "Nhà máy đạt chuẩn GMP-WHO, giấy chứng nhận số 255/GCN-QLD. Số ĐKSP 1234/2023/ĐKSP",
            "functional_food",
        ),
        ("Cà phê", "Huy chương vàng Hội chợ 2024 theo Quyết định số 123/QĐ-BTC", "food"),
        # origin and import claim agree; a made-in-Vietnam product claims no import
        ("Mật ong", "Nhập khẩu từ Nhật Bản, xuất xứ Nhật Bản, có tờ khai hải quan", "food"),
        ("Nước mắm", "Made in Vietnam, sản xuất tại Việt Nam", "food"),
        # "số 1" that is an address or a size, "thiên nhiên" without "100 %"
        ("Sữa bột số 1 cho bé", "Kho tại số 1 Lê Duẩn. Số công bố 2345/2021/ĐKSP", "milk"),
        ("Kem dưỡng", "Chiết xuất từ thiên nhiên. Số công bố 123456/24/CBMP-QLD", "cosmetics"),
        # "chính hãng" with the registration number, and on goods that need none
        ("Kem chống nắng", "Hàng chính hãng. Số công bố 123456/24/CBMP-QLD", "cosmetics"),
        ("Giày Nike Air Force 1", "Hàng chính hãng, bảo hành 12 tháng", "textiles_footwear"),
        ("Viên uống", "Shop không quảng cáo FDA khi chưa có giấy chứng nhận. Số ĐKSP 1/2023/ĐKSP", ""),
    ],
)
def test_honest_quality_statements_are_not_flagged(title, description, category):
    r = score(title, description, category=category)
    assert not r.flagged, r.reasons
    assert not any(reason.startswith("Công bố chất lượng") for reason in r.reasons)


def test_a_superlative_on_ordinary_goods_adds_without_flagging():
    r = score("Giày thể thao", "Thương hiệu số 1 Nhật Bản", category="textiles_footwear")
    assert r.score == 25 and not r.flagged
