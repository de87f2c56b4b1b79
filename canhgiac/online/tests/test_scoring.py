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
